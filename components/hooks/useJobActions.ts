import { useState } from 'react';
import type { Job, JobItem } from '@/lib/jobs/schema';
import type { RankedModel } from '@/lib/ranking/schema';
import type { Finding } from '@/lib/scan/schema';
import type { ReviewAction } from '@/lib/ui/review';
import { errorText, usePlatform } from '../api';
import { originsForImages } from '../host-access';
import { startJob } from '../start-job';
import type { AccessRequest } from './useAccessRequest';

interface Deps {
  tabId: number;
  pageUrl: string | null;
  /** The images the user chose and the model to describe them with. */
  selected: Finding[];
  model: RankedModel | null;
  job: Job | null;
  /** Hands a job an action answered with to `useJob`. */
  answered(job: Job): void;
  dispatch(action: ReviewAction): void;
  access: AccessRequest;
  say(message: string): void;
}

/** Generate, cancel, retry and regenerate: what the user does to a job. */
export function useJobActions({ tabId, pageUrl, selected, model, job, answered, dispatch, access, say }: Deps) {
  const platform = usePlatform();
  const [busy, setBusy] = useState<null | 'start' | 'retry'>(null);

  async function start(modelId: string, ids: string[]) {
    setBusy('start');
    say('');
    try {
      answered(await startJob(platform, { tabId, modelId, target: { kind: 'findings', ids } }));
    } catch (e) {
      say(`Could not start: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  /** Starts a job for the chosen images, once AltScout may read where they come from. */
  async function generate() {
    if (pageUrl == null || !model || selected.length === 0) return;
    const ids = selected.map((f) => f.id);
    // The page itself was read (the click that opened AltScout, or a grant): only other sites are asked for.
    const origins = originsForImages(selected.map((f) => f.src), pageUrl);
    const go = () => void start(model.id, ids);
    if (await access.ensure(origins, 'to describe the chosen images', go)) go();
  }

  async function cancel() {
    if (!job) return;
    try {
      answered(await platform.send('cancelJob', { id: job.id }));
    } catch (e) {
      say(`Could not cancel: ${errorText(e)}`);
    }
  }

  /** Retry may reuse the cached description; regenerate pays for a new one. */
  async function retry(item: JobItem, regenerate: boolean) {
    if (!job) return;
    setBusy('retry');
    try {
      // Asking for a new suggestion judges the old one; recorded before it is replaced.
      if (regenerate) await platform.send('updateEvidence', { kind: 'regenerated', jobId: job.id, itemId: item.id }).catch(() => undefined);
      const next = await platform.send('retryItem', { jobId: job.id, itemId: item.id, regenerate });
      if (regenerate) dispatch({ type: 'forget', id: item.id });
      answered(next);
    } catch (e) {
      say(`Could not ${regenerate ? 'regenerate' : 'retry'}: ${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  }

  return { generate, cancel, retry, busy };
}
