import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DescribeImage } from '@/components/DescribeImage';
import { describePath, MENU_ID, MENU_TITLE, registerContextMenu, type MenuClick } from '@/lib/background/context-menu';
import { singleImageRequest } from '@/lib/ui/single-image';
import { jobsItem, settingsItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { FINDINGS, MODELS, SUMMARY, fakePlatform, job, jobItem, recordOf, renderWorkbench, startRequests, storeJobs, wrap } from './popup-fixtures';

beforeEach(() => fakeBrowser.reset());

describe('context menu', () => {
  it('adds one image menu entry and opens the single-image view for the clicked image', async () => {
    const created: unknown[] = [];
    const opened: string[] = [];
    let listener: ((c: MenuClick, t?: { id?: number }) => void) | undefined;
    const located: unknown[] = [];
    registerContextMenu({
      removeAll: async () => void created.splice(0),
      create: (p) => void created.push(p),
      onClicked: (l) => void (listener = l),
      openWindow: async (p) => void opened.push(p),
      // The page is reached for the first click only; the second still opens its window.
      locate: async (...args) => (located.push(args), located.length === 1 ? '3:k3j2h1g0f9e8:e7' : Promise.reject(new Error('no access'))),
    });
    await waitFor(() => expect(created).toEqual([{ id: MENU_ID, title: MENU_TITLE, contexts: ['image'] }]));
    listener!({ menuItemId: MENU_ID, srcUrl: 'https://x.test/a b.png?q=1&r=2', frameId: 3, pageUrl: 'https://x.test/' }, { id: 9 });
    listener!({ menuItemId: 'other', srcUrl: 'https://x.test/a.png' }, { id: 9 });
    await waitFor(() => expect(opened).toHaveLength(1));
    expect(located).toEqual([[9, 3, 'https://x.test/a b.png?q=1&r=2']]);
    expect(singleImageRequest(opened[0].slice(opened[0].indexOf('?')))).toEqual({ tabId: 9, src: 'https://x.test/a b.png?q=1&r=2', frameId: 3, pageUrl: 'https://x.test/' });
    expect(new URLSearchParams(opened[0].slice(opened[0].indexOf('?'))).get('id')).toBe('3:k3j2h1g0f9e8:e7');
    listener!({ menuItemId: MENU_ID, srcUrl: 'blob:https://x.test/1', frameId: 0, pageUrl: 'https://x.test/' }, { id: 9 });
    await waitFor(() => expect(opened).toHaveLength(2));
    expect(new URLSearchParams(opened[1].slice(opened[1].indexOf('?'))).has('id')).toBe(false);
  });

  it('ignores clicks without an image or a tab, and malformed report links', () => {
    expect(describePath(1, { menuItemId: MENU_ID })).toBeNull();
    expect(singleImageRequest('?tab=1')).toBeNull();
    expect(singleImageRequest('?tab=x&image=a')).toBeNull();
  });
});

describe('single-image view', () => {
  const request = { tabId: 4, src: 'https://x.test/cat.png', frameId: 0, pageUrl: 'https://x.test/' };

  it('describes the image with the remembered model, follows the job through storage, and offers the text to copy', async () => {
    const user = userEvent.setup();
    // Language and length are the worker's to read: the window sends only the model and the image.
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, modelId: MODELS.balanced.id, language: 'de' });
    const running = job([{ ...jobItem(FINDINGS[0]), id: 'context-menu-image', src: request.src }], { id: 'j2', tabId: 4 });
    const platform = fakePlatform({
      getPageSummary: () => ({ ...SUMMARY, tabId: 4, url: request.pageUrl }),
      startJob: async () => {
        await jobsItem.setValue([recordOf(running)]);
        return running;
      },
    });
    render(wrap(platform, <DescribeImage request={request} />));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Describing with GPT-5 Mini…'));
    expect(startRequests(platform)).toEqual([{ tabId: 4, modelId: MODELS.balanced.id, target: { kind: 'image', frameId: 0, src: request.src } }]);

    await storeJobs(job([{ ...running.items[0], state: 'done', alt: 'Eine Katze', costUsd: 0.001 }], { id: 'j2', tabId: 4, state: 'done', updatedAt: 5 }));
    const box = await screen.findByRole('textbox', { name: 'Alt text for this image' });
    expect(box).toHaveProperty('value', 'Eine Katze');
    expect(screen.getByRole('status').textContent).toBe('Described by GPT-5 Mini for $0.001.');
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(platform.copied).toEqual(['Eine Katze']);
    expect(platform.callsTo('startJob')).toHaveLength(1);
    expect(platform.calls.map((c) => c.name)).not.toContain('getJob');
  });

  it('shows the job error and a way to the settings', async () => {
    const user = userEvent.setup();
    const failed = job([{ ...jobItem(FINDINGS[0]), id: 'context-menu-image', state: 'failed', error: 'No key' }], {
      state: 'failed', error: { code: 'bad-key', message: 'No OpenRouter key is set.', action: 'open-options' },
    });
    const platform = fakePlatform({ startJob: () => failed });
    render(wrap(platform, <DescribeImage request={{ ...request, src: 'https://x.test/dog.png' }} />));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('No OpenRouter key is set.'));
    await user.click(screen.getByRole('button', { name: 'Open settings' }));
    expect(platform.opened).toEqual(['options']);
  });

  it('asks for access to the image\'s site first, and describes it once allowed', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform({ startJob: () => job([{ ...jobItem(FINDINGS[0]), id: 'context-menu-image' }], { id: 'j3' }) });
    platform.hostAccess.held.clear();
    render(wrap(platform, <DescribeImage request={{ ...request, src: 'https://cdn.x.test/bird.png' }} />));
    const group = await screen.findByRole('group', { name: 'Allow AltScout to read this site?' });
    expect(within(within(group).getByRole('list', { name: 'Sites to allow' })).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['cdn.x.test']);
    expect(document.activeElement).toBe(within(group).getByRole('button', { name: 'This site' }));
    expect(platform.callsTo('startJob')).toEqual([]);
    await user.click(within(group).getByRole('button', { name: 'This site' }));
    expect(platform.hostAccess.requests).toEqual([{ choice: 'site', origins: ['https://cdn.x.test/*'] }]);
    await waitFor(() => expect(platform.callsTo('startJob')).toHaveLength(1));
    expect(screen.queryByRole('group', { name: /Allow AltScout/ })).toBeNull();
  });
});

describe('full report view', () => {
  it('shows the same review in a wide layout without the "Open full report" link', async () => {
    await storeJobs(job([jobItem(FINDINGS[0], { state: 'done', alt: 'x' })], { state: 'done' }));
    renderWorkbench(fakePlatform(), 'report');
    await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    expect(screen.getByRole('main').className).toBe('report');
    expect(screen.queryByRole('button', { name: 'Open full report' })).toBeNull();
    expect(screen.getByRole('radio', { name: /Budget/ })).toBeTruthy();
  });
});
