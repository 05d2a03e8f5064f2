import type { Job } from '@/lib/jobs/schema';
import { images } from '@/lib/ui/format';
import { formatUsd } from '@/lib/money';

export function jobStatusText(job: Job, now = Date.now()): string {
  const counted = `${job.done} of ${images(job.total)}`;
  const cost = formatUsd(job.costUsd);
  switch (job.state) {
    case 'running': {
      const wait = job.waitingUntil != null ? Math.ceil((job.waitingUntil - now) / 1000) : 0;
      const waiting = wait > 0 ? ` The provider asked AltScout to slow down; continuing in about ${wait} s.` : '';
      return `Describing ${counted}… ${cost} so far.${waiting}`;
    }
    case 'paused':
      return `Paused at ${counted}. ${job.error?.message ?? ''}`.trim();
    case 'done': {
      const failed = job.items.filter((i) => i.state === 'failed').length;
      return `Described ${counted}${failed ? `, ${failed} failed` : ''}. Cost ${cost}. Review the suggestions, then apply them.`;
    }
    case 'cancelled':
      return `Cancelled after ${counted}. Finished descriptions are kept below.`;
    case 'failed': {
      const why = job.error?.message ?? 'The job failed.';
      const kept = job.done > 0 && !/kept/i.test(why) ? ' Finished descriptions are kept below.' : '';
      return `Stopped after ${counted}. ${why}${kept}`;
    }
  }
}

const ACTION_LABELS = {
  'open-options': 'Open settings',
  'top-up': 'Add credit',
  'pick-model': 'Choose another model',
  retry: 'Try again',
  'raise-budget': 'Raise the budget cap',
} as const;
export type JobAction = keyof typeof ACTION_LABELS;

interface Props {
  job: Job;
  now: number;
  onCancel(): void;
  onAction(action: JobAction): void;
}

/** Live state of a job: a progress bar with done/total and cost, and a status sentence. */
export function JobProgress({ job, now, onCancel, onAction }: Props) {
  const running = job.state === 'running' || job.state === 'paused';
  const percent = job.total ? Math.round((job.done / job.total) * 100) : 0;
  const action = job.error?.action;
  return (
    <section className="job" aria-label="Progress">
      <div
        role="progressbar"
        aria-label="Images described"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={job.done}
        aria-valuetext={`${job.done} of ${images(job.total)}, ${formatUsd(job.costUsd)} so far`}
        className="bar"
      >
        <div className="bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <p role="status" aria-label="Job status" className={job.error ? 'job-status error' : 'job-status'}>
        {jobStatusText(job, now)}
      </p>
      <div className="row">
        {running && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {action && !running && (
          <button type="button" onClick={() => onAction(action)}>
            {ACTION_LABELS[action]}
          </button>
        )}
      </div>
    </section>
  );
}
