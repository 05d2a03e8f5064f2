import { z } from 'zod';

export const TabRequestSchema = z.object({ tabId: z.number().int().nonnegative() }).strict();

/** What one frame's content script reports. The scanner issue widens this to full findings. */
export const FrameScanSchema = z.object({
  url: z.string(),
  total: z.number().int().nonnegative(),
  missing: z.number().int().nonnegative(),
});
export type FrameScan = z.infer<typeof FrameScanSchema>;

export const PageSummarySchema = z.discriminatedUnion('supported', [
  z.object({
    supported: z.literal(true),
    tabId: z.number(),
    url: z.string(),
    title: z.string(),
    total: z.number().int().nonnegative(),
    missing: z.number().int().nonnegative(),
  }),
  z.object({
    supported: z.literal(false),
    tabId: z.number(),
    url: z.string(),
    reason: z.string(),
  }),
]);
export type PageSummary = z.infer<typeof PageSummarySchema>;
