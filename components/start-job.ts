import type { Job } from '@/lib/jobs/schema';
import { toJobItems } from '@/lib/ui/selection';
import { singleImageItem } from '@/lib/ui/single-image';
import type { Platform } from './api';

/**
 * Contract 2: the UI sends only what the user chose. The worker reads the settings (language,
 * length, budget, provider, concurrency, AI mark) and asks the page for each image's details.
 */
export interface StartJobRequest {
  tabId: number;
  modelId: string;
  target: { kind: 'findings'; ids: string[] } | { kind: 'image'; frameId: number; src: string };
  /** Describe again even when a cached caption exists (a paid call). */
  regenerate?: boolean;
}

/**
 * The one way the popup, the report and the single-image window start a job.
 *
 * Package A1 changes `startJob` to take exactly this request. Until that is on main,
 * `viaTodaysMessage` translates it; the switch is this function's body becoming
 *   return platform.send('startJob', request);
 * (and `StartJobRequest` becoming A1's input type).
 */
export function startJob(platform: Platform, request: StartJobRequest): Promise<Job> {
  return viaTodaysMessage(platform, request);
}

/**
 * Today's `startJob` wants the page URL and each image's scan record. They are read back from the
 * worker's scan here, so no caller holds them; selectors, context and sizes are left for the
 * worker to fetch, and language and length for it to read from settings.
 */
async function viaTodaysMessage(platform: Platform, { tabId, modelId, target, regenerate }: StartJobRequest): Promise<Job> {
  const summary = await platform.send('getPageSummary', { tabId });
  const pageUrl = summary.url;
  let items;
  if (target.kind === 'image') {
    items = [singleImageItem({ tabId, frameId: target.frameId, src: target.src, pageUrl })];
  } else {
    const wanted = new Set(target.ids);
    const found = summary.supported ? summary.findings.filter((f) => wanted.has(f.id)) : [];
    if (found.length === 0) throw new Error('The page changed since it was scanned. Scan again, then choose the images.');
    items = toJobItems(found);
  }
  return platform.send('startJob', { tabId, pageUrl, modelId, items, options: regenerate ? { regenerate } : {} });
}
