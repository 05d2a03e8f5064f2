import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { startAgent } from '@/lib/page/agent';
import { agentsIn, isPageChanged, probeAgents, PageChangedError, type Scripting } from '@/lib/background/frames';
import { rasteriseInPage } from '@/lib/image/page-raster';
import { AGENT_GLOBAL, FRAME_REQUEST, type FrameReply } from '@/lib/page/protocol';
import { findingId, groupByDocument, parseFindingId } from '@/lib/page/finding-id';
import { frameOrigins } from '@/lib/page/content-agent';

beforeEach(() => fakeBrowser.reset());

describe('finding ids', () => {
  it('round-trip, and anything else is not one', () => {
    expect(findingId(12, 'k3j2h1g0f9e8', 'e7')).toBe('12:k3j2h1g0f9e8:e7');
    expect(parseFindingId('12:k3j2h1g0f9e8:e7')).toEqual({ frameId: 12, doc: 'k3j2h1g0f9e8', local: 'e7' });
    for (const bad of ['e7', '0:e7', '-1:d:e7', '01:d:e7', '0:d:e7:x', '0::e7', '0:d d:e7', '0:d:', ' 0:d:e7', '0:d:e7\n']) expect(parseFindingId(bad), bad).toBeNull();
    expect(() => findingId(0, 'a:b', 'e1')).toThrow(RangeError);
    expect(() => findingId(-1, 'doc', 'e1')).toThrow(RangeError);
  });

  it('group by document, in first-seen order, with ids that are not merged set apart', () => {
    const { groups, invalid } = groupByDocument(['0:a:e1', '3:b:e1', '0:a:e2', '0:c:e1', 'e9']);
    expect(groups).toEqual([
      { frameId: 0, doc: 'a', locals: ['e1', 'e2'], ids: ['0:a:e1', '0:a:e2'] },
      { frameId: 3, doc: 'b', locals: ['e1'], ids: ['3:b:e1'] },
      { frameId: 0, doc: 'c', locals: ['e1'], ids: ['0:c:e1'] },
    ]);
    expect(invalid).toEqual(['e9']);
  });
});

/** The runtime a content script sees: its own id, and a message listener. */
function runtime(id = fakeBrowser.runtime.id) {
  const listeners: Array<(message: unknown, sender: { id?: string }, sendResponse: (a: unknown) => void) => boolean | undefined> = [];
  return {
    id,
    onMessage: { addListener: (l: (typeof listeners)[number]) => void listeners.push(l) },
    listeners,
    /** Delivers a message as tabs.sendMessage would; resolves with the answer (undefined when none). */
    deliver: (message: unknown, sender: { id?: string }) => new Promise<unknown>((resolve) => {
      const async = listeners.some((l) => l(message, sender, resolve));
      if (!async) resolve(undefined);
    }),
  };
}

describe('the injected agent', () => {
  /** Markup with frames, inert (in a template), so happy-dom does not try to load them. */
  const inert = (html: string) => {
    const template = document.createElement('template');
    template.innerHTML = html;
    return template.content;
  };

  it('starts once per document: a second injection finds it and answers the same hello', () => {
    document.body.innerHTML = '<img src="a.png">';
    const scope = {};
    const rt = runtime();
    const first = startAgent(document, scope, rt);
    const second = startAgent(document, scope, rt);
    expect(second).toEqual(first);
    expect(first).toEqual({ doc: expect.stringMatching(/^[a-z0-9]{12}$/), url: document.URL, frameOrigins: [] });
    expect(rt.listeners).toHaveLength(1);
    expect((scope as Record<string, unknown>)[AGENT_GLOBAL]).toBeDefined();
  });

  it('answers frame requests from the extension only, and nothing else it hears', async () => {
    document.body.innerHTML = '<img src="a.png">';
    const rt = runtime();
    const { doc } = startAgent(document, {}, rt);
    const request = { type: FRAME_REQUEST, name: 'scanFrame', data: {} };
    const reply = (await rt.deliver(request, { id: rt.id })) as FrameReply;
    expect(reply.ok && (reply.value as { doc: string }).doc).toBe(doc);
    expect(await rt.deliver(request, { id: 'another-extension' })).toBeUndefined();
    expect(await rt.deliver({ type: 'scanFrame', data: {} }, { id: rt.id })).toBeUndefined();
    expect(await rt.deliver({ type: FRAME_REQUEST, name: 'toString', data: {} }, { id: rt.id })).toBeUndefined();
  });

  it('lists the sites of the frames a document embeds, once each and at most 50', () => {
    expect(frameOrigins(inert('<iframe src="https://ads.example/x"></iframe><iframe src="http://shop.example/same"></iframe><iframe src="https://ads.example/y"></iframe><iframe srcdoc="<p>"></iframe><iframe src="javascript:void 0"></iframe>')))
      .toEqual(['https://ads.example', 'http://shop.example']);
    expect(frameOrigins(inert(Array.from({ length: 60 }, (_, i) => `<iframe src="https://s${i}.example/"></iframe>`).join('')))).toHaveLength(50);
  });
});

describe('finding the frames of a tab', () => {
  /** Frames 0 and 4 have an agent already; 9 has none until the file is injected into it. */
  function scripting(fail?: 'frameIds' | 'top'): Scripting & { calls: unknown[] } {
    const agents = new Map<number, string | null>([[0, 'doczero00001'], [4, 'docfour00001'], [9, null]]);
    const hello = (frameId: number) => ({ doc: agents.get(frameId), url: `https://f${frameId}.test/`, frameOrigins: [] });
    const calls: unknown[] = [];
    return {
      calls,
      async executeScript({ target, files }) {
        calls.push({ target, files });
        if (fail === 'top') throw new Error('Cannot access contents of the page. Extension manifest must request permission to access the respective host.');
        if (fail === 'frameIds' && target.frameIds) throw new Error('No frame with id 9 in tab 1.');
        const frames = target.frameIds ?? [...agents.keys()];
        return frames.map((frameId) => {
          if (files) agents.set(frameId, agents.get(frameId) ?? `docnew0000${frameId}`);
          return { frameId, result: agents.get(frameId) ? hello(frameId) : null };
        });
      },
    };
  }

  it('probes every frame, injects the agent only where there is none, and lists them all', async () => {
    const api = scripting();
    const frames = await agentsIn(1, api);
    expect(frames.map((f) => [f.frameId, f.doc])).toEqual([[0, 'doczero00001'], [4, 'docfour00001'], [9, 'docnew00009']]);
    expect(api.calls).toEqual([{ target: { tabId: 1, allFrames: true }, files: undefined }, { target: { tabId: 1, frameIds: [9] }, files: ['/page-agent.js'] }]);
    // Next time every frame answers the probe: nothing is injected.
    api.calls.length = 0;
    await agentsIn(1, api);
    expect(api.calls).toHaveLength(1);
  });

  it('injects into every frame again when a frame went away between the calls (the agent is idempotent)', async () => {
    const api = scripting('frameIds');
    expect((await agentsIn(1, api)).map((f) => f.frameId)).toEqual([0, 4, 9]);
    expect(api.calls.at(-1)).toEqual({ target: { tabId: 1, allFrames: true }, files: ['/page-agent.js'] });
  });

  it('probing injects nothing; a page AltScout may not script rejects', async () => {
    const api = scripting();
    expect((await probeAgents(1, api)).map((f) => f.frameId)).toEqual([0, 4]);
    expect(api.calls).toHaveLength(1);
    await expect(agentsIn(1, scripting('top'))).rejects.toThrow(/Cannot access/);
  });

  it('tells a page that changed from a frame that is slow', () => {
    for (const gone of [new PageChangedError(), new Error('Could not establish connection. Receiving end does not exist.'), new Error('No tab with id: 4.'), new Error('The message port closed before a response was received.')]) {
      expect(isPageChanged(gone), gone.message).toBe(true);
    }
    expect(isPageChanged(new Error('Frame 3 did not answer within 3000 ms'))).toBe(false);
  });
});

describe('drawing SVG in the page', () => {
  it('draws only in the document the job\'s item came from', async () => {
    document.body.innerHTML = '<svg id="s" role="img" width="10" height="10"><rect width="10" height="10"/></svg>';
    const scope = globalThis as Record<string, unknown>;
    delete scope[AGENT_GLOBAL];
    try {
      // No agent (a document AltScout was never opened on, or the page reloaded since): nothing drawn.
      expect(await rasteriseInPage({ doc: 'doczero00001', local: 'e1' }, null, 100)).toEqual({ pageChanged: true });
      const { doc } = startAgent(document, scope, runtime());
      expect(await rasteriseInPage({ doc: 'another00001', local: 'e1' }, null, 100)).toEqual({ pageChanged: true });
      // The right document: it looks the element up by its id there (gone here, so it says so).
      expect(await rasteriseInPage({ doc, local: 'e404' }, null, 100)).toEqual({ error: expect.stringMatching(/no longer on the page/) });
    } finally {
      delete scope[AGENT_GLOBAL];
    }
  });
});
