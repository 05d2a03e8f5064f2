import type { ApplyItem } from './protocol';
import type { ApplyResult } from './schema';
import type { FrameJobInput, FrameScan, Status } from '../scan/schema';
import { LiveScanner } from '../scan/live';
import { registryFor } from '../scan/registry';
import { jobInputs } from '../scan/details';
import { AltWriter, showsImage } from './apply';
import { HighlightOverlay } from './overlay';
import { mapImage } from '../scan/source';

const SHOWN_BY_DEFAULT: Status[] = ['missing', 'suspicious', 'decorative'];

/** What the injected script answers `scripting.executeScript` with: who it is and which frames it holds. */
export interface AgentHello {
  /** The token naming this document (lib/page/finding-id.ts). */
  doc: string;
  url: string;
  /** Origins (http and https) of the frames this document embeds, for saying which sites a scan could not reach. */
  frameOrigins: string[];
}

const MAX_FRAME_ORIGINS = 50;

/**
 * What the content script does when asked, and nothing before: constructing it touches no DOM.
 * One per document; the scanner, the overlay and the undo log share its element ids, which are
 * local ids (the worker adds frame and document: lib/page/finding-id.ts). The document check
 * (does a request name this document?) is made before any of these run (lib/page/protocol.ts).
 */
export class ContentAgent {
  /** This document's token, the same one its scans report. */
  readonly doc: string;
  private scanner: LiveScanner | null = null;
  private overlay: HighlightOverlay | null = null;
  private readonly writer = new AltWriter();
  private highlighted: string[] | undefined;
  private stopFollowing: (() => void) | null = null;

  constructor(private readonly document: Document) {
    this.doc = registryFor(document).doc;
  }

  /** This document's address. */
  get url(): string {
    return this.document.URL;
  }

  hello(): AgentHello {
    return { doc: this.doc, url: this.document.URL, frameOrigins: frameOrigins(this.document) };
  }

  scan(): FrameScan {
    this.scanner ??= new LiveScanner(this.document);
    return this.scanner.scan();
  }

  /** A job's input for each element, judged as the page is now; elements gone from the page are left out. */
  jobInputs(ids: string[]): FrameJobInput[] {
    this.scan();
    return jobInputs(this.document, ids, (el) => this.scanner!.findingFor(el));
  }

  highlight(on: boolean, ids?: string[]): number {
    if (!on) {
      this.stopFollowing?.();
      this.stopFollowing = null;
      this.overlay?.hide();
      return 0;
    }
    this.highlighted = ids;
    this.overlay ??= new HighlightOverlay(this.document);
    const shown = this.overlay.show(this.marks());
    // Late images get their badge too: redraw when the page changes while highlighting is on.
    this.stopFollowing ??= this.scanner!.onChange(() => {
      if (this.overlay?.visible) this.overlay.show(this.marks());
    });
    return shown;
  }

  reveal(id: string): boolean {
    const el = this.element(id);
    if (!el || !el.isConnected) return false;
    // An area has no box to scroll to: its image has.
    (el.localName === 'area' ? mapImage(el) ?? el : el).scrollIntoView({ block: 'center', inline: 'nearest' });
    this.overlay ??= new HighlightOverlay(this.document);
    this.overlay.flash(el);
    return true;
  }

  apply(items: ApplyItem[]): ApplyResult {
    return this.writer.apply(items, (id) => this.element(id));
  }

  /** Puts back the elements of `ids` this agent wrote to; returns how many. */
  undo(ids: string[]): number {
    return this.writer.undo(ids.map((id) => this.element(id)).filter((el): el is Element => el != null));
  }

  /**
   * The local id of an image showing `src` (the context menu names the image clicked by its
   * address only); the first one in the page when it shows more than once. Null when none does.
   */
  imageAt(src: string): string | null {
    const findings = this.scan().findings;
    const exact = findings.find((f) => f.src === src);
    if (exact) return exact.id;
    const el = findings.map((f) => this.element(f.id)).find((e) => e != null && showsImage(e, src));
    return el ? registryFor(this.document).idFor(el) : null;
  }

  /** blob: URLs resolve only in the page that made them, so the worker asks us for the bytes. */
  async readBlob(url: string): Promise<string> {
    const blob = await (await fetch(url)).blob();
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(new Error(`Could not read ${url}`));
      reader.readAsDataURL(blob);
    });
  }

  /** The element with this local id in this document, or null. */
  element(id: string): Element | null {
    return registryFor(this.document).element(id);
  }

  private marks() {
    const scan = this.scan();
    const wanted = this.highlighted && new Set(this.highlighted);
    return scan.findings
      .filter((f) => (wanted ? wanted.has(f.id) : SHOWN_BY_DEFAULT.includes(f.status)))
      .map((f) => ({ el: this.element(f.id), status: f.status }))
      .filter((m): m is { el: Element; status: Status } => m.el != null);
  }
}

/** The origins of the frames a document embeds (their `src`, resolved): what a scan of every frame may need access to. */
export function frameOrigins(root: ParentNode): string[] {
  const origins = new Set<string>();
  for (const frame of root.querySelectorAll<HTMLIFrameElement>('iframe[src], frame[src]')) {
    try {
      const url = new URL(frame.src);
      if (url.protocol === 'http:' || url.protocol === 'https:') origins.add(url.origin);
    } catch {
      // A src that is not a URL loads nothing.
    }
    if (origins.size >= MAX_FRAME_ORIGINS) break;
  }
  return [...origins];
}
