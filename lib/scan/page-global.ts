import { scanFrame } from './frame';
import { findingDetails, findingSelectors } from './details';
import { registryFor } from './registry';

/**
 * Entry point for the CLI, the oracle test and the benchmark: the same scanner the content
 * script runs, bundled to one script and evaluated in a page by headless Chromium.
 */
declare global {
  interface Window {
    __altscout?: {
      scan: () => ReturnType<typeof scanFrame>;
      details: (ids: string[]) => ReturnType<typeof findingDetails>;
      selectors: (ids: string[]) => string[];
      /** The element with this local id, in this document. */
      element: (id: string) => Element | null;
      /** This document's token (lib/page/finding-id.ts): merged ids name it. */
      doc: () => string;
    };
  }
}

window.__altscout = {
  scan: () => scanFrame(document),
  details: (ids) => findingDetails(document, ids),
  selectors: (ids) => findingSelectors(document, ids),
  element: (id) => registryFor(document).element(id),
  doc: () => registryFor(document).doc,
};
