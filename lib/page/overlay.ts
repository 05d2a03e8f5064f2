import type { Status } from '../scan/schema';
import { OVERLAY_TAG } from '../scan/live';
import { areaBox } from './area-box';
import { BOX_BORDER, placeBadges, type Rect } from './badge-layout';

/**
 * Boxes and badges over the findings, drawn in a shadow root so page CSS cannot restyle them and
 * ours cannot leak. Nothing in it takes focus or pointer events, it is hidden from assistive
 * technology (the page's own images are what matters), and `hide()` leaves no trace.
 */

export interface Mark {
  el: Element;
  status: Status;
}

const BADGES: Record<Status, { label: string; colour: string; line: string }> = {
  missing: { label: 'Missing alt', colour: '#b3261e', line: 'solid' },
  suspicious: { label: 'Check alt', colour: '#7a4f00', line: 'dashed' },
  decorative: { label: 'Decorative', colour: '#35557a', line: 'dotted' },
  ok: { label: 'Alt OK', colour: '#1b6b34', line: 'solid' },
  ignored: { label: 'Ignored', colour: '#555555', line: 'dotted' },
};

const B = BOX_BORDER;
const STYLE = `
:host { all: initial; }
.box { position: absolute; box-sizing: border-box; border-width: ${B}px; pointer-events: none; }
.box.flash { outline: 4px solid #ffbf00; outline-offset: 2px; }
.badge { position: absolute; top: -${B}px; left: -${B}px; transform: translateY(-100%); padding: 1px 6px;
  font: 600 12px/18px system-ui, sans-serif; color: #fff; white-space: nowrap; border-radius: 3px 3px 0 0; }
.badge.inside { top: 0; left: 0; transform: none; border-radius: 0 0 3px 0; }
.badge.below { top: auto; bottom: -${B}px; transform: translateY(100%); border-radius: 0 0 3px 3px; }
`;

export class HighlightOverlay {
  private host: HTMLElement | null = null;
  private layer: HTMLElement | null = null;
  private marks: Mark[] = [];
  private flashed: Element | null = null;
  private frame = 0;

  constructor(private readonly doc: Document) {}

  get visible(): boolean {
    return this.host != null;
  }

  show(marks: Mark[]): number {
    this.marks = marks;
    this.ensureHost();
    this.draw();
    return marks.length;
  }

  /** Marks one element briefly (the popup's "show me"); works with or without the overlay on. */
  flash(el: Element, ms = 2000): void {
    const wasVisible = this.visible;
    this.flashed = el;
    if (!wasVisible) this.ensureHost();
    this.draw();
    setTimeout(() => {
      if (this.flashed !== el) return;
      this.flashed = null;
      if (!wasVisible && !this.marks.length) this.hide();
      else this.draw();
    }, ms);
  }

  hide(): void {
    this.marks = [];
    this.flashed = null;
    cancelAnimationFrame(this.frame);
    const view = this.doc.defaultView;
    view?.removeEventListener('scroll', this.schedule, true);
    view?.removeEventListener('resize', this.schedule);
    this.host?.remove();
    this.host = this.layer = null;
  }

  private ensureHost() {
    if (this.host) return;
    const host = this.doc.createElement(OVERLAY_TAG);
    host.setAttribute('aria-hidden', 'true');
    host.style.cssText = 'position:absolute;top:0;left:0;width:0;height:0;z-index:2147483647;pointer-events:none;';
    const root = host.attachShadow({ mode: 'open' });
    const style = this.doc.createElement('style');
    style.textContent = STYLE;
    this.layer = this.doc.createElement('div');
    root.append(style, this.layer);
    this.doc.documentElement.append(host);
    this.host = host;
    const view = this.doc.defaultView;
    view?.addEventListener('scroll', this.schedule, { capture: true, passive: true });
    view?.addEventListener('resize', this.schedule, { passive: true });
  }

  private schedule = () => {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.draw());
  };

  private draw() {
    if (!this.layer) return;
    const view = this.doc.defaultView!;
    const boxes: HTMLElement[] = [];
    const rects: Rect[] = [];
    const marks = this.flashed && !this.marks.some((m) => m.el === this.flashed) ? [...this.marks, { el: this.flashed, status: 'missing' as Status }] : this.marks;
    for (const { el, status } of marks) {
      if (!el.isConnected) continue;
      const rect = el.localName === 'area' ? areaBox(el) : el.getBoundingClientRect();
      if (!rect || (!rect.width && !rect.height)) continue;
      const badge = BADGES[status];
      const box = this.doc.createElement('div');
      box.className = el === this.flashed ? 'box flash' : 'box';
      box.dataset.status = status;
      const placed = { left: rect.left + view.scrollX, top: rect.top + view.scrollY, width: rect.width, height: rect.height };
      rects.push(placed);
      box.style.cssText = `left:${placed.left}px;top:${placed.top}px;width:${placed.width}px;height:${placed.height}px;border-style:${badge.line};border-color:${badge.colour};`;
      const label = this.doc.createElement('span');
      label.className = 'badge';
      label.style.background = badge.colour;
      label.textContent = badge.label;
      box.append(label);
      boxes.push(box);
    }
    this.layer.replaceChildren(...boxes);
    // Every badge measured in one read, then moved where it covers no earlier one.
    const labels = boxes.map((box) => box.firstElementChild as HTMLElement);
    const sizes = labels.map((label) => label.getBoundingClientRect());
    const places = placeBadges(rects.map((box, i) => ({ box, badge: { width: sizes[i].width, height: sizes[i].height } })));
    places.forEach((place, i) => place !== 'above' && labels[i].classList.add(place));
  }
}
