import type { Job, StartJob } from '@/lib/jobs/schema';
import type { Platform } from './api';

/**
 * Contract 2: the UI sends only what the user chose. The worker reads the settings (language,
 * length, budget, provider, API base, concurrency, AI mark) and asks the page for each image's details.
 */
export type StartJobRequest = StartJob;

/** The one way the popup, the report and the single-image window start a job. */
export function startJob(platform: Platform, request: StartJobRequest): Promise<Job> {
  return platform.send('startJob', request);
}
