import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Status } from '../scan/schema';
import { scanPagesInChromium, type PageScan } from './scan-pages';

const USAGE = `Usage: npm run altscout -- audit <url-or-file>... [--json] [--fail-on missing|suspicious|none]

Scans each page in headless Chromium with AltScout's scanner and lists its images.
  --json       print {"pages":[...]} instead of a table
  --fail-on    exit 1 when a page has images missing alt (missing), missing or poor alt
               (suspicious), or never (none, the default)
Exit codes: 0 clean, 1 --fail-on found something, 2 usage error or a page that could not be loaded.`;

type FailOn = 'missing' | 'suspicious' | 'none';
interface AuditArgs {
  targets: string[];
  json: boolean;
  failOn: FailOn;
}

export class UsageError extends Error {}

export function parseAuditArgs(args: string[]): AuditArgs {
  const parsed: AuditArgs = { targets: [], json: false, failOn: 'none' };
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--json') parsed.json = true;
    else if (arg === '--fail-on' || arg.startsWith('--fail-on=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (value !== 'missing' && value !== 'suspicious' && value !== 'none') {
        throw new UsageError(`--fail-on takes missing, suspicious or none (got ${value === undefined ? 'nothing' : `"${value}"`}).`);
      }
      parsed.failOn = value;
    } else if (arg.startsWith('-')) throw new UsageError(`Unknown option "${arg}".`);
    else parsed.targets.push(arg);
  }
  if (!parsed.targets.length) throw new UsageError('Give at least one URL or HTML file to audit.');
  return parsed;
}

/** http(s) and file: URLs pass through; anything else must be a file that exists. */
export function toUrl(target: string): string {
  if (/^(https?|file):\/\//i.test(target)) return target;
  const path = resolve(target);
  if (!existsSync(path)) throw new UsageError(`"${target}" is neither a URL (http://, https://, file://) nor a file that exists.`);
  return pathToFileURL(path).href;
}

export function auditJson(pages: PageScan[]) {
  return {
    pages: pages.map((p) => ({
      url: p.requested,
      scanMs: Math.round(p.scanMs * 100) / 100,
      counts: p.counts,
      images: p.findings.map((f) => ({ selector: f.selector, kind: f.kind, src: f.src, status: f.status, reasons: f.reasons, alt: f.alt })),
      ...(p.error ? { error: p.error } : {}),
    })),
  };
}

const SHOWN: Status[] = ['missing', 'suspicious'];

export function auditTable(pages: PageScan[]): string {
  const lines: string[] = [];
  for (const page of pages) {
    if (page.error) {
      lines.push(`${page.requested}\n  could not be loaded: ${page.error}`, '');
      continue;
    }
    const c = page.counts;
    lines.push(`${page.requested}  (${page.scanMs.toFixed(1)} ms, ${page.frames} frame${page.frames === 1 ? '' : 's'})`);
    lines.push(`  missing ${c.missing}  suspicious ${c.suspicious}  decorative ${c.decorative}  ok ${c.ok}  ignored ${c.ignored}`);
    const rows = page.findings.filter((f) => SHOWN.includes(f.status));
    if (rows.length) {
      const width = Math.min(60, Math.max(...rows.map((f) => f.selector.length)));
      for (const f of rows) {
        lines.push(`  ${f.status.padEnd(10)} ${f.kind.padEnd(11)} ${f.selector.padEnd(width)}  ${f.reasons.map((r) => r.code).join(',')}  ${f.src ?? ''}`);
      }
    }
    lines.push('');
  }
  return lines.join('\n');
}

export function exitCode(pages: PageScan[], failOn: FailOn): number {
  if (pages.some((p) => p.error)) return 2;
  if (failOn === 'none') return 0;
  const found = pages.some((p) => p.counts.missing > 0 || (failOn === 'suspicious' && p.counts.suspicious > 0));
  return found ? 1 : 0;
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  let parsed: AuditArgs;
  let urls: string[];
  try {
    parsed = parseAuditArgs(args);
    urls = parsed.targets.map(toUrl);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`altscout audit: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  const pages = await scanPagesInChromium(urls);
  if (parsed.json) console.log(JSON.stringify(auditJson(pages), null, 2));
  else console.log(auditTable(pages));
  for (const page of pages) if (page.error) console.error(`altscout audit: could not load ${page.requested}: ${page.error}`);
  return exitCode(pages, parsed.failOn);
}
