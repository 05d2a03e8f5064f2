/** The scanner's public face: the content script, the CLI bundle and tests import from here. */
export { scanFrame, collectCandidates, countByStatus } from './frame';
export { LiveScanner } from './live';
export { findingDetails } from './details';
export { registryFor } from './registry';
