import { describe, expect, it } from 'vitest';
import { scanFrame, findingDetails } from '@/lib/scan';
import { registryFor } from '@/lib/scan/registry';
import { findingContext, HeadingIndex, Surroundings } from '@/lib/scan/context';
import { findingDetailsInTab } from '@/lib/background/job-inputs';
import { findingId } from '@/lib/page/finding-id';
import { fakeTab } from '../support/fake-tab';
import { withDetails } from '@/lib/scan/details';
import { inFrame } from '@/lib/page/merge';

const PAGE = `
  <h1>Harbour news</h1>
  <section><h2>Boats return</h2>
    <p>The fleet came home on Tuesday after three weeks at sea, greeted by a crowd on the quay.</p>
    <figure><a href="/story/42"><img id="a" src="/boat.jpg"> Read the story</a><figcaption>The Mary Rose entering the harbour</figcaption></figure>
    <button><img id="b" src="/close.png"> Close the gallery</button>
    <div class="card"><img id="c" src="/net.jpg"><p>Nets drying in the sun on the harbour wall all afternoon</p></div>
  </section>
  <h2 role="heading">Weather</h2>
  <img id="d" src="/storm.png" alt="IMG_2041.jpg">
  <img id="e" src="/ok.png" alt="A calm sea at dawn">
  <div id="host"></div>`;

function load(): Document {
  document.head.innerHTML = '<title>Harbour news</title>';
  document.documentElement.lang = 'en-GB';
  document.body.innerHTML = PAGE;
  const shadow = document.getElementById('host')!.attachShadow({ mode: 'open' });
  shadow.innerHTML = '<div><p>Inside a widget with a sentence of its own text.</p><img id="s" src="/w.png"></div>';
  return document;
}

/** The context the scan used to attach to every missing or suspicious finding (before details were on demand). */
function oldContext(doc: Document, el: Element) {
  const caches = { headings: new HeadingIndex(doc), around: new Surroundings(), texts: new Map(), headingTexts: new Map() };
  return findingContext(el, { pageTitle: doc.title, lang: doc.documentElement.lang }, caches);
}

describe('two phases: the scan for the summary, details for the images being described', () => {
  it('scanFrame keeps only the page title and lang in each finding, and measures nothing it does not judge by', () => {
    const doc = load();
    const scan = scanFrame(doc);
    expect(scan.findings.filter((f) => f.status === 'missing')).toHaveLength(4);
    for (const f of scan.findings) {
      expect(Object.keys(f.context).sort()).toEqual(['lang', 'pageTitle']);
      expect(f.context).toEqual({ pageTitle: 'Harbour news', lang: 'en-GB' });
      expect([f.width, f.height]).toEqual([0, 0]);
    }
  });

  it('findingDetails returns, for the asked findings, the context the old scan path collected', () => {
    const doc = load();
    const scan = scanFrame(doc);
    const describable = scan.findings.filter((f) => f.status === 'missing' || f.status === 'suspicious');
    expect(describable).toHaveLength(5);
    const details = findingDetails(doc, describable.map((f) => f.id));
    expect(details.map((d) => d.id)).toEqual(describable.map((f) => f.id));
    for (const d of details) {
      const el = registryFor(doc).element(d.id)!;
      expect(d.context).toEqual(oldContext(doc, el));
      const rect = el.getBoundingClientRect();
      expect([d.width, d.height]).toEqual([Math.round(rect.width), Math.round(rect.height)]);
    }
    // What the captioner gets is real context, not just the page's.
    const byEl = (id: string) => details.find((d) => registryFor(doc).element(d.id) === doc.getElementById(id))!.context;
    expect(byEl('a')).toMatchObject({ figcaption: 'The Mary Rose entering the harbour', linkText: 'Read the story', heading: 'Boats return' });
    expect(byEl('a').linkHref).toMatch(/\/story\/42$/);
    expect(byEl('b').buttonText).toBe('Close the gallery');
    expect(byEl('c').nearbyText).toBe('Nets drying in the sun on the harbour wall all afternoon');
    expect(byEl('d').heading).toBe('Weather');
    const shadowImg = doc.getElementById('host')!.shadowRoot!.getElementById('s')!;
    expect(details.find((d) => registryFor(doc).element(d.id) === shadowImg)!.context.nearbyText).toContain('Inside a widget');
  });

  it('answers local ids as given and leaves out elements no longer in the page, and merged ids', () => {
    const doc = load();
    const scan = scanFrame(doc);
    const [first, second] = scan.findings;
    registryFor(doc).element(second.id)!.remove();
    const details = findingDetails(doc, [first.id, second.id, 'e999999', inFrame(first, 0, scan.doc).id]);
    expect(details.map((d) => d.id)).toEqual([first.id]);
    const merged = withDetails([first, second], details);
    expect(merged[0].context).toEqual(details[0].context);
    expect(merged[1]).toBe(second);
  });
});

describe('getFindingDetails in the background', () => {
  it('asks each frame only for its own findings, once, and leaves out a frame that cannot be reached', async () => {
    const fake = fakeTab({ 0: '<h2>Top</h2><img src="a.png"><img src="b.png">', 3: '<img src="c.png">', 12: '<h2>Twelve</h2><img src="d.png"><img src="e.png">' });
    const docs = Object.fromEntries((await fake.tab.agents(9)).map((a) => [a.frameId, a.doc]));
    const id = (frameId: number, local: string) => findingId(frameId, docs[frameId], local);
    for (const frameId of [0, 3, 12]) await fake.tab.send('scanFrame', {}, { tabId: 9, frameId });
    fake.sent.length = 0;
    fake.unreachable(3);
    const { details } = await findingDetailsInTab(9, [id(0, 'e1'), id(3, 'e1'), id(0, 'e2'), id(12, 'e2')], { ...fake.tab, tabUrl: async () => '' });
    expect(fake.sent.map((s) => [s.frameId, s.data])).toEqual([
      [0, { doc: docs[0], ids: ['e1', 'e2'] }], [3, { doc: docs[3], ids: ['e1'] }], [12, { doc: docs[12], ids: ['e2'] }],
    ]);
    expect(details.map((d) => d.id)).toEqual([id(0, 'e1'), id(0, 'e2'), id(12, 'e2')]);
    expect(details.map((d) => d.context.heading)).toEqual(['Top', 'Top', 'Twelve']);
  });
});
