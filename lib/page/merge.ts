import type { Finding } from '../scan/schema';
import { findingId } from './finding-id';

/**
 * A frame's finding as the tab sees it: its local id made unique across frames and documents
 * ("<frameId>:<doc>:<local>", lib/page/finding-id.ts) and its frame filled in. The worker and the
 * command line merge frames with this one function.
 */
export function inFrame(finding: Finding, frameId: number, doc: string): Finding {
  return { ...finding, id: findingId(frameId, doc, finding.id), frameId };
}
