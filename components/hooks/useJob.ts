import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Job } from '@/lib/jobs/schema';
import { jobsItem } from '@/lib/storage';
import { latestJob, selectJob, type JobSelector } from '@/lib/ui/follow-job';

/**
 * Follows a job through the jobs storage item (contract 3): the worker saves every change there,
 * and `watch` brings each one here as a storage change event. No polling; a popup closed and
 * opened again mid-job reads the same item and carries on.
 *
 * `answered(job)` takes a job an action replied with (start, cancel, retry), shown until the
 * storage event for it arrives or a newer one does.
 */
export function useJob(select: JobSelector): { job: Job | null; answered(job: Job): void } {
  const records = useJobRecords();
  const [reply, setReply] = useState<Job | null>(null);

  const key = 'id' in select ? `id:${select.id}` : `tab:${select.tabId}:${select.except?.join(',') ?? ''}`;
  // `key` stands for `select`, which callers build inline on every render.
  const stable = useMemo(() => select, [key]);
  const stored = useMemo(() => selectJob(records, stable), [records, stable]);
  const job = latestJob(stored, reply, stable);
  const answered = useCallback((next: Job) => setReply(next), []);
  return { job, answered };
}

/**
 * The stored job records (`jobsItem`'s value, unparsed) as `watch` delivers them: what `useJob`
 * picks its job from, and what the comparison page picks each model's job from (`useJobs`).
 */
export function useJobRecords(): unknown {
  const [records, setRecords] = useState<unknown>(null);
  useEffect(() => {
    let changed = false;
    let live = true;
    const unwatch = jobsItem.watch((next) => {
      changed = true;
      setRecords(next);
    });
    // The first read must not overwrite a change that arrived while it was under way.
    jobsItem.getValue().then((value) => live && !changed && setRecords(value), () => undefined);
    return () => {
      live = false;
      unwatch();
    };
  }, []);
  return records;
}
