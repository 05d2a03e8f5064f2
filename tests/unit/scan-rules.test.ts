import { describe, expect, it } from 'vitest';
import { scanFrame } from '@/lib/scan';
import { findingSelectors } from '@/lib/scan/details';
import { registryFor } from '@/lib/scan/registry';
import type { Finding } from '@/lib/scan/schema';

/** Scans `body` in a fresh document and returns the finding for the element marked id="t". */
function judge(body: string, head = ''): Finding {
  document.head.innerHTML = head;
  document.body.innerHTML = body;
  const scan = scanFrame(document);
  const target = document.getElementById('t') ?? document.querySelector('#host')?.shadowRoot?.getElementById('t');
  const finding = scan.findings.find((f) => registryFor(document).element(f.id) === target);
  if (!finding) throw new Error(`no finding for #t in ${body}`);
  return finding;
}
const codes = (f: Finding) => f.reasons.map((r) => r.code);

describe('image-alt semantics for <img>', () => {
  it.each([
    ['<img id="t" src="a.png">', 'missing', 'no-alt'],
    ['<img id="t" src="a.png" alt="">', 'decorative', 'empty-alt'],
    ['<img id="t" src="a.png" alt="   ">', 'missing', 'alt-only-spaces'],
    ['<img id="t" src="a.png" alt="\u00a0">', 'missing', 'alt-only-spaces'],
    ['<img id="t" src="a.png" role="presentation">', 'decorative', 'role-presentation'],
    ['<img id="t" src="a.png" role="none">', 'decorative', 'role-presentation'],
    ['<img id="t" src="a.png" role="presentation" alt="  ">', 'decorative', 'role-presentation'],
    ['<img id="t" src="a.png" role="none" aria-describedby="x">', 'missing', 'no-alt'],
    ['<img id="t" src="a.png" role="none" tabindex="0">', 'missing', 'no-alt'],
    ['<img id="t" src="a.png" role="img">', 'missing', 'no-alt'],
    ['<img id="t" src="a.png" role="group">', 'ignored', 'not-an-image-role'],
    ['<img id="t" src="a.png" aria-label="  ">', 'missing', 'no-alt'],
    ['<img id="t" src="a.png" aria-labelledby="nowhere">', 'missing', 'no-alt'],
    ['<img id="t" src="a.png" title=" ">', 'missing', 'no-alt'],
  ])('%s is %s (%s)', (html, status, code) => {
    const f = judge(html);
    expect(f.status).toBe(status);
    expect(codes(f)).toContain(code);
  });

  it.each([
    ['<img id="t" src="a.png" alt="A red kite over the hills">', 'A red kite over the hills'],
    ['<img id="t" src="a.png" aria-label="Sales chart">', 'Sales chart'],
    ['<p id="l">Quarterly sales</p><img id="t" src="a.png" aria-labelledby="l">', 'Quarterly sales'],
    ['<img id="t" src="a.png" title="Company logo, home">', 'Company logo, home'],
    ['<img id="t" src="a.png" alt="" aria-label="Named anyway">', 'Named anyway'],
  ])('%s has the name "%s"', (html, name) => {
    const f = judge(html);
    expect(f.status).toBe('ok');
    expect(f.alt).toBe(name);
  });
});

describe('the other four rules', () => {
  it.each([
    ['<input id="t" type="image" src="go.png">', 'missing'],
    ['<input id="t" type="IMAGE" src="go.png">', 'missing'],
    ['<input id="t" type="image" src="go.png" alt="">', 'missing'],
    ['<input id="t" type="image" src="go.png" alt="Search">', 'ok'],
    ['<label>Search the site <input id="t" type="image" src="go.png"></label>', 'ok'],
    ['<label for="t">Search the site</label><input id="t" type="image" src="go.png">', 'ok'],
    ['<img src="m.png" usemap="#m" alt="Map"><map name="m"><area id="t" href="/a" coords="0,0,1,1"></map>', 'missing'],
    ['<img src="m.png" usemap="#m" alt="Map"><map name="m"><area id="t" href="/a" alt=""></map>', 'missing'],
    ['<img src="m.png" usemap="#m" alt="Map"><map name="m"><area id="t" href="/a" alt="North wing"></map>', 'ok'],
    ['<div id="t" role="img"></div>', 'missing'],
    ['<div id="t" role="image"></div>', 'missing'],
    ['<div id="t" role="img" aria-label="Four stars"></div>', 'ok'],
    ['<div id="t" role="img" title="Four stars"></div>', 'ok'],
    ['<svg id="t" role="img"><rect width="4" height="4"/></svg>', 'missing'],
    ['<svg id="t" role="img"><title>Revenue up 4%</title></svg>', 'ok'],
    ['<svg id="t" role="img"><title> </title></svg>', 'missing'],
    ['<svg id="t" role="graphics-document"></svg>', 'missing'],
    ['<svg><g id="t" role="graphics-symbol"></g></svg>', 'missing'],
    ['<svg id="t" role="img" aria-label="Acme logo"></svg>', 'ok'],
    ['<svg id="t"><rect width="4" height="4"/></svg>', 'ignored'],
    ['<svg id="t" role="presentation"></svg>', 'decorative'],
    ['<svg id="t"><title>Settings</title></svg>', 'ok'],
  ])('%s is %s', (html, status) => {
    expect(judge(html).status).toBe(status);
  });

  it('reports the kind of each candidate', () => {
    expect(judge('<input id="t" type="image" src="go.png">').kind).toBe('input-image');
    expect(judge('<div id="t" role="img"></div>').kind).toBe('role-img');
    expect(judge('<svg id="t" role="img"></svg>').kind).toBe('svg');
    expect(judge('<map name="m"><area id="t" href="/a"></map>').kind).toBe('area');
  });

  it('does not treat other inputs, areas without href or <object role=img> as candidates', () => {
    document.body.innerHTML = '<input type="text"><map name="m"><area alt=""></map><object role="img"></object>';
    expect(scanFrame(document).findings).toEqual([]);
  });
});

describe('hidden from assistive technology: listed as ignored, not counted', () => {
  it.each([
    ['<img id="t" src="a.png" aria-hidden="true">', 'aria-hidden'],
    ['<div aria-hidden="true"><p><img id="t" src="a.png"></p></div>', 'aria-hidden'],
    ['<div inert><img id="t" src="a.png"></div>', 'inert'],
    ['<img id="t" src="a.png" style="display:none">', 'hidden'],
    ['<div style="display:none"><img id="t" src="a.png"></div>', 'hidden'],
    ['<img id="t" src="a.png" style="visibility:hidden">', 'hidden'],
    ['<div class="off"><img id="t" src="a.png"></div>', 'hidden'],
    ['<details><summary>More</summary><img id="t" src="a.png"></details>', 'hidden'],
  ])('%s', (html, code) => {
    const f = judge(html, '<style>.off { display: none }</style>');
    expect(f.status).toBe('ignored');
    expect(codes(f)).toEqual([code]);
  });

  it('an open <details> shows its images', () => {
    expect(judge('<details open><summary>More</summary><img id="t" src="a.png"></details>').status).toBe('missing');
  });

  it('judges a hidden image map area anyway, as area-alt does', () => {
    expect(judge('<div style="display:none"><map name="m"><area id="t" href="/a"></map></div>').status).toBe('missing');
  });

  it('counts ignored images apart from missing ones', () => {
    document.body.innerHTML = '<img src="a.png"><img src="b.png" aria-hidden="true"><img src="c.png" alt="">';
    expect(scanFrame(document).counts).toEqual({ missing: 1, decorative: 1, suspicious: 0, ok: 0, ignored: 1 });
  });
});

describe('open shadow roots', () => {
  it('finds images inside them, and hides them with their host', () => {
    document.body.innerHTML = '<div id="host"></div><div id="hidden-host" aria-hidden="true"></div>';
    document.getElementById('host')!.attachShadow({ mode: 'open' }).innerHTML = '<img id="t" src="s.png">';
    document.getElementById('hidden-host')!.attachShadow({ mode: 'open' }).innerHTML = '<img src="h.png">';
    const scan = scanFrame(document);
    const selectors = findingSelectors(document, scan.findings.map((f) => f.id));
    expect(scan.findings.map((f, i) => [f.status, selectors[i]])).toEqual([
      ['missing', '#host >>> #t'],
      ['ignored', '#hidden-host >>> img:nth-of-type(1)'],
    ]);
  });
});

describe('file-name: an alt that repeats the image\'s own file name', () => {
  it.each([
    ['<img id="t" src="/photos/Kite%20over%20hills.jpg" alt="Kite over hills">', 'decoded, without its extension, though it reads like words'],
    ['<img id="t" src="/a/logo-2024.svg" alt="logo-2024">', 'without the extension'],
    ['<img id="t" src="/a/photo.JPG?v=3#x" alt="photo.jpg">', 'with the extension, query and fragment ignored'],
    ['<img id="t" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/x/team.webp" alt="team">', "the lazy loader's source"],
    ['<input id="t" type="image" src="/go/search-button.png" alt="search-button">', 'an image button'],
  ])('%s (%s)', (html) => {
    const f = judge(html);
    expect(f.status).toBe('suspicious');
    expect(codes(f)).toContain('file-name');
  });

  it.each([
    ['<img id="t" src="/a/red-kite.jpg" alt="A red kite">'],
    ['<img id="t" src="/a/kite.jpg" alt="kite flying">'],
    ['<img id="t" src="/a/" alt="a">'],
  ])('%s is not its file name', (html) => {
    expect(codes(judge(html))).not.toContain('file-name');
  });
});

describe("axe-core's exemption for explicit roles that need no name, on every kind", () => {
  it.each([
    ['<input id="t" type="image" src="go.png" disabled role="group">', 'ignored'],
    ['<input id="t" type="image" src="go.png" role="group">', 'missing'],
    ['<input id="t" type="image" src="go.png" disabled role="button">', 'missing'],
    ['<img id="t" src="a.png" role="separator">', 'ignored'],
  ])('%s is %s', (html, status) => {
    const f = judge(html);
    expect(f.status).toBe(status);
    if (status === 'ignored') expect(codes(f)).toEqual(['not-an-image-role']);
  });
});
