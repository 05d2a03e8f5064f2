import { describe, expect, it } from 'vitest';
import { getPageSummary, type TabAccess } from '@/lib/background/page-summary';
import type { AgentFrame } from '@/lib/background/frames';
import type { Finding, FrameScan } from '@/lib/scan/schema';

const image = (id: string, src: string | null, status: Finding['status'] = 'missing'): Finding => ({
  id, frameId: 0, selector: '', kind: 'img', status, reasons: [], alt: null, src, width: 0, height: 0, context: { pageTitle: '', lang: '' },
});

const frame = (url: string, doc: string, findings: Finding[], ok = 0): FrameScan => ({
  url, title: '', lang: 'en', scanMs: 1, doc,
  counts: { missing: findings.filter((f) => f.status === 'missing').length, decorative: 0, suspicious: 0, ok, ignored: findings.filter((f) => f.status === 'ignored').length },
  findings,
});

const agent = (frameId: number, doc: string, url: string, frameOrigins: string[] = []): AgentFrame => ({ frameId, doc, url, frameOrigins });

const TOP = frame('https://example.com/', 'topdoc1', [image('e1', 'https://example.com/a.png'), image('e2', 'https://cdn.example.net/b.png')], 3);
const ADS = frame('https://ads.example/', 'adsdoc1', [image('e1', 'https://ads.example/x.png')]);

function access(overrides: Partial<TabAccess> = {}, granted: string[] = []): TabAccess {
  const scans: Record<number, FrameScan> = { 0: TOP, 7: ADS };
  return {
    getTab: async () => ({ url: 'https://example.com/', title: 'Example' }),
    agents: async () => [agent(0, 'topdoc1', 'https://example.com/', ['https://ads.example', 'https://video.example']), agent(7, 'adsdoc1', 'https://ads.example/')],
    scan: async (_tab, frameId) => scans[frameId],
    missingAccess: async (origins) => origins.filter((o) => !granted.includes(o)),
    ...overrides,
  };
}

describe('getPageSummary', () => {
  it('merges every frame that has an agent, with ids naming frame and document', async () => {
    const summary = await getPageSummary(3, access());
    expect(summary).toMatchObject({
      supported: true, tabId: 3, url: 'https://example.com/', title: 'Example', frames: 2, page: 'topdoc1',
      counts: { missing: 3, ok: 3, decorative: 0, suspicious: 0, ignored: 0 },
    });
    if (!summary.supported) return;
    expect(summary.findings.map((f) => [f.id, f.frameId])).toEqual([['0:topdoc1:e1', 0], ['0:topdoc1:e2', 0], ['7:adsdoc1:e1', 7]]);
  });

  it('says which sites a step needs access to: frames it could not scan, images it cannot read', async () => {
    // video.example is embedded but no frame of it answered; the images come from the page (granted by the click), a CDN and the ad's site.
    const summary = await getPageSummary(3, access({}, ['https://ads.example/*']));
    expect(summary.supported && summary.needsAccess).toEqual({ frames: ['https://video.example/*'], images: ['https://cdn.example.net/*'] });
    const all = await getPageSummary(3, access({}, ['https://ads.example/*', 'https://video.example/*', 'https://cdn.example.net/*']));
    expect(all.supported && all.needsAccess).toEqual({ frames: [], images: [] });
  });

  it('does not ask for the sites of images no job would describe', async () => {
    const hidden = frame('https://example.com/', 'topdoc1', [image('e1', 'https://pixel.example/p.gif', 'ignored'), image('e2', 'data:image/png;base64,AA')]);
    const summary = await getPageSummary(3, access({ agents: async () => [agent(0, 'topdoc1', 'https://example.com/')], scan: async () => hidden }));
    expect(summary.supported && summary.needsAccess.images).toEqual([]);
  });

  it('does not script a page extensions cannot read', async () => {
    let asked = false;
    const summary = await getPageSummary(3, access({
      getTab: async () => ({ url: 'chrome://settings' }),
      agents: async () => { asked = true; return []; },
    }));
    expect(summary.supported).toBe(false);
    expect(asked).toBe(false);
  });

  it('a page AltScout was not granted: says how to grant it, and which site', async () => {
    const summary = await getPageSummary(3, access({ agents: async () => { throw new Error('Cannot access contents of the page.'); } }));
    expect(summary).toMatchObject({ supported: false, needsAccess: ['https://example.com/*'], reason: expect.stringMatching(/toolbar button.*example\.com/) });
  });

  it('explains when a granted page stays unreachable, and a closed tab', async () => {
    const summary = await getPageSummary(3, access({ agents: async () => { throw new Error('nope'); } }, ['https://example.com/*']));
    expect(summary).toMatchObject({ supported: false, reason: expect.stringMatching(/Reload it/) });
    expect(summary).not.toHaveProperty('needsAccess');
    expect(await getPageSummary(3, access({ getTab: async () => undefined }))).toMatchObject({ supported: false, reason: expect.stringMatching(/closed/) });
  });

  it('says so when the browser keeps a granted site from extensions (Firefox\'s restricted sites, a policy)', async () => {
    const granted = ['https://example.com/*'];
    const firefox = await getPageSummary(3, access({ agents: async () => { throw new Error('Missing host permission for the tab'); } }, granted));
    expect(firefox).toMatchObject({ supported: false, reason: expect.stringMatching(/^Firefox keeps this site from add-ons/) });
    const chromium = await getPageSummary(3, access({ agents: async () => { throw new Error('The extensions gallery cannot be scripted.'); } }, granted));
    expect(chromium).toMatchObject({ supported: false, reason: expect.stringMatching(/^The browser keeps this page from extensions/) });
    // Not granted: the same Firefox words mean AltScout was not given the site, and the popup says how to give it.
    const notGranted = await getPageSummary(3, access({ agents: async () => { throw new Error('Missing host permission for the tab'); } }));
    expect(notGranted).toMatchObject({ supported: false, needsAccess: ['https://example.com/*'] });
  });

  it('leaves out a frame that does not answer, but not the top frame', async () => {
    const slow = await getPageSummary(3, access({ scan: async (_t, frameId) => (frameId === 7 ? Promise.reject(new Error('Frame 7 did not answer')) : TOP) }));
    expect(slow).toMatchObject({ supported: true, frames: 1 });
    const top = await getPageSummary(3, access({ scan: async (_t, frameId) => (frameId === 0 ? Promise.reject(new Error('Frame 0 did not answer')) : ADS) }));
    expect(top).toMatchObject({ supported: false, reason: expect.stringMatching(/Reload it/) });
  });
});
