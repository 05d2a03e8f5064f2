import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Frame } from 'playwright-core';
import type { FrameScan } from '../page/schema';
import type { FindingDetails, Status } from '../scan/schema';
import { withDetails } from '../scan/details';
import { inFrame } from '../page/merge';
import { countByStatus } from '../scan/frame';

/**
 * Runs the extension's own scanner (lib/scan, bundled by esbuild) in headless Chromium, frame by
 * frame, for the audit and describe commands, the oracle test and the benchmark.
 */
export interface PageScan extends FrameScan {
  /** The address asked for (`url` is where the page ended up). */
  requested: string;
  frames: number;
  /** Set when the page could not be loaded or scanned; the counts are then all zero. */
  error?: string;
}

export interface ScanPagesOptions {
  /** Reuse a browser (tests, bench); otherwise one is launched and closed. */
  browser?: Browser;
  timeoutMs?: number;
  /** Abort every request that is not file: or loopback, for offline tests and benchmarks. */
  offline?: boolean;
  /**
   * Findings with these statuses also get the captioner's details (context, rendered size),
   * collected in the page as the extension does before a job; the rest keep the scan's own.
   */
  detailsFor?: Status[];
}

let bundle: Promise<string> | null = null;

/** The scanner as one script that defines `window.__altscout`. */
export function scannerBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('../scan/page-global.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome110',
    minify: true,
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0].text);
  return bundle;
}

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) throw new Error(`Chromium not found at ${path}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic'] });
}

/** Scans an already loaded frame with the bundled scanner; `detailsFor`: see ScanPagesOptions. */
export async function scanLoadedFrame(frame: Frame, detailsFor: Status[] = []): Promise<FrameScan> {
  const code = await scannerBundle();
  const scanned = (await frame.evaluate(`${code};window.__altscout.scan()`)) as FrameScan;
  // The scan leaves selectors to be asked for; the CLI lists every image with its selector.
  const selectors = (await frame.evaluate(`window.__altscout.selectors(${JSON.stringify(scanned.findings.map((f) => f.id))})`)) as string[];
  const scan = { ...scanned, findings: scanned.findings.map((f, i) => ({ ...f, selector: selectors[i] ?? '' })) };
  const ids = scan.findings.filter((f) => detailsFor.includes(f.status)).map((f) => f.id);
  if (!ids.length) return scan;
  const details = (await frame.evaluate(`window.__altscout.details(${JSON.stringify(ids)})`)) as FindingDetails[];
  return { ...scan, findings: withDetails(scan.findings, details) };
}

export async function scanPagesInChromium(urls: string[], options: ScanPagesOptions = {}): Promise<PageScan[]> {
  const browser = options.browser ?? (await launchChromium());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  if (options.offline) {
    await context.route('**/*', (route) => {
      const { protocol, hostname } = new URL(route.request().url());
      return protocol === 'file:' || protocol === 'data:' || hostname === '127.0.0.1' || hostname === 'localhost' ? route.continue() : route.abort();
    });
  }
  try {
    const results: PageScan[] = [];
    for (const url of urls) results.push(await scanOne(context, url, options.timeoutMs ?? 30_000, options.detailsFor));
    return results;
  } finally {
    await context.close();
    if (!options.browser) await browser.close();
  }
}

async function scanOne(context: import('playwright-core').BrowserContext, url: string, timeoutMs: number, detailsFor?: Status[]): Promise<PageScan> {
  const page = await context.newPage();
  try {
    const response = await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    if (response && response.status() >= 400) return failed(url, `HTTP ${response.status()} ${response.statusText()}`);
    const frames = page.frames();
    const scans: Array<FrameScan & { frameId: number }> = [];
    for (const [frameId, frame] of frames.entries()) {
      // A frame that navigated away or is detached mid-scan is skipped, not fatal.
      const scan = await scanLoadedFrame(frame, detailsFor).catch((error: unknown) => (frameId === 0 ? Promise.reject(error) : null));
      if (scan) scans.push({ ...scan, frameId });
    }
    return mergeFrames(url, scans);
  } catch (error) {
    return failed(url, error instanceof Error ? error.message.split('\n')[0] : String(error));
  } finally {
    await page.close();
  }
}

/** Tab-wide result, ids "<frame>:<id>" as the extension's background makes them. */
export function mergeFrames(requested: string, scans: Array<FrameScan & { frameId: number }>): PageScan {
  const [top] = scans;
  const findings = scans.flatMap((s) => s.findings.map((f) => inFrame(f, s.frameId)));
  return {
    requested,
    url: top.url,
    title: top.title,
    lang: top.lang,
    counts: countByStatus(findings),
    findings,
    scanMs: scans.reduce((sum, s) => sum + s.scanMs, 0),
    frames: scans.length,
  };
}

function failed(url: string, error: string): PageScan {
  return { requested: url, url, title: '', lang: '', counts: { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 }, findings: [], scanMs: 0, frames: 0, error };
}
