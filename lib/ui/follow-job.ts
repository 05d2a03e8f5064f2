import { JobSchema, type Job } from '../jobs/schema';
import { isSingleImageJob } from './single-image';

/**
 * Which job a view follows: one job by id (the single-image window), or the latest one for a tab
 * (the popup and the report, which leave the context menu's one-image jobs to their own window).
 */
export type JobSelector = { id: string | null } | { tabId: number };

/** A stored job record as far as the UI reads it: the worker's public Job. */
interface StoredRecord {
  job?: { id?: unknown; tabId?: unknown; createdAt?: unknown; items?: unknown };
}

/** Still describing (or waiting out a pause): progress is on its way. */
export const isLive = (job: Pick<Job, 'state'>) => job.state === 'running' || job.state === 'paused';

const newer = (a: Job, b: Job) => a.createdAt - b.createdAt || a.updatedAt - b.updatedAt;

function matches(job: Pick<Job, 'id' | 'tabId' | 'items'>, select: JobSelector): boolean {
  if ('id' in select) return select.id != null && job.id === select.id;
  return job.tabId === select.tabId && !isSingleImageJob(job);
}

/**
 * The job `select` names in the stored job records (`jobsItem`'s value), checked with the job
 * schema; only the chosen record is parsed, so a long job does not cost a parse of every record
 * on every change. A record that fails the check counts as absent.
 */
export function selectJob(records: unknown, select: JobSelector): Job | null {
  if (!Array.isArray(records)) return null;
  let best: Job | null = null;
  for (const record of records as StoredRecord[]) {
    const raw = record?.job;
    if (!raw || !Array.isArray(raw.items)) continue;
    if (!matches(raw as Job, select)) continue;
    if (best && newer(raw as Job, best) <= 0) continue;
    const parsed = JobSchema.safeParse(raw);
    if (parsed.success) best = parsed.data;
  }
  return best;
}

/**
 * What a view shows: the stored job, or the one an action just answered with (start, cancel,
 * retry) while its storage change is still on the way; whichever is newer.
 */
export function latestJob(stored: Job | null, answered: Job | null, select: JobSelector): Job | null {
  if (!answered || !matches(answered, select)) return stored;
  if (!stored) return answered;
  if (stored.id !== answered.id) return newer(answered, stored) > 0 ? answered : stored;
  return answered.updatedAt > stored.updatedAt ? answered : stored;
}
