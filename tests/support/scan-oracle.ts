import { readFileSync } from 'node:fs';
import type { Frame } from 'playwright-core';
import { scannerBundle } from '../../lib/cli/scan-pages';

/** The five axe-core rules the scanner's "missing" must agree with. */
export const AXE_RULES = ['image-alt', 'input-image-alt', 'role-img-alt', 'svg-img-alt', 'area-alt'];

export const axeSource = () => readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

export interface Difference {
  html: string;
  status: string | null;
  reasons: string[];
  rules: string[];
}

export interface Comparison {
  url: string;
  oursMissing: number;
  axeMissing: number;
  /** Marked missing by us, not by axe-core. */
  onlyOurs: Difference[];
  /** Violations axe-core reports that we did not mark missing. */
  onlyAxe: Difference[];
}

/** Loads axe-core and the scanner into a frame (idempotent). */
export async function prepareFrame(frame: Frame): Promise<void> {
  const loaded = await frame.evaluate(() => Boolean((window as unknown as { axe?: unknown }).axe && window.__altscout));
  if (loaded) return;
  await frame.evaluate(`${axeSource()};${await scannerBundle()}`);
}

/** Runs both in one frame of the same Chromium and returns every element they disagree on. */
export async function compareWithAxe(frame: Frame): Promise<Comparison> {
  await prepareFrame(frame);
  return frame.evaluate(async (rules) => {
    const scan = window.__altscout!.scan();
    const byElement = new Map<Element, (typeof scan.findings)[number]>();
    for (const f of scan.findings) {
      const el = window.__altscout!.element(f.id);
      if (el) byElement.set(el, f);
    }
    type AxeResult = { violations: Array<{ id: string; nodes: Array<{ element: Element }> }> };
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'], elementRef: true, iframes: false });
    const axeRules = new Map<Element, string[]>();
    for (const v of result.violations) for (const n of v.nodes) axeRules.set(n.element, [...(axeRules.get(n.element) ?? []), v.id]);
    const ours = [...byElement].filter(([, f]) => f.status === 'missing').map(([el]) => el);
    const describe = (el: Element) => {
      const f = byElement.get(el);
      return { html: el.outerHTML.slice(0, 240), status: f?.status ?? null, reasons: f?.reasons.map((r) => r.code) ?? [], rules: axeRules.get(el) ?? [] };
    };
    return {
      url: location.href,
      oursMissing: ours.length,
      axeMissing: axeRules.size,
      onlyOurs: ours.filter((el) => !axeRules.has(el)).map(describe),
      onlyAxe: [...axeRules.keys()].filter((el) => byElement.get(el)?.status !== 'missing').map(describe),
    };
  }, AXE_RULES);
}

/**
 * Differences we keep on purpose (tests/e2e/scan-oracle.test.ts shows each one):
 * a loaded image rendered at 1x1 or less is a tracking pixel, which axe-core still asks alt of.
 */
export function isDocumentedDifference(d: Difference): boolean {
  return d.status === 'ignored' && d.reasons.includes('tracking-pixel');
}
