import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { ALL_SITES, browserHostAccess, hostAccess, originOf, originsForImages, originsForPage, patternFor, patternsFor, requestAccess, type PermissionsApi } from '@/lib/permissions';

beforeEach(() => fakeBrowser.reset());

describe('which sites a step needs', () => {
  it('takes the http(s) origin of an address, and nothing from other schemes or junk', () => {
    expect(originOf('https://cdn.example.com:8443/a/b.png?x=1')).toBe('https://cdn.example.com:8443');
    expect(originOf('http://127.0.0.1:5000/')).toBe('http://127.0.0.1:5000');
    for (const url of ['data:image/png;base64,AA', 'blob:https://a.test/1', 'file:///tmp/a.png', 'chrome://settings', 'not a url', '', null]) expect(originOf(url)).toBeNull();
  });

  it('names the page and its frames as sites, once each, sorted', () => {
    expect(originsForPage('https://shop.example/menu', ['https://ads.example', 'https://shop.example:8443', 'about:blank'])).toEqual(['https://ads.example/*', 'https://shop.example/*']);
  });

  it('names the sites images are read from; data: and blob: images need none, nor the page\'s own origin', () => {
    const images = [{ src: 'https://cdn.example/a.png' }, { src: null }, { src: 'data:image/png;base64,AA' }, 'blob:https://x.test/1', 'https://cdn.example/b.png', 'http://img.example/c.png', 'https://shop.example/logo.png'];
    expect(originsForImages(images)).toEqual(['http://img.example/*', 'https://cdn.example/*', 'https://shop.example/*']);
    expect(originsForImages(images, 'https://shop.example/menu')).toEqual(['http://img.example/*', 'https://cdn.example/*']);
  });

  it('asks the browser for the sites (any port) or for every site', () => {
    expect(patternFor('http://127.0.0.1:5000/a.png')).toBe('http://127.0.0.1/*');
    expect(patternFor('ftp://x.example/')).toBeNull();
    expect(patternsFor('site', ['https://cdn.example/*', 'https://cdn.example/*'])).toEqual(['https://cdn.example/*']);
    expect(patternsFor('all', ['https://cdn.example/*'])).toEqual([...ALL_SITES]);
  });
});

/**
 * The browser's permissions API as Chromium behaves, which WXT's fake browser does not implement:
 * grants by match pattern, and a prompt only during a user gesture (a click handler's own turn).
 */
function chromiumPermissions(answer: 'allow' | 'deny', required: string[] = []) {
  const granted = new Set<string>(required);
  const prompts: string[][] = [];
  const listeners = { added: new Set<() => void>(), removed: new Set<() => void>() };
  let gesture = false;
  const covers = (pattern: string, origin: string) => {
    if (pattern === '<all_urls>') return true;
    const [scheme, rest] = pattern.split('://');
    const host = rest.slice(0, rest.indexOf('/'));
    const url = new URL(origin.replace(/\/\*$/, '/'));
    return (scheme === '*' || `${scheme}:` === url.protocol) && (host === '*' || host === url.hostname);
  };
  const api: PermissionsApi = {
    contains: async ({ origins }) => origins.every((o) => [...granted].some((g) => covers(g, o))),
    request: async ({ origins }) => {
      if (!gesture) throw new Error('This function must be called during a user gesture');
      prompts.push(origins);
      if (answer === 'deny') return false;
      origins.forEach((o) => granted.add(o));
      listeners.added.forEach((l) => l());
      return true;
    },
    remove: async ({ origins }) => {
      if (origins.some((o) => required.includes(o))) throw new Error('You cannot remove required permissions.');
      origins.forEach((o) => granted.delete(o));
      listeners.removed.forEach((l) => l());
      return true;
    },
    getAll: async () => ({ origins: [...granted] }),
    onAdded: { addListener: (l) => listeners.added.add(l), removeListener: (l) => listeners.added.delete(l) },
    onRemoved: { addListener: (l) => listeners.removed.add(l), removeListener: (l) => listeners.removed.delete(l) },
  };
  /** Runs `handler` as a click: the gesture lasts for its synchronous part only. */
  const click = <T>(handler: () => Promise<T>): Promise<T> => {
    gesture = true;
    try {
      return handler();
    } finally {
      gesture = false;
    }
  };
  return { api, prompts, click, granted };
}

describe('asking for access from a click', () => {
  beforeEach(() => {
    // Wire the model into WXT's fake browser, which has no permissions API of its own.
    fakeBrowser.permissions = chromiumPermissions('deny').api as never;
  });

  const CDN = 'https://cdn.example/*';
  const ADS = 'https://ads.example/*';

  it('"this site" asks for exactly the sites the step needs, and they are then granted', async () => {
    const browser = chromiumPermissions('allow');
    const access = hostAccess(() => browser.api, () => []);
    expect(await access.missing([CDN, ADS])).toEqual([CDN, ADS]);
    expect(await browser.click(() => access.request('site', [CDN, ADS]))).toBe(true);
    expect(browser.prompts).toEqual([[CDN, ADS]]);
    expect(await access.missing([CDN, ADS, 'https://other.example/*'])).toEqual(['https://other.example/*']);
  });

  it('"all sites" asks for every http and https site', async () => {
    const browser = chromiumPermissions('allow');
    expect(await browser.click(() => requestAccess('all', [CDN], browser.api))).toBe(true);
    expect(browser.prompts).toEqual([['http://*/*', 'https://*/*']]);
    expect(await hostAccess(() => browser.api).missing(['https://anything.example/*', 'http://127.0.0.1/*'])).toEqual([]);
  });

  it('reaches the prompt within the click\'s gesture (nothing awaited first)', async () => {
    const browser = chromiumPermissions('allow');
    const access = hostAccess(() => browser.api, () => []);
    // Awaiting anything before the request loses the gesture, as the browser enforces.
    const late = browser.click(async () => {
      await Promise.resolve();
      return access.request('site', [CDN]);
    });
    await expect(late).rejects.toThrow(/user gesture/);
    await expect(browser.click(() => access.request('site', [CDN]))).resolves.toBe(true);
  });

  it('a refusal grants nothing and says so', async () => {
    const browser = chromiumPermissions('deny');
    const access = hostAccess(() => browser.api, () => []);
    expect(await browser.click(() => access.request('site', [CDN]))).toBe(false);
    expect(await access.missing([CDN])).toEqual([CDN]);
  });

  it('the options page lists every grant, the build\'s required ones not removable, and takes one back', async () => {
    const browser = chromiumPermissions('allow', ['<all_urls>']);
    const access = hostAccess(() => browser.api, () => ['<all_urls>']);
    let changes = 0;
    const stop = access.onChange(() => (changes += 1));
    await browser.click(() => access.request('site', [CDN]));
    expect(await access.granted()).toEqual([{ origin: '<all_urls>', removable: false }, { origin: CDN, removable: true }]);
    expect(await access.revoke(CDN)).toBe(true);
    expect(await access.granted()).toEqual([{ origin: '<all_urls>', removable: false }]);
    await expect(access.revoke('<all_urls>')).rejects.toThrow(/required/);
    expect(changes).toBe(2);
    stop();
    await browser.click(() => access.request('site', [ADS]));
    expect(changes).toBe(2);
  });

  it('the browser\'s own adapter reads WXT\'s browser (here the fake, given a permissions API) at each call', async () => {
    const browser = chromiumPermissions('allow');
    fakeBrowser.permissions = browser.api as never;
    fakeBrowser.runtime.getManifest = (() => ({ manifest_version: 3, name: 'AltScout', version: '0', optional_host_permissions: ['http://*/*', 'https://*/*'] })) as never;
    expect(await browser.click(() => browserHostAccess.request('site', [CDN]))).toBe(true);
    expect(await browserHostAccess.granted()).toEqual([{ origin: CDN, removable: true }]);
  });
});
