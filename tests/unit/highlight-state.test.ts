import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { highlightAndRemember, registerTabActions } from '@/lib/background/tab-actions';
import { highlightedTabsItem, isTabHighlighted } from '@/lib/storage';
import { removeAllListeners } from '@/lib/messaging';
import { fakeTab } from '../support/fake-tab';

beforeEach(() => {
  fakeBrowser.reset();
  removeAllListeners();
});

const frames = () => fakeTab({ 0: '<img src="a.png"><img src="b.png"><img src="c.png"><img src="d.png">' }).tab;

describe('remembered highlight state per tab', () => {
  it('is kept per tab in session storage while the highlights are on', async () => {
    expect(await highlightAndRemember({ tabId: 3, on: true }, frames())).toEqual({ shown: 4 });
    expect(await highlightAndRemember({ tabId: 5, on: true }, frames())).toEqual({ shown: 4 });
    expect(await isTabHighlighted(3)).toBe(true);
    expect(await highlightAndRemember({ tabId: 3, on: false }, frames())).toEqual({ shown: 0 });
    expect(await isTabHighlighted(3)).toBe(false);
    expect(await isTabHighlighted(5)).toBe(true);
    expect(await highlightedTabsItem.getValue()).toEqual({ 5: true });
    expect(highlightedTabsItem.key).toBe('session:highlightedTabs');
  });

  it('is not remembered as on when the tab shows another document than the one scanned', async () => {
    expect(await highlightAndRemember({ tabId: 3, on: true, page: 'olddocument1' }, frames())).toEqual({ shown: 0, pageChanged: true });
    expect(await isTabHighlighted(3)).toBe(false);
  });

  it('is cleared when the tab loads a new page or closes, and only for that tab', async () => {
    registerTabActions(frames());
    await highlightedTabsItem.setValue({ 3: true, 5: true, 8: true });
    await fakeBrowser.tabs.onUpdated.trigger(3, { title: 'same page' }, {} as never);
    expect(await isTabHighlighted(3)).toBe(true);
    await fakeBrowser.tabs.onUpdated.trigger(3, { status: 'loading' }, {} as never);
    await fakeBrowser.tabs.onRemoved.trigger(8, { windowId: 1, isWindowClosing: false });
    await expect.poll(() => highlightedTabsItem.getValue()).toEqual({ 5: true });
  });

  it('reads a corrupt value as "off" rather than failing the popup', async () => {
    await fakeBrowser.storage.session.set({ highlightedTabs: 'yes' });
    expect(await isTabHighlighted(3)).toBe(false);
  });
});
