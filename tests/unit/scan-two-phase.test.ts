import { describe, expect, it } from 'vitest';
import { scanFrame, findingDetails } from '@/lib/scan';
import { registryFor } from '@/lib/scan/registry';
import { findingContext, HeadingIndex, Surroundings } from '@/lib/scan/context';
import { findingDetailsInTab, type FrameDetailer } from '@/lib/background/tab-actions';
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

  it('answers merged ids as given and leaves out elements no longer in the page', () => {
    const doc = load();
    const scan = scanFrame(doc);
    const [first, second] = scan.findings.map((f) => inFrame(f, 0));
    registryFor(doc).element(second.id)!.remove();
    const details = findingDetails(doc, [first.id, second.id, '0:e999999']);
    expect(details.map((d) => d.id)).toEqual([first.id]);
    const merged = withDetails([first, second], details);
    expect(merged[0].context).toEqual(details[0].context);
    expect(merged[1]).toBe(second);
  });
});

describe('getFindingDetails in the background', () => {
  it('asks each frame only for its own findings, once, and leaves out a frame that cannot be reached', async () => {
    const calls: Array<[number, number, string[]]> = [];
    const detail: FrameDetailer = async (tabId, frameId, ids) => {
      calls.push([tabId, frameId, ids]);
      if (frameId === 3) throw new Error('Frame 3 did not answer');
      return ids.map((id) => ({ id, context: { pageTitle: 'T', lang: '', heading: `h ${id}` }, width: 10, height: 5 }));
    };
    const { details } = await findingDetailsInTab({ tabId: 9, ids: ['0:e1', '3:e1', '0:e4', '12:e2'] }, detail);
    expect(calls).toEqual([[9, 0, ['0:e1', '0:e4']], [9, 3, ['3:e1']], [9, 12, ['12:e2']]]);
    expect(details.map((d) => d.id)).toEqual(['0:e1', '0:e4', '12:e2']);
    expect(details[0].context.heading).toBe('h 0:e1');
  });
});
