import type { Finding, Status } from '../scan/schema';
import type { JobItemInput } from '../jobs/schema';

/** Which statuses go into a job. Decorative images are left alone unless the user asks. */
export type Inclusion = Record<'missing' | 'suspicious' | 'decorative', boolean>;
export const DEFAULT_INCLUSION: Inclusion = { missing: true, suspicious: false, decorative: false };

export function includedFindings(findings: Finding[], inclusion: Inclusion): Finding[] {
  return findings.filter((f) => (inclusion as Partial<Record<Status, boolean>>)[f.status] === true);
}

export function toJobItems(findings: Finding[]): JobItemInput[] {
  return findings.map(({ id, frameId, selector, kind, status, alt, src, width, height, context }) => ({
    id, frameId, selector, kind, status, alt, src, width, height, context,
  }));
}
