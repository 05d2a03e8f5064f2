import { z } from 'zod';

/**
 * Contract between the scanner (content script), the background merge, the popup, the report
 * page and the CLI. The scanner issue may add fields; removing or renaming one means updating
 * every reader.
 */
export const StatusSchema = z.enum(['missing', 'decorative', 'suspicious', 'ok', 'ignored']);
export type Status = z.infer<typeof StatusSchema>;

export const KindSchema = z.enum(['img', 'input-image', 'role-img', 'svg', 'area']);
export type Kind = z.infer<typeof KindSchema>;

/** A reason has a stable code (for tests, filters, CSV) and a sentence for people. */
export const ReasonSchema = z.object({ code: z.string(), text: z.string() });
export type Reason = z.infer<typeof ReasonSchema>;

/** What the captioner needs to describe the image for its purpose; every text is capped. */
export const FindingContextSchema = z.object({
  pageTitle: z.string().default(''),
  lang: z.string().default(''),
  figcaption: z.string().optional(),
  /** Text and target of the link the image sits in (its purpose is where the link goes). */
  linkText: z.string().optional(),
  linkHref: z.string().optional(),
  buttonText: z.string().optional(),
  heading: z.string().optional(),
  nearbyText: z.string().optional(),
});
export type FindingContext = z.infer<typeof FindingContextSchema>;

export const FindingSchema = z.object({
  /**
   * Stable for the element's life in its document. The scan hands out the local id; the worker
   * (and the CLI) merge frames into "<frameId>:<doc>:<local>" (lib/page/finding-id.ts).
   */
  id: z.string(),
  /** Filled in by the background merge; 0 is the top frame. */
  frameId: z.number().int().nonnegative().default(0),
  /**
   * A CSS selector for people and CI diffs. The scan leaves it '' (building thousands of paths was
   * a fifth of a scan, and only jobs, exports and the CLI show them): `findingDetails` and
   * `findingSelectors` fill it in for the findings that need one.
   */
  selector: z.string(),
  kind: KindSchema,
  status: StatusSchema,
  reasons: z.array(ReasonSchema),
  /** The current text alternative as found (null when there is none). */
  alt: z.string().nullable(),
  /** Absolute URL of the image in use (data: and blob: kept as they are); null for inline svg. */
  src: z.string().nullable(),
  /**
   * Rendered size in CSS px: 0 until the finding's details are fetched (`findingDetails`), which
   * every caller that starts a caption job does; the scan itself measures no boxes for its output.
   */
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
  /**
   * From the scan: pageTitle and lang only. The rest (figcaption, link, button, heading, nearby
   * text) is collected on demand by `findingDetails` for the images being described.
   */
  context: FindingContextSchema,
});
export type Finding = z.infer<typeof FindingSchema>;

/** What `findingDetails` collects for one finding on demand: its selector, the captioner's context and the rendered size. */
export const FindingDetailsSchema = z.object({
  id: z.string(),
  selector: z.string().optional(),
  context: FindingContextSchema,
  width: z.number().nonnegative(),
  height: z.number().nonnegative(),
});
export type FindingDetails = z.infer<typeof FindingDetailsSchema>;

export const CountsSchema = z.object({
  missing: z.number().int().nonnegative(),
  decorative: z.number().int().nonnegative(),
  suspicious: z.number().int().nonnegative(),
  ok: z.number().int().nonnegative(),
  ignored: z.number().int().nonnegative(),
});
export type Counts = z.infer<typeof CountsSchema>;

/** What one frame's scan reports: its findings with local ids, and the token naming its document. */
export const FrameScanSchema = z.object({
  url: z.string(),
  title: z.string(),
  lang: z.string(),
  /** Made once per document (lib/scan/registry.ts); part of every merged finding id. */
  doc: z.string(),
  counts: CountsSchema,
  findings: z.array(FindingSchema),
  scanMs: z.number().nonnegative(),
});
export type FrameScan = z.infer<typeof FrameScanSchema>;

/**
 * Everything a caption job needs about one element, read in one go from the document it is in
 * (lib/scan/details.ts `jobInputs`): the scan's verdict as it stands now, and the details the scan
 * leaves out (selector, context, rendered size). `id` is the local id.
 */
export const FrameJobInputSchema = FindingSchema.pick({
  id: true, selector: true, kind: true, status: true, alt: true, src: true, width: true, height: true, context: true,
});
export type FrameJobInput = z.infer<typeof FrameJobInputSchema>;
