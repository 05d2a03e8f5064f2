import { describe, expect, it } from 'vitest';
import { getPageSummary, type TabAccess } from '@/lib/background/page-summary';

function access(overrides: Partial<TabAccess> = {}): TabAccess {
  return {
    getTab: async () => ({ url: 'https://example.com/', title: 'Example' }),
    scanFrames: async () => [{ url: 'https://example.com/', total: 5, missing: 2 }, { url: 'https://ads.example/', total: 1, missing: 1 }],
    inject: async () => {},
    ...overrides,
  };
}

describe('getPageSummary', () => {
  it('sums the frames of a supported page', async () => {
    expect(await getPageSummary(3, access())).toEqual({
      supported: true, tabId: 3, url: 'https://example.com/', title: 'Example', total: 6, missing: 3,
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
        return [{ url: 'https://example.com/', total: 1, missing: 1 }];
      },
    }));
    expect(injected).toBe(true);
    expect(summary).toMatchObject({ supported: true, missing: 1 });
  });

  it('explains when the page stays unreachable', async () => {
    const summary = await getPageSummary(3, access({ scanFrames: async () => { throw new Error('nope'); } }));
    expect(summary).toMatchObject({ supported: false, reason: expect.stringMatching(/Reload it/) });
  });

  it('explains a closed tab', async () => {
    expect(await getPageSummary(3, access({ getTab: async () => undefined }))).toMatchObject({ supported: false, reason: expect.stringMatching(/closed/) });
  });
});
