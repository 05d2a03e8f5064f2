import { useState } from 'react';
import type { CmsInspection } from '@/lib/cms/messages';
import type { Job } from '@/lib/jobs/schema';
import type { ReviewDraft } from '@/lib/jobs/review-draft';
import { applyPlan } from '@/lib/ui/review';
import { fieldKey, fillMessage, fillStatuses, undoMessage, type FieldStatus } from '@/lib/ui/cms';
import { images } from '@/lib/ui/format';
import { errorText, usePlatform } from '../api';
import { startJob } from '../start-job';

type Found = Extract<CmsInspection, { found: true }>;

/** Images per "Describe the media library" job: a review a person can go through. */
export const LIBRARY_BATCH = 100;

/**
 * What the popup does with a CMS editor's own fields (issue 15): fill them with the reviewed text,
 * the editor's save ("Save for me"), Undo, and the media library's next batch; with a status per
 * field and what is in progress.
 */
export function useCmsFields({ tabId, inspection, reinspect, say }: { tabId: number; inspection: Found; reinspect(): Promise<unknown>; say(message: string): void }) {
  const platform = usePlatform();
  const [statuses, setStatuses] = useState<Record<string, FieldStatus>>({});
  const [filled, setFilled] = useState<string[]>([]);
  const [busy, setBusy] = useState<null | 'fill' | 'save' | 'undo' | 'library'>(null);
  const [libraryKeys, setLibraryKeys] = useState<string[]>([]);

  /** "Describe the media library": the next batch of images without alt text, through the ordinary job and review. */
  async function describeLibrary(modelId: string, answered: (job: Job) => void) {
    setBusy('library');
    say('Listing the media library’s images without alt text…');
    try {
      const listed = await platform.send('cmsLibrary', { tabId, doc: inspection.doc, max: LIBRARY_BATCH });
      if (listed.pageChanged || (listed.error && !listed.ids.length)) {
        say(listed.error ?? 'The media library page changed; open AltScout again.');
        return;
      }
      if (!listed.ids.length) {
        say(`Every image in the media library has alt text (${images(listed.total)}).`);
        return;
      }
      setLibraryKeys(listed.ids.map(fieldKey));
      const rest = listed.withoutAlt - listed.ids.length;
      say(`${images(listed.withoutAlt)} in the media library ${listed.withoutAlt === 1 ? 'has' : 'have'} no alt text; describing ${rest > 0 ? `the first ${listed.ids.length}` : listed.ids.length === 1 ? 'it' : 'them all'}.`);
      answered(await startJob(platform, { tabId, modelId, target: { kind: 'findings', ids: listed.ids } }));
      await reinspect();
    } catch (e) {
      say(`Could not describe the media library: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function fill(job: Job | null, draft: ReviewDraft) {
    if (!job) return;
    const plan = applyPlan(job, draft);
    const items = plan.items.filter((i) => i.text);
    const leftEmpty = plan.items.length - items.length;
    if (!items.length) {
      say(plan.blank.length ? 'The accepted suggestions are empty: write the text first.' : 'No accepted suggestions to fill in.');
      return;
    }
    setBusy('fill');
    say('Filling the alt text fields…');
    try {
      // Ids name the document inspected; after the editor loaded its page again they are matched by field.
      const current = new Map(inspection.items.map((i) => [fieldKey(i.id), i.id]));
      const result = await platform.send('cmsFill', {
        tabId,
        items: items.map((i) => ({ id: current.get(fieldKey(i.id)) ?? i.id, alt: i.text, overwrite: i.overwrite })),
      });
      setStatuses((s) => ({ ...s, ...fillStatuses(result) }));
      setFilled(result.results.filter((r) => r.ok).map((r) => r.id));
      say(fillMessage(result, leftEmpty));
      await reinspect();
    } catch (e) {
      say(`Could not fill the fields: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function saveForMe() {
    setBusy('save');
    say('Saving in the editor…');
    try {
      const result = await platform.send('cmsSave', { tabId, doc: inspection.doc });
      if (result.ok) {
        setStatuses((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v.kind === 'waiting' ? { kind: 'saved' } : v])));
        if (result.reloaded) setFilled([]);
      }
      say(result.message);
      await reinspect();
    } catch (e) {
      say(`Could not save: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  async function undo() {
    const saveButton = inspection.items.find((i) => i.save.kind === 'with-post')?.save;
    if (!filled.length) {
      say('Nothing filled by AltScout on this page to undo.');
      return;
    }
    setBusy('undo');
    try {
      const result = await platform.send('cmsUndo', { tabId, ids: filled });
      say(undoMessage(result, saveButton?.kind === 'with-post' ? saveButton.button : 'Update'));
      const restored = new Set(result.restored.map(fieldKey));
      setStatuses((s) => Object.fromEntries(Object.entries(s).filter(([k]) => !restored.has(k))));
      setFilled((f) => f.filter((id) => !result.restored.includes(id)));
      await reinspect();
    } catch (e) {
      say(`Could not undo: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  return { statuses, busy, libraryKeys, waiting: Object.values(statuses).some((s) => s.kind === 'waiting'), fill, saveForMe, undo, describeLibrary };
}
