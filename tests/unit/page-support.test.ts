import { describe, expect, it } from 'vitest';
import { keptFromExtensions, pageSupport } from '@/lib/page/support';
import { tabIdFromSearch } from '@/lib/page/tab-param';

describe('pageSupport', () => {
  it.each([
    'https://example.com/',
    'http://127.0.0.1:8080/page.html',
    'file:///home/me/page.html',
  ])('accepts %s', (url) => {
    expect(pageSupport(url)).toEqual({ supported: true });
  });

  it.each([
    ['chrome://extensions', /chrome:\/\/ pages/],
    ['edge://settings', /edge:\/\/ pages/],
    ['about:blank', /about:\/\/ pages/],
    ['chrome-extension://abc/popup.html', /chrome-extension:\/\/ pages/],
    ['https://chromewebstore.google.com/detail/x', /extension store/],
    ['https://chrome.google.com/webstore/detail/x', /extension store/],
    ['https://addons.mozilla.org/en-US/firefox/', /extension store/],
    ['https://example.com/report.pdf', /PDF/],
    ['file:///tmp/a.PDF', /PDF/],
    [undefined, /their own pages.*toolbar button on that page/],
    ['not a url', /not a web address/],
  ])('refuses %s with a plain reason', (url, reason) => {
    const result = pageSupport(url);
    expect(result.supported).toBe(false);
    if (!result.supported) expect(result.reason).toMatch(reason);
  });
});

describe('tabIdFromSearch', () => {
  it('reads ?tab=N', () => expect(tabIdFromSearch('?tab=42')).toBe(42));
  it.each(['', '?tab=', '?tab=abc', '?tab=-1', '?tab=1.5'])('ignores %j', (s) => expect(tabIdFromSearch(s)).toBeNull());
});

describe('keptFromExtensions', () => {
  it.each([
    ['Missing host permission for the tab', /^Firefox keeps this site from add-ons/],
    ['The extensions gallery cannot be scripted.', /^The browser keeps this page from extensions/],
    ['This page cannot be scripted due to an ExtensionsSettings policy.', /^The browser keeps this page from extensions/],
  ])('names the browser\'s refusal "%s"', (message, reason) => {
    expect(keptFromExtensions(new Error(message))).toEqual({ supported: false, reason: expect.stringMatching(reason) });
  });

  it.each(['Frame with ID 0 is showing error page', 'The page did not answer within 5000 ms', 'nope'])('leaves other failures alone: "%s"', (message) => {
    expect(keptFromExtensions(new Error(message))).toBeNull();
  });
});
