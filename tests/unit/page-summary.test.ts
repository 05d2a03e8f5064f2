import { describe, expect, it } from 'vitest';
import { getPageSummary, type TabAccess } from '@/lib/background/page-summary';
import type { FrameScan } from '@/lib/page/schema';

const frame = (url: string, missing: number, ok = 0): FrameScan => ({
  url, title: '', lang: 'en', scanMs: 1,
  counts: { missing, decorative: 0, suspicious: 0, ok, ignored: 0 },
  findings: [],
});

function access(overrides: Partial<TabAccess> = {}): TabAccess {
  return {
    getTab: async () => ({ url: 'https://example.com/', title: 'Example' }),
    scanFrames: async () => [frame('https://example.com/', 2, 3), frame('https://ads.example/', 1)],
    inject: async () => {},
    ...overrides,
  };
}

describe('getPageSummary', () => {
  it('sums the frames of a supported page', async () => {
    expect(await getPageSummary(3, access())).toMatchObject({
      supported: true, tabId: 3, url: 'https://example.com/', title: 'Example', frames: 2,
      counts: { missing: 3, ok: 3, decorative: 0, suspicious: 0, ignored: 0 },
    });
  });

  it('does not message a page extensions cannot read', async () => {
    let asked = false;
    const summary = await getPageSummary(3, access({
      getTab: async () => ({ url: 'chrome://settings' }),
      scanFrames: async () => { asked = true; return []; },
    }));
    expect(summary.supported).toBe(false);
    expect(asked).toBe(false);
  });

  it('injects the content script into a tab opened before install, then retries', async () => {
    let injected = false;
    const summary = await getPageSummary(3, access({
      inject: async () => { injected = true; },
      scanFrames: async () => {
        if (!injected) throw new Error('Could not establish connection. Receiving end does not exist.');
        return [frame('https://example.com/', 1)];
      },
    }));
    expect(injected).toBe(true);
    expect(summary).toMatchObject({ supported: true, counts: { missing: 1 } });
  });

  it('explains when the page stays unreachable', async () => {
    const summary = await getPageSummary(3, access({ scanFrames: async () => { throw new Error('nope'); } }));
    expect(summary).toMatchObject({ supported: false, reason: expect.stringMatching(/Reload it/) });
  });

  it('explains a closed tab', async () => {
    expect(await getPageSummary(3, access({ getTab: async () => undefined }))).toMatchObject({ supported: false, reason: expect.stringMatching(/closed/) });
  });
});
