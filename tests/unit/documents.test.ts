import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { getPageSummary, type TabAccess } from '@/lib/background/page-summary';
import { applyToTab, highlightTab, imageIdInTab, revealInTab, undoTab, PAGE_CHANGED_REASON } from '@/lib/background/tab-actions';
import { findingDetailsInTab, jobInputsInTab, type FramePort } from '@/lib/background/job-inputs';
import { readBlobInTab } from '@/lib/background/page-reads';
import { PageChangedError } from '@/lib/background/frames';
import { parseFindingId } from '@/lib/page/finding-id';
import { parseInput } from '@/lib/messaging';
import { OVERLAY_TAG } from '@/lib/scan/live';
import { fakeTab } from '../support/fake-tab';

beforeEach(() => fakeBrowser.reset());

const TAB = 7;
const TOP = '<h1>Harbour</h1><img id="a" src="https://site.test/a.png"><img id="b" src="https://site.test/b.png"><svg id="s" role="img"><rect/></svg>';
const FRAME = '<img id="f" src="https://ads.test/f.png">';

const port = (fake: ReturnType<typeof fakeTab>): FramePort => ({ ...fake.tab, tabUrl: async () => 'https://site.test/' });

async function scanned(fake: ReturnType<typeof fakeTab>) {
  const access: TabAccess = {
    getTab: async () => ({ url: 'https://site.test/', title: 'Harbour' }),
    agents: () => fake.tab.agents(TAB),
    scan: async (tabId, frameId) => fake.tab.send('scanFrame', {}, { tabId, frameId }),
    missingAccess: async () => [],
  };
  const summary = await getPageSummary(TAB, access);
  if (!summary.supported) throw new Error(summary.reason);
  // Each image's finding id as scanned, by frame and element id (found by the address it showed).
  const ids = new Map<string, string>();
  for (const f of summary.findings) {
    const el = [...fake.document(f.frameId).querySelectorAll('[id]')].find((e) => ((e as HTMLImageElement).src || null) === f.src);
    if (el) ids.set(`${f.frameId}/${el.id}`, f.id);
  }
  const id = (frameId: number, elementId: string) => ids.get(`${frameId}/${elementId}`)!;
  return { summary, id };
}

describe('finding ids name their frame and document', () => {
  it('are "<frameId>:<doc>:<local>", one token per document, another after a reload', async () => {
    const fake = fakeTab({ 0: TOP, 3: FRAME });
    const { summary } = await scanned(fake);
    const parts = summary.findings.map((f) => parseFindingId(f.id)!);
    expect(parts.map((p) => p.frameId)).toEqual([0, 0, 0, 3]);
    expect(new Set(parts.filter((p) => p.frameId === 0).map((p) => p.doc)).size).toBe(1);
    expect(parts[0].doc).not.toBe(parts[3].doc);
    expect(summary.page).toBe(parts[0].doc);
    fake.reload(0);
    const again = await scanned(fake);
    expect(parseFindingId(again.summary.findings[0].id)!.doc).not.toBe(parts[0].doc);
    // The frame that did not reload keeps its document and its ids.
    expect(again.summary.findings.at(-1)!.id).toBe(summary.findings.at(-1)!.id);
  });
});

describe('apply and undo are bound to the document that was scanned', () => {
  it('apply writes into the scanned document and answers with the merged ids', async () => {
    const fake = fakeTab({ 0: TOP, 3: FRAME });
    const { id } = await scanned(fake);
    const result = await applyToTab(parseInput('applyToTab', { tabId: TAB, items: [
      { id: id(0, 'a'), text: 'A red kite', src: 'https://site.test/a.png' },
      { id: id(3, 'f'), text: 'An advert', src: 'https://ads.test/f.png' },
    ] }), fake.tab);
    expect(result).toEqual({ applied: [id(0, 'a'), id(3, 'f')], skipped: [] });
    expect(fake.document(0).getElementById('a')!.getAttribute('alt')).toBe('A red kite');
    expect(fake.document(3).getElementById('f')!.getAttribute('alt')).toBe('An advert');
    expect(await undoTab({ tabId: TAB, ids: [id(0, 'a'), id(0, 'b'), id(3, 'f')] }, fake.tab)).toEqual({ restored: 2 });
    expect(fake.document(0).getElementById('a')!.outerHTML).toBe('<img id="a" src="https://site.test/a.png">');
  });

  it('after a reload, apply changes nothing and says the page changed', async () => {
    const fake = fakeTab({ 0: TOP });
    const { id } = await scanned(fake);
    const ids = [id(0, 'a'), id(0, 'b')];
    fake.reload(0);
    // Before AltScout is opened again the new document has no agent; after, it has one with another token.
    for (const reopen of [false, true]) {
      if (reopen) await fake.tab.agents(TAB);
      const before = fake.document(0).body.innerHTML;
      const result = await applyToTab(parseInput('applyToTab', { tabId: TAB, items: ids.map((i) => ({ id: i, text: 'Stale text' })) }), fake.tab);
      expect(result).toEqual({ applied: [], skipped: ids.map((i) => ({ id: i, reason: PAGE_CHANGED_REASON })), pageChanged: true });
      expect(fake.document(0).body.innerHTML).toBe(before);
    }
  });

  it('after the tab goes to another page, apply and undo change nothing and say the page changed', async () => {
    const fake = fakeTab({ 0: TOP });
    const { id } = await scanned(fake);
    await applyToTab(parseInput('applyToTab', { tabId: TAB, items: [{ id: id(0, 'a'), text: 'A red kite' }] }), fake.tab);
    const applied = id(0, 'a');
    // Page 2 has an element the same local id would name.
    fake.navigate(0, '<img id="a" src="https://site.test/other.png" alt="Theirs">');
    await scanned(fake);
    expect(await undoTab({ tabId: TAB, ids: [applied] }, fake.tab)).toEqual({ restored: 0, pageChanged: true });
    const result = await applyToTab(parseInput('applyToTab', { tabId: TAB, items: [{ id: applied, text: 'Page 1 text', overwrite: true }] }), fake.tab);
    expect(result.pageChanged).toBe(true);
    expect(fake.document(0).body.innerHTML).toBe('<img id="a" src="https://site.test/other.png" alt="Theirs">');
  });

  it('skips an element that shows another image than the one described, and applies the rest', async () => {
    const fake = fakeTab({ 0: TOP });
    const { id } = await scanned(fake);
    fake.document(0).getElementById('a')!.setAttribute('src', 'https://site.test/swapped.png');
    const result = await applyToTab(parseInput('applyToTab', { tabId: TAB, items: [
      { id: id(0, 'a'), text: 'A red kite', src: 'https://site.test/a.png' },
      { id: id(0, 'b'), text: 'A blue boat', src: 'https://site.test/b.png' },
    ] }), fake.tab);
    expect(result.applied).toEqual([id(0, 'b')]);
    expect(result.skipped).toEqual([{ id: id(0, 'a'), reason: expect.stringMatching(/image changed/) }]);
    expect(fake.document(0).getElementById('a')!.hasAttribute('alt')).toBe(false);
  });

  it('reports a frame that cannot be reached apart from a page that changed', async () => {
    const fake = fakeTab({ 0: TOP, 3: FRAME });
    const { id } = await scanned(fake);
    fake.unreachable(3);
    const result = await applyToTab(parseInput('applyToTab', { tabId: TAB, items: [{ id: id(0, 'a'), text: 'x' }, { id: id(3, 'f'), text: 'y' }] }), fake.tab);
    expect(result.applied).toEqual([id(0, 'a')]);
    expect(result.skipped).toEqual([{ id: id(3, 'f'), reason: expect.stringMatching(/could not be reached/) }]);
    expect(result.pageChanged).toBeUndefined();
  });

  it('refuses ids that do not name a document, at the boundary', () => {
    expect(() => parseInput('applyToTab', { tabId: TAB, items: [{ id: '0:e1', text: 'x' }] })).toThrow(/finding id/);
    expect(() => parseInput('undoTab', { tabId: TAB, ids: ['e1'] })).toThrow(/finding id/);
    expect(() => parseInput('revealInTab', { tabId: TAB, id: '0:abc:e1:extra' })).toThrow(/finding id/);
  });
});

describe('reveal, highlight, job inputs and page reads are bound too', () => {
  it('reveal finds the element in its document, and not after a reload', async () => {
    const fake = fakeTab({ 0: TOP });
    const { id } = await scanned(fake);
    expect(await revealInTab({ tabId: TAB, id: id(0, 'a') }, fake.tab)).toEqual({ found: true });
    fake.reload(0);
    await fake.tab.agents(TAB);
    expect(await revealInTab({ tabId: TAB, id: id(0, 'a') }, fake.tab)).toEqual({ found: false, pageChanged: true });
  });

  it('highlight with the summary\'s page token draws nothing once the tab shows another document', async () => {
    const fake = fakeTab({ 0: TOP, 3: FRAME });
    const { summary } = await scanned(fake);
    expect(await highlightTab({ tabId: TAB, on: true, page: summary.page }, fake.tab)).toEqual({ shown: 4 });
    expect(await highlightTab({ tabId: TAB, on: false }, fake.tab)).toEqual({ shown: 0 });
    fake.reload(0);
    expect(await highlightTab({ tabId: TAB, on: true, page: summary.page }, fake.tab)).toEqual({ shown: 0, pageChanged: true });
    expect(fake.document(0).querySelector(OVERLAY_TAG)).toBeNull();
  });

  it('job inputs: each id\'s whole input in one request per document; none from a document that is gone', async () => {
    const fake = fakeTab({ 0: TOP, 3: FRAME });
    const { id } = await scanned(fake);
    fake.sent.length = 0;
    const ids = [id(3, 'f'), id(0, 'a'), id(0, 'b')];
    const { items } = await jobInputsInTab(TAB, ids, port(fake));
    expect(fake.sent.map((s) => [s.frameId, s.name])).toEqual([[3, 'jobInputs'], [0, 'jobInputs']]);
    expect(items.map((i) => i.id)).toEqual(ids);
    expect(items[1]).toMatchObject({ id: id(0, 'a'), frameId: 0, kind: 'img', status: 'missing', alt: null, src: 'https://site.test/a.png', selector: '#a', context: { heading: 'Harbour' } });
    expect(items[0].frameId).toBe(3);
    expect(items.filter((i) => 'skip' in i)).toEqual([]);

    fake.document(0).getElementById('b')!.remove();
    fake.reload(3);
    const after = await jobInputsInTab(TAB, ids, port(fake));
    expect(after.items.map((i) => ('skip' in i ? i.skip.code : 'found'))).toEqual(['page-changed', 'found', 'not-found']);
    expect((await findingDetailsInTab(TAB, ids, port(fake))).pageChanged).toBe(true);
  });

  it('a blob read names the document, and a reloaded page refuses it', async () => {
    const fake = fakeTab({ 0: TOP });
    const { id } = await scanned(fake);
    fake.reload(0);
    await fake.tab.agents(TAB);
    await expect(readBlobInTab(TAB, id(0, 'a'), 'blob:https://site.test/1', fake.tab)).rejects.toBeInstanceOf(PageChangedError);
    await expect(readBlobInTab(TAB, 'context-menu-image', 'blob:https://site.test/1', fake.tab)).rejects.toBeInstanceOf(PageChangedError);
    expect(fake.sent.filter((s) => s.name === 'readBlob')).toHaveLength(1);
  });

  it('the context menu\'s image gets a finding id in the document clicked', async () => {
    const fake = fakeTab({ 0: TOP, 3: FRAME });
    const found = await imageIdInTab(TAB, 3, 'https://ads.test/f.png', fake.tab);
    const { id } = await scanned(fake);
    expect(found).toBe(id(3, 'f'));
    expect(await imageIdInTab(TAB, 0, 'https://site.test/none.png', fake.tab)).toBeNull();
  });
});
