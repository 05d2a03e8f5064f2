import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DescribeImage } from '@/components/DescribeImage';
import { describePath, MENU_ID, MENU_TITLE, registerContextMenu, type MenuClick } from '@/lib/background/context-menu';
import { singleImageItem, singleImageRequest } from '@/lib/ui/single-image';
import { JobItemInputSchema, type StartJob } from '@/lib/jobs/schema';
import { settingsItem } from '@/lib/storage';
import { DEFAULT_SETTINGS } from '@/lib/settings/schema';
import { FINDINGS, MODELS, fakePlatform, job, jobItem, renderWorkbench, wrap } from './popup-fixtures';

beforeEach(() => fakeBrowser.reset());

describe('context menu', () => {
  it('adds one image menu entry and opens the single-image view for the clicked image', async () => {
    const created: unknown[] = [];
    const opened: string[] = [];
    let listener: ((c: MenuClick, t?: { id?: number }) => void) | undefined;
    registerContextMenu({
      removeAll: async () => void created.splice(0),
      create: (p) => void created.push(p),
      onClicked: (l) => void (listener = l),
      openWindow: async (p) => void opened.push(p),
    });
    await waitFor(() => expect(created).toEqual([{ id: MENU_ID, title: MENU_TITLE, contexts: ['image'] }]));
    listener!({ menuItemId: MENU_ID, srcUrl: 'https://x.test/a b.png?q=1&r=2', frameId: 3, pageUrl: 'https://x.test/' }, { id: 9 });
    listener!({ menuItemId: 'other', srcUrl: 'https://x.test/a.png' }, { id: 9 });
    expect(opened).toHaveLength(1);
    expect(singleImageRequest(opened[0].slice(opened[0].indexOf('?')))).toEqual({ tabId: 9, src: 'https://x.test/a b.png?q=1&r=2', frameId: 3, pageUrl: 'https://x.test/' });
  });

  it('ignores clicks without an image or a tab, and malformed report links', () => {
    expect(describePath(1, { menuItemId: MENU_ID })).toBeNull();
    expect(singleImageRequest('?tab=1')).toBeNull();
    expect(singleImageRequest('?tab=x&image=a')).toBeNull();
    expect(JobItemInputSchema.parse(singleImageItem({ tabId: 1, src: 'data:image/png;base64,AA', frameId: 0, pageUrl: '' }))).toBeTruthy();
  });
});

describe('single-image view', () => {
  const request = { tabId: 4, src: 'https://x.test/cat.png', frameId: 0, pageUrl: 'https://x.test/' };

  it('describes the image with the remembered model and offers the text to copy', async () => {
    const user = userEvent.setup();
    await settingsItem.setValue({ ...DEFAULT_SETTINGS, modelId: MODELS.balanced.id, language: 'de' });
    let current = job([{ ...jobItem(FINDINGS[0]), id: 'context-menu-image' }], { id: 'j2', tabId: 4 });
    const platform = fakePlatform({
      startJob: () => current,
      getJob: () => (current = job([{ ...current.items[0], state: 'done', alt: 'Eine Katze', costUsd: 0.001 }], { id: 'j2', tabId: 4, state: 'done' })),
    });
    render(wrap(platform, <DescribeImage request={request} />));
    const box = await screen.findByRole('textbox', { name: 'Alt text for this image' });
    expect(box).toHaveProperty('value', 'Eine Katze');
    const started = platform.callsTo('startJob')[0] as StartJob;
    expect(started).toMatchObject({ tabId: 4, modelId: MODELS.balanced.id, pageUrl: 'https://x.test/', options: { language: 'de' } });
    expect(started.items[0].src).toBe(request.src);
    expect(screen.getByRole('status').textContent).toBe('Described by GPT-5 Mini for $0.001.');
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(platform.copied).toEqual(['Eine Katze']);
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
});

describe('full report view', () => {
  it('shows the same review in a wide layout without the "Open full report" link', async () => {
    renderWorkbench(fakePlatform({ getJob: () => job([jobItem(FINDINGS[0], { state: 'done', alt: 'x' })], { state: 'done' }) }), 'report');
    await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    expect(screen.getByRole('main').className).toBe('report');
    expect(screen.queryByRole('button', { name: 'Open full report' })).toBeNull();
    expect(screen.getByRole('radio', { name: /Budget/ })).toBeTruthy();
  });
});
