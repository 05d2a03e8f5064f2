import { describe, expect, it } from 'vitest';
import { cmsSelection, cmsSummary, fillMessage, fillStatuses, keepOrder, statusText, undoMessage } from '@/lib/ui/cms';
import type { CmsInspection, CmsItem } from '@/lib/cms/messages';

/** The words of the popup on an editing screen (lib/ui/cms.ts). */

const save = { kind: 'with-post' as const, button: 'Update', hint: 'Click Update in WordPress to save' };
const item = (key: string, alt = ''): CmsItem => ({ id: `0:cdoc:${key}`, src: `http://wp.test/${key}.png`, alt, label: 'Alt text (alternative text)', save });
const inspection = (items: CmsItem[]): Extract<CmsInspection, { found: true }> => ({
  found: true, tabId: 1, cms: 'wordpress', place: 'block-editor', label: 'WordPress block editor', url: 'http://wp.test/wp-admin/post.php?post=1&action=edit', doc: 'cdoc', items, mediaLibrary: false, libraryIds: [],
});

describe('the popup on an editing screen', () => {
  it('says which editor it recognised and how many images lack alt text; a placeholder-only or blank alt is none', () => {
    expect(cmsSummary(inspection([item('a'), item('b', '  '), item('c', 'A cat')]))).toBe('WordPress block editor: 3 images, 2 without alt text.');
    expect(cmsSummary(inspection([item('c', 'A cat')]))).toBe('WordPress block editor: 1 image, all with alt text.');
    expect(cmsSummary(inspection([]))).toBe('WordPress block editor: no images in this editor yet.');
  });

  it('describes only images without alt text unless the user asks to replace what is written', () => {
    const items = [item('a'), item('c', 'A cat')];
    expect(cmsSelection(items, false).map((i) => i.id)).toEqual(['0:cdoc:a']);
    expect(cmsSelection(items, true).map((i) => i.id)).toEqual(['0:cdoc:a', '0:cdoc:c']);
  });

  it('keeps the first order, by field, across documents (after the editor loaded its page again)', () => {
    const later = [{ ...item('c', 'A cat'), id: '0:newdoc:c' }, { ...item('a', 'Filled'), id: '0:newdoc:a' }, { ...item('n'), id: '0:newdoc:n' }];
    expect(keepOrder(later, ['a', 'c']).map((i) => i.id)).toEqual(['0:newdoc:a', '0:newdoc:c', '0:newdoc:n']);
  });

  it('says per image and in all what filling did', () => {
    const result = {
      results: [
        { id: '0:cdoc:a', ok: true as const, state: 'saved' as const, written: 'A' },
        { id: '0:cdoc:b', ok: true as const, state: 'waiting' as const, written: 'B', hint: 'Click Update in WordPress to save' },
        { id: '0:cdoc:c', ok: false as const, reason: 'It already has alt text a person wrote; choose overwrite to replace it' },
      ],
    };
    expect(fillMessage(result, 1)).toBe('Filled 2 alt text fields; 1 saved; 1 waiting: Click Update in WordPress to save. 1 not filled (see each image). 1 image judged decorative left empty.');
    const statuses = fillStatuses(result);
    expect(statusText(statuses.a)).toBe('Filled and saved.');
    expect(statusText(statuses.b)).toBe('Filled, not saved yet: Click Update in WordPress to save.');
    expect(statusText(statuses.c)).toBe('Not filled: It already has alt text a person wrote; choose overwrite to replace it.');
    expect(fillMessage({ results: [], pageChanged: true })).toMatch(/^The editor page changed/);
  });

  it('says after Undo which values had already been saved', () => {
    expect(undoMessage({ restored: ['0:cdoc:a', '0:cdoc:b'], alreadySaved: [{ id: '0:cdoc:a', atOnce: true }, { id: '0:cdoc:b', atOnce: false }], skipped: [] }, 'Save draft')).toBe(
      'Undone: 2 alt text fields put back as they were. One had already been saved by WordPress; the old value is saved again. One had already been saved: click Save draft in the editor to save the old value.',
    );
    expect(undoMessage({ restored: [], alreadySaved: [], skipped: [{ id: 'x', reason: 'It was edited after AltScout filled it; left as it is' }] })).toBe(
      'Nothing was put back. 1 left as it is: It was edited after AltScout filled it; left as it is.',
    );
  });
});
