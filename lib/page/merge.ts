import type { Finding } from '../scan/schema';

/**
 * Element ids are unique within a frame; prefixing the frame makes them unique in the tab, and the
 * content script strips the prefix again (see ElementRegistry.element).
 */
export function inFrame(finding: Finding, frameId: number): Finding {
  const local = finding.id.slice(finding.id.lastIndexOf(':') + 1);
  return { ...finding, id: `${frameId}:${local}`, frameId };
}
