import { handle } from '../messaging';
import { clearEvidence, readJobs, recordEvidence } from '../storage';
import { comparisonVotes, regenerationOutcome, reviewOutcomes } from '../evidence/record';
import type { EvidenceChange, EvidenceChangeResult, EvidenceUpdate } from '../evidence/schema';
import type { Job } from '../jobs/schema';

/**
 * The worker is the one writer of the user's evidence (lib/storage.ts `recordEvidence` serialises
 * its writes within one context): every page sends `updateEvidence` and the worker works out the
 * records from the job as stored, so a popup and a report tab applying at once both count, and a
 * page cannot record judgements about a job it does not show.
 */

export interface EvidenceDeps {
  /** The job as the worker stored it; null when it is gone (the browser session ended). */
  job(id: string): Promise<Job | null>;
  now(): number;
  record(updates: Array<EvidenceUpdate | null>): Promise<{ error?: string }>;
  clear(modelId?: string): Promise<{ error?: string }>;
}

const storedJob = async (id: string): Promise<Job | null> => (await readJobs()).value.find((r) => r.job.id === id)?.job ?? null;

export const browserEvidenceDeps: EvidenceDeps = { job: storedJob, now: () => Date.now(), record: recordEvidence, clear: clearEvidence };

const count = (updates: Array<EvidenceUpdate | null>) => updates.reduce((n, u) => n + (u?.reviews?.length ?? 0) + (u?.votes?.length ?? 0), 0);

export async function changeEvidence(change: EvidenceChange, deps: EvidenceDeps): Promise<EvidenceChangeResult> {
  if (change.kind === 'clear') return { recorded: 0, ...(await deps.clear(change.modelId)) };
  let updates: Array<EvidenceUpdate | null>;
  if (change.kind === 'comparison') {
    updates = comparisonVotes(change.choices, deps.now());
  } else {
    const job = await deps.job(change.jobId);
    if (!job) return { recorded: 0, error: 'That job is no longer kept, so its review was not recorded.' };
    updates = [change.kind === 'review' ? reviewOutcomes(job, change.draft, deps.now()) : regenerationOutcome(job, change.itemId, deps.now())];
  }
  const recorded = count(updates);
  if (recorded === 0) return { recorded };
  const { error } = await deps.record(updates);
  return error ? { recorded: 0, error } : { recorded };
}

export function registerEvidence(deps: EvidenceDeps = browserEvidenceDeps): void {
  handle('updateEvidence', (change) => changeEvidence(change, deps));
}
