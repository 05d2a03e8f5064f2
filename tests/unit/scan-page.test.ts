import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ContentAgent } from '@/lib/page/content-agent';
import { contentPage } from '../support/content-page';
import { OVERLAY_TAG } from '@/lib/page/overlay';
import { getPageSummary, withTimeout } from '@/lib/background/page-summary';
import { applyToTab, highlightTab, undoTab, type FrameMessenger } from '@/lib/background/tab-actions';
import type { FrameScan } from '@/lib/page/schema';
import { parseContentInput, type ContentMessage } from '@/lib/page/content-messages';
import { protocol } from '@/lib/messaging';

beforeEach(() => fakeBrowser.reset());

const page = contentPage;

describe('applying descriptions in the page', () => {
  it('sets alt on images and aria-label on role=img and svg, as attributes', () => {
    const { agent, scan } = page('<img id="a" src="a.png"><div id="b" role="img"></div><svg id="c"><rect/></svg><input id="d" type="image" src="d.png">');
    const items = scan.findings.map((f) => ({ id: f.id, text: `<b>Desc</b> ${f.kind}`, overwrite: true }));
    expect(agent.apply(items).applied).toHaveLength(4);
    expect(document.getElementById('a')!.getAttribute('alt')).toBe('<b>Desc</b> img');
    expect(document.getElementById('a')!.children).toHaveLength(0);
    expect(document.getElementById('b')!.getAttribute('aria-label')).toBe('<b>Desc</b> role-img');
    expect(document.getElementById('c')!.getAttribute('aria-label')).toBe('<b>Desc</b> svg');
    expect(document.getElementById('c')!.getAttribute('role')).toBe('img');
    expect(document.getElementById('d')!.getAttribute('alt')).toBe('<b>Desc</b> input-image');
  });

  it('never overwrites alt a person wrote or a decorative mark unless asked', () => {
    const { agent, id } = page('<img id="x" src="a.png" alt="Written by a person"><img id="y" src="b.png" alt="">');
    const result = agent.apply([{ id: id('#x'), text: 'Model text', overwrite: false }, { id: id('#y'), text: 'Model text', overwrite: false }]);
    expect(result.applied).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/person wrote/), expect.stringMatching(/decorative/)]);
    expect(document.getElementById('x')!.getAttribute('alt')).toBe('Written by a person');
    expect(agent.apply([{ id: id('#x'), text: 'Model text', overwrite: true }]).applied).toHaveLength(1);
    expect(document.getElementById('x')!.getAttribute('alt')).toBe('Model text');
  });

  it('fills alt made of spaces (it is missing, not written)', () => {
    const { agent, id } = page('<img id="s" src="a.png" alt="  ">');
    expect(agent.apply([{ id: id('#s'), text: 'A kite', overwrite: false }]).applied).toHaveLength(1);
  });

  it('records model and time when given, and undo restores exactly, absence included', () => {
    const { agent, id } = page('<img id="a" src="a.png"><img id="b" src="b.png" alt="Old" data-altscout-model="keep-me">');
    agent.apply([
      { id: id('#a'), text: 'First', overwrite: false, model: 'vendor/model-1', generatedAt: Date.UTC(2026, 0, 2) },
      { id: id('#b'), text: 'Second', overwrite: true, model: 'vendor/model-2' },
    ]);
    const a = document.getElementById('a')!;
    expect(a.getAttribute('data-altscout-model')).toBe('vendor/model-1');
    expect(a.getAttribute('data-altscout-time')).toBe('2026-01-02T00:00:00.000Z');
    // Applying twice keeps the first originals, so undo still goes back to the page as it was.
    agent.apply([{ id: id('#a'), text: 'Edited', overwrite: false }]);
    expect(a.getAttribute('alt')).toBe('Edited');
    expect(agent.undo()).toBe(2);
    expect(a.outerHTML).toBe('<img id="a" src="a.png">');
    expect(document.getElementById('b')!.outerHTML).toBe('<img id="b" src="b.png" alt="Old" data-altscout-model="keep-me">');
    expect(agent.undo()).toBe(0);
  });

  it('explains items it cannot apply', () => {
    const { agent, id } = page('<img id="a" src="a.png">');
    const target = id('#a');
    document.getElementById('a')!.remove();
    expect(agent.apply([{ id: target, text: 'x', overwrite: false }, { id: 'e999', text: 'x', overwrite: false }]).skipped).toEqual([
      { id: target, reason: 'The element is no longer on the page' },
      { id: 'e999', reason: 'The element is no longer on the page' },
    ]);
    document.body.innerHTML = '<img id="b" src="b.png">';
    const again = new ContentAgent(document);
    const [f] = again.scan().findings;
    expect(again.apply([{ id: f.id, text: '   ', overwrite: false }]).skipped[0].reason).toMatch(/empty/);
  });
});

describe('highlight overlay', () => {
  it('draws badges by status in a shadow root, takes no focus, and is removed cleanly', () => {
    const { agent } = page('<button id="focus">x</button><img src="a.png" style="width:10px;height:10px"><img src="b.png" alt="IMG_1.jpg" style="width:10px;height:10px"><img src="c.png" alt="ok text" style="width:10px;height:10px">');
    document.getElementById('focus')!.focus();
    const before = document.body.innerHTML;
    expect(agent.highlight(true)).toBe(2);
    const host = document.querySelector(OVERLAY_TAG)!;
    expect(host.getAttribute('aria-hidden')).toBe('true');
    expect(host.shadowRoot!.querySelectorAll('[tabindex], button, a').length).toBe(0);
    expect(document.activeElement!.id).toBe('focus');
    agent.highlight(false);
    expect(document.querySelector(OVERLAY_TAG)).toBeNull();
    expect(document.body.innerHTML).toBe(before);
  });

  it('reveals a finding by id without moving focus', () => {
    const { agent, scan } = page('<img src="a.png">');
    expect(agent.reveal(scan.findings[0].id)).toBe(true);
    expect(agent.reveal('e404')).toBe(false);
  });
});

describe('background: merging frames and fanning out to them', () => {
  const frame = (url: string, ids: string[]): FrameScan & { frameId: number } => ({
    url, title: '', lang: 'en', scanMs: 1, frameId: url.includes('ads') ? 7 : 0,
    counts: { missing: ids.length, decorative: 0, suspicious: 0, ok: 0, ignored: 0 },
    findings: ids.map((id) => ({ id, frameId: 0, selector: 'img', kind: 'img', status: 'missing', reasons: [], alt: null, src: null, width: 1, height: 1, context: { pageTitle: '', lang: '' } })),
  });

  it('makes ids unique across frames and records each frame', async () => {
    const summary = await getPageSummary(1, {
      getTab: async () => ({ url: 'https://example.com/' }),
      scanFrames: async () => [frame('https://example.com/', ['e1', 'e2']), frame('https://ads.example/', ['e1'])],
      inject: async () => {},
    });
    if (!summary.supported) throw new Error('unsupported');
    expect(summary.findings.map((f) => [f.id, f.frameId])).toEqual([['0:e1', 0], ['0:e2', 0], ['7:e1', 7]]);
    expect(summary.counts.missing).toBe(3);
  });

  it('times out a frame that never answers', async () => {
    await expect(withTimeout(new Promise(() => {}), 10, 'Frame 3')).rejects.toThrow('Frame 3 did not answer within 10 ms');
  });

  function frames(answer: Record<number, 'ok' | 'fail'>): FrameMessenger & { calls: string[] } {
    const calls: string[] = [];
    const reply = <T>(frameId: number, value: T) => (answer[frameId] === 'fail' ? Promise.reject(new Error('gone')) : Promise.resolve(value));
    return {
      calls,
      frameIds: async () => Object.keys(answer).map(Number),
      apply: (tabId, frameId, items) => { calls.push(`apply ${tabId}/${frameId} ${items.map((i) => i.id)}`); return reply(frameId, { applied: items.map((i) => i.id), skipped: [] }); },
      undo: (tabId, frameId) => { calls.push(`undo ${frameId}`); return reply(frameId, 2); },
      highlight: (tabId, frameId, on) => { calls.push(`highlight ${frameId} ${on}`); return reply(frameId, 3); },
    };
  }

  it('sends each frame only its own items and reports a frame that cannot be reached', async () => {
    const messenger = frames({ 0: 'ok', 4: 'fail' });
    const result = await applyToTab({ tabId: 9, items: [
      { id: '0:e1', frameId: 0, text: 'a', overwrite: false },
      { id: '4:e1', frameId: 4, text: 'b', overwrite: false },
      { id: '0:e2', frameId: 0, text: 'c', overwrite: false },
    ] }, messenger);
    expect(messenger.calls).toEqual(['apply 9/0 0:e1,0:e2', 'apply 9/4 4:e1']);
    expect(result.applied).toEqual(['0:e1', '0:e2']);
    expect(result.skipped).toEqual([{ id: '4:e1', reason: expect.stringMatching(/could not be reached/) }]);
  });

  it('sums undo and highlight over the frames that answer', async () => {
    expect(await undoTab(9, frames({ 0: 'ok', 2: 'ok', 5: 'fail' }))).toBe(4);
    expect(await highlightTab(9, true, frames({ 0: 'ok', 2: 'fail' }))).toBe(3);
  });
});

describe('content-script message checks agree with the zod protocol', () => {
  const samples: Array<[ContentMessage, unknown]> = [
    ['scanFrame', {}], ['scanFrame', undefined], ['scanFrame', { extra: 1 }], ['scanFrame', 'x'],
    ['undoAlt', {}], ['undoAlt', { all: true }],
    ['findingDetails', { ids: [] }], ['findingDetails', { ids: ['0:e1', 'e2'] }], ['findingDetails', { ids: [1] }], ['findingDetails', { ids: 'e1' }],
    ['findingDetails', {}], ['findingDetails', { ids: ['e1'], extra: true }],
    ['highlight', { on: true }], ['highlight', { on: false, ids: ['0:e1'] }], ['highlight', { on: 'yes' }], ['highlight', { on: true, ids: [1] }], ['highlight', {}],
    ['revealFinding', { id: 'e1' }], ['revealFinding', { id: 3 }], ['revealFinding', {}],
    ['applyAlt', { items: [] }],
    ['applyAlt', { items: [{ id: 'e1', text: 'A kite' }] }],
    ['applyAlt', { items: [{ id: 'e1', text: 'A kite', overwrite: true, model: 'a/b', generatedAt: 1 }] }],
    ['applyAlt', { items: [{ id: 'e1', text: 'x'.repeat(2001) }] }],
    ['applyAlt', { items: [{ id: 'e1', text: 'x', overwrite: 'yes' }] }],
    ['applyAlt', { items: [{ id: 'e1', text: '', decorative: true, overwrite: true }] }],
    ['applyAlt', { items: [{ id: 'e1', text: '', decorative: 'yes' }] }],
    ['applyAlt', { items: [{ id: 'e1', text: 'x', generatedAt: -1 }] }],
    ['applyAlt', { items: [{ id: 'e1', text: 'x', generatedAt: 1.5 }] }],
    ['applyAlt', { items: [{ text: 'x' }] }],
    ['applyAlt', { items: 'all' }],
    ['readBlob', { url: 'blob:https://a.test/1' }], ['readBlob', { url: 'https://a.test/1.png' }],
  ];

  it.each(samples)('%s %j', (name, data) => {
    const zod = protocol[name].input.safeParse(data ?? {});
    let light: unknown;
    let lightError: unknown = null;
    try {
      light = parseContentInput[name](data);
    } catch (error) {
      lightError = error;
    }
    expect(lightError === null).toBe(zod.success);
    if (zod.success) expect(light).toEqual(zod.data);
    else expect(String(lightError)).toMatch(new RegExp(`Message "${name}" had an invalid input: .+`));
  });
});
