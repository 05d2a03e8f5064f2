import { describe, expect, it } from 'vitest';
import { scanFrame, LiveScanner, findingDetails } from '@/lib/scan';
import { findingSelectors, withDetails } from '@/lib/scan/details';
import { registryFor } from '@/lib/scan/registry';
import { LONG_ALT_CHARS, repeatsAnyOf, suspiciousReasons } from '@/lib/scan/suspicious';
import { largestCandidate } from '@/lib/scan/source';
import type { Finding } from '@/lib/scan/schema';

function findingFor(body: string, head = ''): Finding {
  document.head.innerHTML = head;
  document.body.innerHTML = body;
  const target = document.getElementById('t');
  const finding = scanFrame(document).findings.find((f) => registryFor(document).element(f.id) === target);
  if (!finding) throw new Error(`no finding for #t in ${body}`);
  return finding;
}
const codes = (f: Finding) => f.reasons.map((r) => r.code);
/** The captioner's context for #t, as a job gets it: scan, then ask for the finding's details. */
const contextFor = (body: string, head = '') => findingDetails(document, [findingFor(body, head).id])[0].context;

describe('suspicious alt, each reason named', () => {
  it.each([
    ['IMG_2041.jpg', 'file-name'],
    ['hero-banner.png', 'file-name'],
    ['DSC00042', 'file-name'],
    ['https://cdn.example.com/a/b.webp', 'file-name'],
    ['image', 'placeholder'],
    ['Photo.', 'placeholder'],
    ['picture', 'placeholder'],
    ['graphic', 'placeholder'],
    ['spacer', 'placeholder'],
    ['*', 'placeholder'],
    ['untitled', 'placeholder'],
    ['Image of a dog catching a frisbee', 'redundant-prefix'],
    ['picture of the team at the offsite', 'redundant-prefix'],
    ['Graphic of quarterly revenue', 'redundant-prefix'],
    ['x'.repeat(LONG_ALT_CHARS + 1), 'too-long'],
  ])('"%s" → %s', (alt, code) => {
    const f = findingFor(`<img id="t" src="a.png" alt="${alt}">`);
    expect(f.status).toBe('suspicious');
    expect(codes(f)).toContain(code);
  });

  it.each([
    'A dog catching a frisbee on the beach',
    'Sales grew 40% in 2025',
    'Imagery from the Hubble telescope of the Crab Nebula',
    'x'.repeat(LONG_ALT_CHARS),
    'Annual report 2025 cover, designed by studio.png Ltd and friends',
  ])('"%s" is fine', (alt) => {
    expect(findingFor(`<img id="t" src="a.png" alt="${alt}">`).status).toBe('ok');
  });

  it('flags alt that repeats the link text beside it', () => {
    const f = findingFor('<a href="/shop"><img id="t" src="a.png" alt="Shop now"> Shop now</a>');
    expect(codes(f)).toEqual(['repeats-link-text']);
  });

  it('flags alt that repeats the visible text right next to it, or the caption', () => {
    expect(codes(findingFor('<p>Our new office</p><img id="t" src="a.png" alt="Our new office!">'))).toEqual(['repeats-adjacent-text']);
    expect(codes(findingFor('<figure><img id="t" src="a.png" alt="Harbour at dusk"><figcaption>Harbour at dusk</figcaption></figure>'))).toEqual(['repeats-adjacent-text']);
  });

  it('does not flag a name borrowed from the page on purpose (aria-labelledby, <label>)', () => {
    expect(findingFor('<h2 id="h">Revenue</h2><img id="t" src="a.png" aria-labelledby="h">').status).toBe('ok');
    expect(findingFor('<label>Search <input id="t" type="image" src="go.png"></label>').status).toBe('ok');
  });

  it('reports several reasons at once', () => {
    const reasons = suspiciousReasons('Image of IMG_2041.jpg', { repeatsAdjacent: repeatsAnyOf([]) }).map((r) => r.code);
    expect(reasons).toEqual(['file-name', 'redundant-prefix']);
  });
});

describe('image address for the captioner', () => {
  it('is absolute, and keeps data: URLs as they are', () => {
    expect(findingFor('<img id="t" src="/img/a.png">').src).toBe(new URL('/img/a.png', document.baseURI).href);
    const data = `data:image/png;base64,${'A'.repeat(300)}`;
    expect(findingFor(`<img id="t" src="${data}">`).src).toBe(data);
  });

  it('reads a lazy loader\'s real source instead of its placeholder', () => {
    const gif = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';
    expect(findingFor(`<img id="t" src="${gif}" data-src="/real.jpg">`).src).toBe(new URL('/real.jpg', document.baseURI).href);
    expect(findingFor(`<img id="t" data-srcset="/s.jpg 300w, /l.jpg 1200w" loading="lazy">`).src).toBe(new URL('/l.jpg', document.baseURI).href);
    expect(findingFor(`<img id="t" data-original="/o.jpg" src="${gif}">`).src).toBe(new URL('/o.jpg', document.baseURI).href);
  });

  it('takes the largest srcset candidate when nothing is loaded', () => {
    expect(largestCandidate('a.jpg 1x, b.jpg 2x')).toBe('b.jpg');
    expect(largestCandidate('s.jpg 320w, m.jpg 640w, l.jpg 1280w')).toBe('l.jpg');
    expect(findingFor('<picture><source srcset="/p-1.webp 1x, /p-2.webp 2x"><img id="t"></picture>').src).toBe(new URL('/p-2.webp', document.baseURI).href);
  });

  it('uses the image behind an image map area, and none for a drawn svg', () => {
    expect(findingFor('<img src="/map.png" usemap="#m" alt="Map"><map name="m"><area id="t" href="/a"></map>').src).toBe(new URL('/map.png', document.baseURI).href);
    expect(findingFor('<svg id="t" role="img"><rect/></svg>').src).toBeNull();
  });
});

describe('context for the captioner', () => {
  it('collects page, caption, link, heading and nearby text', () => {
    document.documentElement.lang = 'en-GB';
    const context = contextFor(`
      <h1>News</h1><section><h2>Boats return</h2>
      <p>The fleet came home on Tuesday after three weeks at sea.</p>
      <figure><a href="/story/42"><img id="t" src="/boat.jpg"></a><figcaption>The Mary Rose entering the harbour</figcaption></figure></section>`, '<title>Harbour news</title>');
    expect(context).toMatchObject({
      pageTitle: 'Harbour news',
      lang: 'en-GB',
      figcaption: 'The Mary Rose entering the harbour',
      linkHref: new URL('/story/42', document.baseURI).href,
      heading: 'Boats return',
    });
    expect(context.nearbyText).toContain('The Mary Rose');
  });

  it('gives the text of the button an image sits in', () => {
    expect(contextFor('<button><img id="t" src="/x.png"> Close</button>').buttonText).toBe('Close');
  });

  it('caps every text', () => {
    const long = 'word '.repeat(400);
    const context = contextFor(`<h2>${long}</h2><figure><img id="t" src="/x.png"><figcaption>${long}</figcaption></figure><p>${long}</p>`);
    expect(context.figcaption!.length).toBeLessThanOrEqual(301);
    expect(context.heading!.length).toBeLessThanOrEqual(201);
    expect(context.nearbyText!.length).toBeLessThanOrEqual(301);
  });
});

describe('ids and selectors', () => {
  it('keeps an element\'s id across scans and gives selectors, on demand, that find it', () => {
    document.body.innerHTML = '<main><p><img src="a.png"><img src="b.png"></p><div id="box"><img src="c.png"></div></main>';
    const first = scanFrame(document).findings;
    document.body.querySelector('p')!.prepend(document.createElement('img'));
    const scanned = scanFrame(document).findings;
    // The scan leaves selectors out; details (for jobs) and findingSelectors (for the CLI) fill them in.
    expect(scanned.every((f) => f.selector === '')).toBe(true);
    const second = withDetails(scanned, findingDetails(document, scanned.map((f) => f.id)));
    expect(second.find((f) => f.src?.endsWith('b.png'))!.id).toBe(first.find((f) => f.src?.endsWith('b.png'))!.id);
    for (const f of second) expect(document.querySelector(f.selector)).toBe(registryFor(document).element(f.id));
    expect(second.find((f) => f.src?.endsWith('c.png'))!.selector).toBe('#box > img:nth-of-type(1)');
    expect(findingSelectors(document, scanned.map((f) => f.id))).toEqual(second.map((f) => f.selector));
    document.body.querySelector('#box')!.remove();
    expect(findingSelectors(document, scanned.map((f) => f.id)).at(-1)).toBe('');
  });

  it('names the document with one token per document, made once', async () => {
    document.body.innerHTML = '<img src="a.png">';
    const first = scanFrame(document);
    expect(first.doc).toMatch(/^[a-z0-9]{12}$/);
    expect(scanFrame(document).doc).toBe(first.doc);
    const other = document.implementation.createHTMLDocument('other');
    other.body.innerHTML = '<img src="a.png">';
    expect(scanFrame(other).doc).not.toBe(first.doc);
  });
});

describe('LiveScanner: the first request scans, later ones update what changed', () => {
  const flush = () => new Promise((r) => setTimeout(r, 0));

  it('does nothing until asked', async () => {
    document.body.innerHTML = '<img src="a.png">';
    const scanner = new LiveScanner(document);
    document.body.append(document.createElement('img'));
    await flush();
    expect(scanner.scan().counts.missing).toBe(2);
  });

  it('picks up an image inserted later, attribute changes and removals', async () => {
    document.body.innerHTML = '<div id="list"><img id="a" src="a.png"></div>';
    const scanner = new LiveScanner(document);
    expect(scanner.scan().counts.missing).toBe(1);

    const late = document.createElement('img');
    late.src = '/late.png';
    document.getElementById('list')!.append(late);
    await flush();
    let scan = scanner.scan();
    expect(scan.counts.missing).toBe(2);
    expect(scan.findings.at(-1)!.src).toBe(new URL('/late.png', document.baseURI).href);

    document.getElementById('a')!.setAttribute('alt', 'A lighthouse');
    await flush();
    scan = scanner.scan();
    expect(scan.counts).toMatchObject({ missing: 1, ok: 1 });

    late.remove();
    await flush();
    expect(scanner.scan().counts).toMatchObject({ missing: 0, ok: 1 });
    scanner.dispose();
  });

  it('re-judges images under an element whose visibility changed', async () => {
    document.body.innerHTML = '<section id="s"><img src="a.png"><img src="b.png"></section>';
    const scanner = new LiveScanner(document);
    expect(scanner.scan().counts.missing).toBe(2);
    document.getElementById('s')!.setAttribute('aria-hidden', 'true');
    await flush();
    expect(scanner.scan().counts).toMatchObject({ missing: 0, ignored: 2 });
    scanner.dispose();
  });

  it('only re-judges the changed subtree', async () => {
    document.body.innerHTML = '<div id="a"><img src="1.png"></div><div id="b"><img src="2.png"></div>';
    const scanner = new LiveScanner(document);
    const before = scanner.scan().findings;
    document.getElementById('b')!.append(document.createElement('img'));
    await flush();
    const after = scanner.scan().findings;
    // The untouched image's finding is the same object: it was not scanned again.
    expect(after[0]).toBe(before[0]);
    expect(after).toHaveLength(3);
    scanner.dispose();
  });
});
