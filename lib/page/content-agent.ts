import type { FrameScan } from './schema';
import type { ApplyItem, ApplyResult } from './schema';
import type { Status } from '../scan/schema';
import { LiveScanner } from '../scan/live';
import { registryFor } from '../scan/registry';
import { findingDetails } from '../scan/details';
import type { FindingDetails } from '../scan/schema';
import { AltWriter } from './apply';
import { HighlightOverlay } from './overlay';
import { mapImage } from '../scan/source';

const SHOWN_BY_DEFAULT: Status[] = ['missing', 'suspicious', 'decorative'];

/**
 * What the content script does when asked, and nothing before: constructing it touches no DOM.
 * One per frame; the scanner, the overlay and the undo log share its element ids.
 */
export class ContentAgent {
  private scanner: LiveScanner | null = null;
  private overlay: HighlightOverlay | null = null;
  private readonly writer = new AltWriter();
  private highlighted: string[] | undefined;
  private stopFollowing: (() => void) | null = null;

  constructor(private readonly doc: Document) {}

  scan(): FrameScan {
    this.scanner ??= new LiveScanner(this.doc);
    return this.scanner.scan();
  }

  /** The captioner's context and the rendered size of the images about to be described. */
  details(ids: string[]): FindingDetails[] {
    return findingDetails(this.doc, ids);
  }

  highlight(on: boolean, ids?: string[]): number {
    if (!on) {
      this.stopFollowing?.();
      this.stopFollowing = null;
      this.overlay?.hide();
      return 0;
    }
    this.highlighted = ids;
    this.overlay ??= new HighlightOverlay(this.doc);
    const shown = this.overlay.show(this.marks());
    // Late images get their badge too: redraw when the page changes while highlighting is on.
    this.stopFollowing ??= this.scanner!.onChange(() => {
      if (this.overlay?.visible) this.overlay.show(this.marks());
    });
    return shown;
  }

  reveal(id: string): boolean {
    const el = this.element(id);
    if (!el) return false;
    // An area has no box to scroll to: its image has.
    (el.localName === 'area' ? mapImage(el) ?? el : el).scrollIntoView({ block: 'center', inline: 'nearest' });
    this.overlay ??= new HighlightOverlay(this.doc);
    this.overlay.flash(el);
    return true;
  }

  apply(items: ApplyItem[]): ApplyResult {
    return this.writer.apply(items, (id) => this.element(id));
  }

  undo(): number {
    return this.writer.undo();
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

  private element(id: string): Element | null {
    return registryFor(this.doc).element(id);
  }

  private marks() {
    const scan = this.scan();
    const wanted = this.highlighted && new Set(this.highlighted.map((id) => id.slice(id.lastIndexOf(':') + 1)));
    return scan.findings
      .filter((f) => (wanted ? wanted.has(f.id) : SHOWN_BY_DEFAULT.includes(f.status)))
      .map((f) => ({ el: this.element(f.id), status: f.status }))
      .filter((m): m is { el: Element; status: Status } => m.el != null);
  }
}
