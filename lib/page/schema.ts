import { z } from 'zod';
import { CountsSchema, FindingSchema } from '../scan/schema';

export const TabRequestSchema = z.object({ tabId: z.number().int().nonnegative() }).strict();

/** What one frame's content script reports. */
export const FrameScanSchema = z.object({
  url: z.string(),
  title: z.string(),
  lang: z.string(),
  counts: CountsSchema,
  findings: z.array(FindingSchema),
  scanMs: z.number().nonnegative(),
});
export type FrameScan = z.infer<typeof FrameScanSchema>;

/** The whole tab: every frame's findings merged, ids made unique across frames. */
export const PageSummarySchema = z.discriminatedUnion('supported', [
  z.object({
    supported: z.literal(true),
    tabId: z.number(),
    url: z.string(),
    title: z.string(),
    counts: CountsSchema,
    findings: z.array(FindingSchema),
    frames: z.number().int().nonnegative(),
    scannedAt: z.number(),
  }),
  z.object({
    supported: z.literal(false),
    tabId: z.number(),
    url: z.string(),
    reason: z.string(),
  }),
]);
export type PageSummary = z.infer<typeof PageSummarySchema>;

export const ApplyItemSchema = z.object({
  id: z.string(),
  text: z.string().max(2000),
  /** Replace alt text a person wrote; only when the user chose that item explicitly. */
  overwrite: z.boolean().default(false),
  /** Recorded on the element as data-altscout-model / data-altscout-time, so editors can tell machine-written alt. */
  model: z.string().max(200).optional(),
  generatedAt: z.number().int().nonnegative().optional(),
  /** The accepted verdict that the image is decorative: with an empty `text`, an <img> gets alt="". */
  decorative: z.boolean().optional(),
});
export type ApplyItem = z.infer<typeof ApplyItemSchema>;
export const ApplyResultSchema = z.object({
  applied: z.array(z.string()),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
});
export type ApplyResult = z.infer<typeof ApplyResultSchema>;
