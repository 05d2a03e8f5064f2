import type { Job } from '../jobs/schema';
import { readStoredJob, StoredJobSchema, type StoredJob } from '../jobs/record';
import { isSingleImageJob } from './single-image';

/**
 * Which job a view follows: one job by id (the single-image window), or the latest one for a tab
 * (the popup and the report, which leave the context menu's one-image jobs to their own window).
 */
export type JobSelector = { id: string | null } | { tabId: number; except?: readonly string[] };

/** Still describing (or waiting out a pause): progress is on its way. */
export const isLive = (job: Pick<Job, 'state'>) => job.state === 'running' || job.state === 'paused';

type Head = Pick<StoredJob, 'id' | 'tabId' | 'single' | 'createdAt' | 'updatedAt'>;
const headOf = (job: Job): Head => ({ id: job.id, tabId: job.tabId, single: isSingleImageJob(job), createdAt: job.createdAt, updatedAt: job.updatedAt });
const newer = (a: Head, b: Head) => a.createdAt - b.createdAt || a.updatedAt - b.updatedAt;

function matches(job: Head, select: JobSelector): boolean {
  if ('id' in select) return select.id != null && job.id === select.id;
  // `except`: jobs the tab's review leaves alone (a comparison's, shown on compare.html).
  return job.tabId === select.tabId && !job.single && !select.except?.includes(job.id);
}

/**
 * The job `select` names in the stored jobs (`jobsItem`'s value, lib/jobs/record.ts StoredJob),
 * checked with the job schema. Jobs are picked by the fields stored beside each record, and only
 * the chosen record is parsed, so a long job does not cost a parse of every record on every
 * change. A record that fails the check counts as absent.
 */
export function selectJob(records: unknown, select: JobSelector): Job | null {
  if (!Array.isArray(records)) return null;
  const candidates = records
    .flatMap((entry) => {
      const head = StoredJobSchema.safeParse(entry);
      return head.success && matches(head.data, select) ? [head.data] : [];
    })
    .sort((a, b) => newer(b, a));
  for (const candidate of candidates) {
    const parsed = readStoredJob(candidate);
    if (parsed.ok) return parsed.record.job;
  }
  return null;
}

/**
 * What a view shows: the stored job, or the one an action just answered with (start, cancel,
 * retry) while its storage change is still on the way; whichever is newer.
 */
export function latestJob(stored: Job | null, answered: Job | null, select: JobSelector): Job | null {
  if (!answered || !matches(headOf(answered), select)) return stored;
  if (!stored) return answered;
  if (stored.id !== answered.id) return newer(headOf(answered), headOf(stored)) > 0 ? answered : stored;
  return answered.updatedAt > stored.updatedAt ? answered : stored;
}
