import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { handle, isExtensionPage, parseInput, parseOutput, ProtocolError, protocol, removeAllListeners, sendToFrame } from '@/lib/messaging';
import { answerFrameRequest, FRAME_REQUEST, frameInputs, parseFrameInput, type FrameMessage, type FrameRequest } from '@/lib/page/protocol';

beforeEach(() => fakeBrowser.reset());

describe('protocol map', () => {
  it('every message declares input, output and who may send it', () => {
    for (const [name, spec] of Object.entries(protocol)) {
      expect(spec.input, name).toBeDefined();
      expect(spec.output, name).toBeDefined();
      expect(['frame', 'extension'], name).toContain(spec.access);
    }
  });

  it('rejects a malformed input with the field and the message name', () => {
    expect(() => parseInput('getPageSummary', { tabId: 'seven' })).toThrow(ProtocolError);
    expect(() => parseInput('getPageSummary', { tabId: 'seven' })).toThrow(/getPageSummary.*tabId/);
    expect(() => parseInput('getPageSummary', { tabId: 3, extra: true })).toThrow(/invalid input/);
  });

  it('rejects an output that breaks its schema', () => {
    expect(() => parseOutput('scanFrame', { url: 'x', title: '', lang: '', doc: 'd', counts: { missing: -1, decorative: 0, suspicious: 0, ok: 0, ignored: 0 }, findings: [], scanMs: 0 })).toThrow(/scanFrame.*missing/);
  });

  it('accepts well-formed payloads', () => {
    expect(parseInput('getPageSummary', { tabId: 3 })).toEqual({ tabId: 3 });
  });
});

describe('isExtensionPage', () => {
  const origin = 'chrome-extension://abcdef/';
  it('is true for the popup, options and report pages', () => {
    expect(isExtensionPage({ url: `${origin}popup.html?tab=3` }, origin)).toBe(true);
    expect(isExtensionPage({ url: `${origin}report.html`, tab: { id: 9 } }, origin)).toBe(true);
  });
  it('is false for content scripts and other extensions', () => {
    expect(isExtensionPage({ url: 'https://evil.example/', tab: { id: 1 } }, origin)).toBe(false);
    expect(isExtensionPage({ url: 'chrome-extension://other/popup.html' }, origin)).toBe(false);
    expect(isExtensionPage({}, origin)).toBe(false);
  });
});

describe('who may send what', () => {
  // The frame messages are the content script's: the worker sends them to one frame. Every message
  // the worker answers must be 'extension', or a compromised page could start paid jobs or read
  // key status through a content script.
  it('the frame messages are exactly the ones the content script checks and answers', () => {
    const frame = Object.entries(protocol).filter(([, spec]) => spec.access === 'frame').map(([name]) => name);
    expect(frame.sort()).toEqual(Object.keys(frameInputs).sort());
    for (const name of frame) expect(protocol[name as FrameMessage].input, name).toBe(frameInputs[name as FrameMessage]);
  });

  it('every message the background answers is for extension pages only', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const sources = [
      'entrypoints/background.ts',
      ...readdirSync('lib/background').map((f) => `lib/background/${f}`),
    ].map((f) => readFileSync(f, 'utf8'));
    const answered = new Set(sources.flatMap((s) => [...s.matchAll(/\bhandle\('(\w+)'/g)].map((m) => m[1])));
    expect(answered.size).toBeGreaterThan(5);
    for (const name of answered) {
      expect(protocol[name as keyof typeof protocol]?.access, name).toBe('extension');
    }
  });

  it('the worker refuses a message from anything but its own pages', async () => {
    const handled: unknown[] = [];
    const origin = 'chrome-extension://abcdef/';
    handle('getPageSummary', async (input) => (handled.push(input), { supported: false, tabId: 3, url: '', reason: 'x' }), origin);
    const ask = (url: string) => new Promise((answer) => {
      const sender = { id: fakeBrowser.runtime.id, url, tab: { id: 1 } };
      const message = { id: 1, type: 'getPageSummary', data: { tabId: 3 }, timestamp: 0 };
      void (fakeBrowser.runtime.onMessage.trigger as (...args: unknown[]) => Promise<unknown>)(message, sender, answer);
    });
    expect(JSON.stringify(await ask('https://evil.example/'))).toMatch(/can only be sent from AltScout's own pages/);
    expect(handled).toEqual([]);
    expect(await ask(`${origin}popup.html?tab=3`)).toMatchObject({ res: { supported: false } });
    expect(handled).toEqual([{ tabId: 3 }]);
    removeAllListeners();
  });
});

describe('frame messages: one definition, checked on both sides', () => {
  const DOC = 'k3j2h1g0f9e8';
  const answering = (doc = DOC) => {
    const seen: unknown[] = [];
    const handlers = Object.fromEntries(Object.keys(frameInputs).map((name) => [name, (data: unknown) => (seen.push([name, data]), name === 'scanFrame' ? SCAN : { shown: 1 })])) as never;
    return { seen, transport: async (_tab: number, message: FrameRequest) => answerFrameRequest(doc, handlers, message) };
  };
  const SCAN = { url: 'https://a.test/', title: '', lang: '', doc: DOC, counts: { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 }, findings: [], scanMs: 0 };

  it.each<[string, FrameMessage, unknown]>([
    ['an unknown key', 'scanFrame', { extra: 1 }],
    ['a merged id where a local one belongs', 'jobInputs', { doc: DOC, ids: ['0:abc:e1'] }],
    ['a document token with spaces', 'jobInputs', { doc: 'not a token', ids: [] }],
    ['a string for a boolean', 'highlight', { on: 'yes' }],
    ['alt text over 2,000 characters', 'applyAlt', { doc: DOC, items: [{ id: 'e1', text: 'x'.repeat(2001) }] }],
    ['a time that is not an integer', 'applyAlt', { doc: DOC, items: [{ id: 'e1', text: 'x', generatedAt: 1.5 }] }],
    ['a frame id inside an item', 'applyAlt', { doc: DOC, items: [{ id: 'e1', text: 'x', frameId: 0 }] }],
    ['no ids', 'undoAlt', { doc: DOC }],
    ['an http address to read as a blob', 'readBlob', { doc: DOC, url: 'https://a.test/1.png' }],
  ])('%s is refused by the sender and by the frame (%s), naming the field', async (_what, name, data) => {
    expect(() => parseFrameInput(name, data)).toThrow(new RegExp(`Message "${name}" had an invalid input: .+`));
    const { seen, transport } = answering();
    await expect(sendToFrame(name, data as never, { tabId: 1, frameId: 0 }, transport as never)).rejects.toThrow(/invalid input/);
    expect(seen).toEqual([]);
    // A sender that skipped the check still meets it in the frame.
    const answer = await answerFrameRequest(DOC, {} as never, { type: FRAME_REQUEST, name, data });
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/invalid input/) });
  });

  it('fills defaults the same way on both sides', () => {
    expect(parseFrameInput('applyAlt', { doc: DOC, items: [{ id: 'e1', text: 'A kite' }] })).toEqual({ doc: DOC, items: [{ id: 'e1', text: 'A kite', overwrite: false }] });
    expect(parseInput('applyAlt', { doc: DOC, items: [{ id: 'e1', text: 'A kite' }] })).toEqual(parseFrameInput('applyAlt', { doc: DOC, items: [{ id: 'e1', text: 'A kite' }] }));
  });

  it('a frame holding another document answers pageChanged without running the handler', async () => {
    const { seen, transport } = answering('anotherdoc01');
    expect(await sendToFrame('highlight', { on: true, doc: DOC }, { tabId: 1, frameId: 0 }, transport as never)).toEqual({ pageChanged: true });
    expect(await sendToFrame('highlight', { on: false }, { tabId: 1, frameId: 0 }, transport as never)).toEqual({ shown: 1 });
    expect(seen).toEqual([['highlight', { on: false }]]);
  });

  it('the worker checks what a frame answers', async () => {
    const { transport } = answering();
    await expect(sendToFrame('revealFinding', { doc: DOC, id: 'e1' }, { tabId: 1, frameId: 0 }, transport as never)).rejects.toThrow(/"revealFinding" had an invalid output/);
    expect((await sendToFrame('scanFrame', {}, { tabId: 1, frameId: 0 }, transport as never)).doc).toBe(DOC);
  });
});
