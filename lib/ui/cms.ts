import type { CmsFillResult, CmsInspection, CmsItem, CmsUndoResult } from '../cms/messages';
import type { Finding } from '../scan/schema';
import { parseFindingId } from '../page/finding-id';
import { images } from './format';

/**
 * The words and choices of the popup on a CMS editing screen (components/CmsWorkbench.tsx), as
 * pure functions over the worker's answers: what it recognised, which images a job describes,
 * and what filling, saving and undoing did, image by image.
 */

type Found = Extract<CmsInspection, { found: true }>;

export const hasAlt = (item: Pick<CmsItem, 'alt'>) => item.alt.trim() !== '';

/** "WordPress block editor: 3 images, 2 without alt text." */
export function cmsSummary(inspection: Found): string {
  const total = inspection.items.length;
  if (total === 0) return inspection.mediaLibrary ? `${inspection.label}.` : `${inspection.label}: no images in this editor yet.`;
  const missing = inspection.items.filter((i) => !hasAlt(i)).length;
  return `${inspection.label}: ${images(total)}, ${missing === 0 ? 'all with alt text' : `${missing} without alt text`}.`;
}

/** The images a job describes: those without alt text, and those with it only when the user asked (their alt is then replaced). */
export function cmsSelection(items: CmsItem[], replaceWritten: boolean): CmsItem[] {
  return items.filter((i) => replaceWritten || !hasAlt(i));
}

/** A field as the review's finding, so the normal review list (components/ReviewList.tsx) can show it. */
export function cmsFinding(item: CmsItem): Finding {
  return {
    id: item.id,
    frameId: 0,
    selector: '',
    kind: 'img',
    status: hasAlt(item) ? 'ok' : 'missing',
    reasons: [],
    alt: hasAlt(item) ? item.alt : null,
    src: item.src,
    width: 0,
    height: 0,
    context: { pageTitle: '', lang: '' },
  };
}

/** A field's key (the part of its id that survives the editor loading the page again, as after Update). */
export const fieldKey = (id: string) => parseFindingId(id)?.local ?? id;

/**
 * The items in the order the popup first listed them (missing alt first, as the worker sorts), so
 * a field that gets filled does not jump in the list; fields new since then come last.
 */
export function keepOrder(items: CmsItem[], first: string[]): CmsItem[] {
  const rank = new Map(first.map((key, i) => [key, i]));
  const at = (item: CmsItem) => rank.get(fieldKey(item.id)) ?? first.length;
  return items.map((item, i) => ({ item, i })).sort((a, b) => at(a.item) - at(b.item) || a.i - b.i).map(({ item }) => item);
}

export type FieldStatus =
  | { kind: 'saved' }
  | { kind: 'waiting'; hint: string }
  | { kind: 'failed'; reason: string }
  | { kind: 'unknown' }
  | { kind: 'not-filled'; reason: string };

/** What the popup says under an image after filling. */
export function statusText(status: FieldStatus): string {
  switch (status.kind) {
    case 'saved':
      return 'Filled and saved.';
    case 'waiting':
      return `Filled, not saved yet: ${status.hint}.`;
    case 'failed':
      return 'Filled, but the editor reported that saving failed. Save it again in the editor.';
    case 'unknown':
      return 'Filled; the editor did not say whether it saved.';
    case 'not-filled':
      return `Not filled: ${status.reason}.`;
  }
}

/** Each field's status by key, from a fill's answer. */
export function fillStatuses(result: CmsFillResult): Record<string, FieldStatus> {
  const out: Record<string, FieldStatus> = {};
  for (const r of result.results) {
    out[fieldKey(r.id)] = !r.ok
      ? { kind: 'not-filled', reason: r.reason.replace(/\.$/, '') }
      : r.state === 'waiting'
        ? { kind: 'waiting', hint: r.hint ?? 'Save in the editor to keep it' }
        : r.state === 'saved'
          ? { kind: 'saved' }
          : r.state === 'failed'
            ? { kind: 'failed', reason: 'saving failed' }
            : { kind: 'unknown' };
  }
  return out;
}

const fields = (n: number) => (n === 1 ? '1 alt text field' : `${n} alt text fields`);

/** The sentence after "Fill alt text fields". */
export function fillMessage(result: CmsFillResult, leftEmpty = 0): string {
  if (result.pageChanged) return 'The editor page changed since AltScout looked at it, so nothing was filled. Open AltScout again.';
  const ok = result.results.filter((r) => r.ok);
  const saved = ok.filter((r) => r.ok && r.state === 'saved').length;
  const waiting = ok.filter((r) => r.ok && r.state === 'waiting');
  const notFilled = result.results.length - ok.length;
  const parts = [`Filled ${fields(ok.length)}`];
  if (saved) parts.push(`${saved} saved`);
  if (waiting.length) {
    const hint = waiting[0].ok && waiting[0].hint ? waiting[0].hint : 'save in the editor';
    parts.push(`${waiting.length} waiting: ${hint}`);
  }
  let text = `${parts.join('; ')}.`;
  if (notFilled) text += ` ${notFilled} not filled (see each image).`;
  if (leftEmpty) text += ` ${leftEmpty === 1 ? '1 image judged' : `${leftEmpty} images judged`} decorative left empty.`;
  return text;
}

/** The sentence after Undo: what was put back, and which values had already been saved. */
export function undoMessage(result: CmsUndoResult, saveButton = 'Update'): string {
  if (result.pageChanged) return 'The editor page was saved or loaded again since AltScout filled it, so Undo cannot put the fields back here. Change them in the editor.';
  const n = result.restored.length;
  let text = n ? `Undone: ${fields(n)} put back as ${n === 1 ? 'it was' : 'they were'}.` : 'Nothing was put back.';
  const atOnce = result.alreadySaved.filter((s) => s.atOnce).length;
  const withPost = result.alreadySaved.length - atOnce;
  if (atOnce) text += ` ${atOnce === 1 ? 'One had' : `${atOnce} had`} already been saved by WordPress; the old value is saved again.`;
  if (withPost) text += ` ${withPost === 1 ? 'One had' : `${withPost} had`} already been saved: click ${saveButton} in the editor to save the old value.`;
  if (result.skipped.length) text += ` ${result.skipped.length} left as ${result.skipped.length === 1 ? 'it is' : 'they are'}: ${result.skipped[0].reason.replace(/\.$/, '')}.`;
  return text;
}
