import { beforeEach, describe, expect, it } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { PopupWorkbench } from '@/components/TabWorkbench';
import type { CmsInspection, CmsItem } from '@/lib/cms/messages';
import { fakePlatform, job, jobItem, storeJobs, TAB, wrap, type FakePlatform } from './popup-fixtures';
import { cmsFinding } from '@/lib/ui/cms';

/**
 * The popup on a CMS editing screen (components/CmsWorkbench.tsx) with the worker answered by
 * schema-checked fakes: it names the editor, describes only images without alt through the
 * ordinary startJob, fills the reviewed text, says per image what saving needs, offers "Save for
 * me" only then, and undoes. Against a real WordPress: tests/e2e/cms-popup.test.ts.
 */

beforeEach(() => fakeBrowser.reset());

const DOC = 'c0editor0doc';
const save = { kind: 'with-post' as const, button: 'Update', hint: 'Click Update in WordPress to save' };
const item = (key: string, alt = ''): CmsItem => ({ id: `0:${DOC}:${key}`, src: `https://blog.example/wp-content/uploads/${key}.png`, alt, label: 'Alt text (alternative text)', save });
const EDITOR: CmsInspection = {
  found: true, tabId: TAB, cms: 'wordpress', place: 'block-editor', label: 'WordPress block editor', postTitle: 'Colours of the garden',
  url: 'https://blog.example/wp-admin/post.php?post=7&action=edit', doc: DOC, items: [item('wp-block-b'), item('wp-block-a', 'Poppies, by the author')], mediaLibrary: false, libraryIds: [],
};

const summary = () => screen.getByRole('status', { name: 'Page summary' });
const lastAction = () => screen.getByRole('status', { name: 'Last action' });
const renderPopup = (platform: FakePlatform) => render(wrap(platform, <PopupWorkbench tabId={TAB} />));

describe('popup on a CMS editing screen', () => {
  it('shows the ordinary page view where no editing screen is recognised', async () => {
    renderPopup(fakePlatform({ cmsInspect: () => ({ found: false, reason: 'No editing screen AltScout knows.' }) }));
    await waitFor(() => expect(summary().textContent).toBe('3 images missing alt text'));
  });

  it('names the editor, lists its images missing alt first, and describes only those without alt', async () => {
    const user = userEvent.setup();
    const platform = fakePlatform({ cmsInspect: () => EDITOR, startJob: (r) => job((r.target as { ids: string[] }).ids.map((id) => jobItem(cmsFinding(EDITOR.found ? EDITOR.items.find((i) => i.id === id)! : item('x'))))) });
    renderPopup(platform);
    await waitFor(() => expect(summary().textContent).toBe('WordPress block editor: 2 images, 1 without alt text.'));
    const images = within(screen.getByRole('list', { name: 'Images in this editor' })).getAllByRole('listitem');
    expect(images.map((li) => li.textContent)).toEqual(['Image 1 · no alt textAlt text: none', 'Image 2 · has alt textAlt text: “Poppies, by the author”']);
    expect(screen.queryByRole('button', { name: 'Apply to page' })).toBeNull();

    // Replacing what a person wrote only when asked.
    expect(await screen.findByText(/^Describe 1 image with/)).toBeTruthy();
    const replace = screen.getByRole('checkbox', { name: /Also describe images that have alt text/ });
    await user.click(replace);
    expect(screen.getByText(/^Describe 2 images with/)).toBeTruthy();
    await user.click(replace);
    await user.click(await screen.findByRole('button', { name: 'Generate alt text' }));
    await waitFor(() => expect(platform.callsTo('startJob')).toHaveLength(1));
    expect(platform.callsTo('startJob')[0]).toEqual({ tabId: TAB, modelId: expect.any(String), target: { kind: 'findings', ids: [`0:${DOC}:wp-block-b`] } });

  });

  it('fills the reviewed text, says what each field waits for, saves only when asked, and undoes', async () => {
    const user = userEvent.setup();
    const [missing] = EDITOR.found ? EDITOR.items : [];
    const platform = fakePlatform({
      cmsInspect: () => EDITOR,
      cmsFill: ({ items }) => ({ results: items.map((i) => ({ id: i.id, ok: true, state: 'waiting', written: i.alt, hint: save.hint })) }),
      cmsSave: () => ({ ok: true, message: 'Saved the post in WordPress.' }),
      cmsUndo: ({ ids }) => ({ restored: ids, alreadySaved: ids.map((id) => ({ id, atOnce: false })), skipped: [] }),
    });
    renderPopup(platform);
    await waitFor(() => expect(summary().textContent).toMatch(/^WordPress block editor/));
    await storeJobs(job([jobItem(cmsFinding(missing), { state: 'done', alt: 'Blue cornflowers', attempts: 1 })], { state: 'done' }));
    const box = await screen.findByRole('textbox', { name: 'Alt text for image 1' });
    await user.clear(box);
    await user.type(box, 'Blue cornflowers by the gate');
    expect(screen.queryByRole('button', { name: 'Save for me' })).toBeNull();

    await user.click(screen.getByRole('button', { name: 'Fill alt text fields' }));
    await waitFor(() => expect(lastAction().textContent).toBe('Filled 1 alt text field; 1 waiting: Click Update in WordPress to save.'));
    expect(platform.callsTo('cmsFill')).toEqual([{ tabId: TAB, items: [{ id: missing.id, alt: 'Blue cornflowers by the gate', overwrite: false }] }]);
    const first = () => within(screen.getByRole('list', { name: 'Images in this editor' })).getAllByRole('listitem')[0];
    expect(first().textContent).toContain('Filled, not saved yet: Click Update in WordPress to save.');

    await user.click(screen.getByRole('button', { name: 'Save for me' }));
    await waitFor(() => expect(lastAction().textContent).toBe('Saved the post in WordPress.'));
    expect(platform.callsTo('cmsSave')).toEqual([{ tabId: TAB, doc: DOC }]);
    expect(first().textContent).toContain('Filled and saved.');

    await user.click(screen.getByRole('button', { name: 'Undo' }));
    await waitFor(() => expect(lastAction().textContent).toBe('Undone: 1 alt text field put back as it was. One had already been saved: click Update in the editor to save the old value.'));
    expect(platform.callsTo('cmsUndo')).toEqual([{ tabId: TAB, ids: [missing.id] }]);
  });
});
