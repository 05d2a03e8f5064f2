import { z } from 'zod';
import { CountsSchema, KindSchema, ReasonSchema, StatusSchema, type Counts } from '../scan/schema';
import type { PageScan } from './scan-pages';

/**
 * The audit's result as written by `--format json` (and, one page per line, `jsonl`), and read
 * back by `merge` and `--baseline`: the one schema of that boundary.
 */
export const RESULT_VERSION = 1;

export const ImageResultSchema = z.object({
  selector: z.string(),
  kind: KindSchema,
  status: StatusSchema,
  reasons: z.array(ReasonSchema),
  alt: z.string().nullable(),
  src: z.string().nullable(),
  /** Index of the frame (0 = top) the image is in. */
  frame: z.number().int().nonnegative().default(0),
  /** A small PNG data: URL of the image, with --thumbnails (missing and suspicious images). */
  thumbnail: z.string().startsWith('data:image/png;base64,').optional(),
  /** With --baseline: whether this problem is new since the baseline or was already there. */
  change: z.enum(['new', 'unchanged']).optional(),
});
export type ImageResult = z.infer<typeof ImageResultSchema>;

export const PageResultSchema = z.object({
  /** The address audited, as listed (where it ended up is `finalUrl`). */
  url: z.string(),
  finalUrl: z.string().optional(),
  title: z.string().default(''),
  scanMs: z.number().nonnegative().default(0),
  loadMs: z.number().nonnegative().default(0),
  /** The top document's readyState when scanned: "loading" or "interactive" = scanned before `load`. */
  readyState: z.enum(['loading', 'interactive', 'complete']).nullable().default(null),
  scannedBeforeLoad: z.boolean().default(false),
  /** False when the wait cap came before the page settled. */
  settled: z.boolean().default(true),
  frames: z.number().int().nonnegative().default(1),
  counts: CountsSchema,
  requests: z.object({ abandoned: z.array(z.string()), blocked: z.number().int().nonnegative(), failed: z.number().int().nonnegative() }).optional(),
  images: z.array(ImageResultSchema),
  /** With --baseline: problems the baseline had on this page that are gone. */
  fixed: z.array(ImageResultSchema).optional(),
  /** The page could not be audited: why. Its counts are zero and it has no images. */
  error: z.string().optional(),
});
export type PageResult = z.infer<typeof PageResultSchema>;

export const SummarySchema = z.object({
  pages: z.number().int().nonnegative(),
  failedPages: z.number().int().nonnegative(),
  scannedBeforeLoad: z.number().int().nonnegative(),
  counts: CountsSchema,
  baseline: z.object({ file: z.string(), new: z.number().int(), fixed: z.number().int(), unchanged: z.number().int() }).optional(),
});
export type Summary = z.infer<typeof SummarySchema>;

export const AuditResultSchema = z.object({
  tool: z.literal('altscout'),
  version: z.literal(RESULT_VERSION),
  createdAt: z.string(),
  shard: z.object({ index: z.number().int().positive(), total: z.number().int().positive() }).optional(),
  summary: SummarySchema,
  pages: z.array(PageResultSchema),
});
export type AuditResult = z.infer<typeof AuditResultSchema>;

const NO_COUNTS: Counts = { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 };
const ABANDONED_LISTED = 20;

/** One scanned page as the result lists it. */
export function pageResult(scan: PageScan): PageResult {
  const round = (ms: number) => Math.round(ms * 100) / 100;
  return {
    url: scan.requested,
    ...(scan.url && scan.url !== scan.requested ? { finalUrl: scan.url } : {}),
    title: scan.title,
    scanMs: round(scan.scanMs),
    loadMs: Math.round(scan.loadMs),
    readyState: scan.readyState,
    scannedBeforeLoad: !scan.error && scan.readyState !== 'complete',
    settled: scan.settled,
    frames: scan.frames,
    counts: scan.counts,
    requests: { abandoned: scan.requests.abandoned.slice(0, ABANDONED_LISTED), blocked: scan.requests.blocked, failed: scan.requests.failed },
    images: scan.findings.map((f) => ({
      selector: f.selector,
      kind: f.kind,
      status: f.status,
      reasons: f.reasons,
      alt: f.alt,
      src: f.src,
      frame: f.frameId,
      ...(scan.thumbnails?.[f.id] ? { thumbnail: scan.thumbnails[f.id] } : {}),
    })),
    ...(scan.error ? { error: scan.error } : {}),
  };
}

export function summarize(pages: PageResult[]): Summary {
  const counts = { ...NO_COUNTS };
  for (const p of pages) for (const key of Object.keys(counts) as Array<keyof Counts>) counts[key] += p.counts[key];
  return {
    pages: pages.length,
    failedPages: pages.filter((p) => p.error).length,
    scannedBeforeLoad: pages.filter((p) => p.scannedBeforeLoad).length,
    counts,
  };
}

export function auditResult(pages: PageResult[], extra: { shard?: AuditResult['shard']; baseline?: Summary['baseline'] } = {}): AuditResult {
  return {
    tool: 'altscout',
    version: RESULT_VERSION,
    createdAt: new Date().toISOString(),
    ...(extra.shard ? { shard: extra.shard } : {}),
    summary: { ...summarize(pages), ...(extra.baseline ? { baseline: extra.baseline } : {}) },
    pages,
  };
}

export class ResultError extends Error {}

/**
 * Reads a result written by `audit --format json` or `--format jsonl` (one page per line), as
 * `merge` and `--baseline` need it. `name` is used in messages.
 */
export function parseResultText(text: string, name: string): { pages: PageResult[]; shard?: AuditResult['shard'] } {
  const trimmed = text.trim();
  if (!trimmed) throw new ResultError(`${name} is empty.`);
  if (trimmed.startsWith('{') && !/^\{[^\n]*\}\s*\n\s*\{/.test(trimmed)) {
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      json = undefined;
    }
    if (json !== undefined) {
      const parsed = AuditResultSchema.safeParse(json);
      if (!parsed.success) throw new ResultError(`${name} is not an AltScout audit result (${firstIssue(parsed.error)}).`);
      return { pages: parsed.data.pages, shard: parsed.data.shard };
    }
  }
  const pages: PageResult[] = [];
  trimmed.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new ResultError(`${name} line ${i + 1} is not JSON: give a file written by "audit --format json" or "--format jsonl".`);
    }
    const parsed = PageResultSchema.safeParse(json);
    if (!parsed.success) throw new ResultError(`${name} line ${i + 1} is not an AltScout page result (${firstIssue(parsed.error)}).`);
    pages.push(parsed.data);
  });
  return { pages };
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : 'unreadable';
}
