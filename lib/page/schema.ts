import { z } from 'zod';
import { CountsSchema, FindingSchema } from '../scan/schema';
import { ID_PART } from './finding-id';

export const TabRequestSchema = z.object({ tabId: z.number().int().nonnegative() }).strict();

/**
 * Sites AltScout would need host access to for a step and does not have, as match patterns
 * ("https://cdn.example.com/*", lib/permissions.ts): the popup names them and asks from a click.
 */
export const NeedsAccessSchema = z.object({
  /** Frames of the page that could not be scanned: they are on sites AltScout has no access to. */
  frames: z.array(z.string()),
  /** Sites the page's images come from that AltScout cannot read them from (describing them needs it). */
  images: z.array(z.string()),
});
export type NeedsAccess = z.infer<typeof NeedsAccessSchema>;

/** The whole tab: every frame's findings merged, ids made unique across frames and documents. */
export const PageSummarySchema = z.discriminatedUnion('supported', [
  z.object({
    supported: z.literal(true),
    tabId: z.number(),
    url: z.string(),
    title: z.string(),
    /**
     * The token of the top document that was scanned. Page-wide actions (highlightTab) pass it
     * back, so they answer `pageChanged` once the tab shows another document.
     */
    page: z.string(),
    counts: CountsSchema,
    findings: z.array(FindingSchema),
    frames: z.number().int().nonnegative(),
    scannedAt: z.number(),
    needsAccess: NeedsAccessSchema,
  }),
  z.object({
    supported: z.literal(false),
    tabId: z.number(),
    url: z.string(),
    reason: z.string(),
    /** Set when the page itself needs access AltScout does not have (patterns, as in NeedsAccess). */
    needsAccess: z.array(z.string()).optional(),
  }),
]);
export type PageSummary = z.infer<typeof PageSummarySchema>;

/**
 * Contract 5: a tab action bound to a document the frame no longer holds (the tab reloaded or
 * navigated) changes nothing and says so; the UI then offers to scan again.
 */
const pageChanged = { pageChanged: z.boolean().optional() };

export const ApplyResultSchema = z.object({
  applied: z.array(z.string()),
  skipped: z.array(z.object({ id: z.string(), reason: z.string() })),
  ...pageChanged,
});
export type ApplyResult = z.infer<typeof ApplyResultSchema>;

export const UndoResultSchema = z.object({ restored: z.number().int().nonnegative(), ...pageChanged });
export const HighlightResultSchema = z.object({ shown: z.number().int().nonnegative(), ...pageChanged });
export const RevealResultSchema = z.object({ found: z.boolean(), ...pageChanged });

/** What the injected script answers `scripting.executeScript` with (lib/page/content-agent.ts `AgentHello`). */
export const AgentHelloSchema = z.object({
  doc: z.string().regex(ID_PART),
  url: z.string(),
  frameOrigins: z.array(z.string()).max(50),
});

/** What a frame answers when a request named a document it no longer holds. */
export const PageChangedSchema = z.object({ pageChanged: z.literal(true) }).strict();
