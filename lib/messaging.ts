import { defineExtensionMessaging } from '@webext-core/messaging';
import { browser } from 'wxt/browser';
import { z } from 'zod';
import * as v from 'valibot';
import {
  ApplyResultSchema, HighlightResultSchema, PageChangedSchema, PageSummarySchema, RevealResultSchema, TabRequestSchema, UndoResultSchema,
} from './page/schema';
import { ApplyFields, FRAME_REQUEST, frameInputs, ProtocolError, type FrameMessage, type FrameReply, type FrameRequest, type SchemaIssue } from './page/protocol';
import { isFindingId } from './page/finding-id';
import { GetRankingInputSchema, RankingSchema } from './ranking/schema';
import { JobSchema, StartJobSchema } from './jobs/schema';
import { FindingDetailsSchema, FrameJobInputSchema, FrameScanSchema } from './scan/schema';
import { EvidenceChangeResultSchema, EvidenceChangeSchema } from './evidence/schema';
import {
  CmsFillInputSchema, CmsFillResultSchema, CmsInspectionSchema, CmsLibraryInputSchema, CmsLibraryResultSchema, CmsSaveInputSchema, CmsSaveResultSchema, CmsUndoInputSchema, CmsUndoResultSchema,
} from './cms/messages';

/**
 * The one protocol map. Every message names a schema for what it takes and what it returns; both
 * sides parse, so a malformed payload fails with a readable error at the boundary instead of deep
 * inside a handler. Schemas are Standard Schema objects: zod's, and valibot's for the inputs the
 * content script checks too (lib/page/protocol.ts, kept small for the script injected into pages).
 *
 * `access` says who may send a message:
 * - 'extension': only AltScout's own pages (popup, options, report); the worker refuses anyone
 *   else, a content script included. Anything touching the API key or settings is 'extension'.
 * - 'frame': the worker sends it to one frame's content script (`sendToFrame`), which answers.
 *   Pages cannot reach those listeners; the worker never answers these.
 */
const none = z.object({}).strict();
const KeyCheckSchema = z.object({ ok: z.boolean(), message: z.string(), creditUsd: z.number().nullable() });
const ID_EXAMPLE = 'expected a finding id such as "0:k3j2h1g0f9e8:e3"';
const FindingIdSchema = z.string().refine(isFindingId, ID_EXAMPLE);
const FindingIdsSchema = z.array(FindingIdSchema).max(10_000);
const tabId = z.number().int().nonnegative();
/** A frame's answer, or the news that it holds another document now. */
const orChanged = <T extends z.ZodType>(schema: T) => z.union([PageChangedSchema, schema]);

export const protocol = {
  // Answered by the content script in one frame; sent by the worker only.
  scanFrame: { input: frameInputs.scanFrame, output: FrameScanSchema, access: 'frame' },
  jobInputs: { input: frameInputs.jobInputs, output: orChanged(z.object({ url: z.string(), inputs: z.array(FrameJobInputSchema) })), access: 'frame' },
  highlight: { input: frameInputs.highlight, output: orChanged(z.object({ shown: z.number().int() })), access: 'frame' },
  revealFinding: { input: frameInputs.revealFinding, output: orChanged(z.object({ found: z.boolean() })), access: 'frame' },
  applyAlt: { input: frameInputs.applyAlt, output: orChanged(ApplyResultSchema), access: 'frame' },
  undoAlt: { input: frameInputs.undoAlt, output: orChanged(z.object({ restored: z.number().int().nonnegative() })), access: 'frame' },
  imageAt: { input: frameInputs.imageAt, output: orChanged(z.object({ id: z.string().nullable() })), access: 'frame' },
  readBlob: { input: frameInputs.readBlob, output: orChanged(z.object({ dataUrl: z.string() })), access: 'frame' },

  // Answered by the background worker.
  getPageSummary: { input: TabRequestSchema, output: PageSummarySchema, access: 'extension' },
  getRanking: { input: GetRankingInputSchema, output: RankingSchema, access: 'extension' },
  refreshCatalog: { input: none, output: RankingSchema, access: 'extension' },
  startJob: { input: StartJobSchema, output: JobSchema, access: 'extension' },
  getJob: { input: z.union([z.object({ id: z.string() }).strict(), TabRequestSchema]), output: JobSchema.nullable(), access: 'extension' },
  cancelJob: { input: z.object({ id: z.string() }).strict(), output: JobSchema, access: 'extension' },
  /** `regenerate`: describe again even when a cached caption exists (a paid call that replaces the cached one). */
  retryItem: { input: z.object({ jobId: z.string(), itemId: z.string(), regenerate: z.boolean().optional() }).strict(), output: JobSchema, access: 'extension' },
  checkKey: { input: none, output: KeyCheckSchema, access: 'extension' },
  /** OpenRouter's OAuth PKCE sign-in; stores the key it gets and answers like checkKey. */
  connectOpenRouter: { input: none, output: KeyCheckSchema, access: 'extension' },
  /**
   * Writes descriptions into the documents their ids name. Items whose document is gone change
   * nothing, are skipped with the reason, and set `pageChanged`. Same fields as the frame's applyAlt.
   */
  applyToTab: {
    input: v.strictObject({
      tabId: v.pipe(v.number(), v.integer(), v.minValue(0)),
      items: v.pipe(v.array(v.strictObject({ id: v.pipe(v.string(), v.check(isFindingId, ID_EXAMPLE)), ...ApplyFields })), v.maxLength(10_000)),
    }),
    output: ApplyResultSchema,
    access: 'extension',
  },
  /** Puts back what was applied to `ids` (the ids applied), in the documents they name; `pageChanged` when one is gone. */
  undoTab: { input: z.object({ tabId, ids: FindingIdsSchema }).strict(), output: UndoResultSchema, access: 'extension' },
  /** `page`: the summary's token of the scanned top document; turning highlights on in another document answers `pageChanged`. */
  highlightTab: { input: z.object({ tabId, on: z.boolean(), page: z.string().optional() }).strict(), output: HighlightResultSchema, access: 'extension' },
  /** Scrolls one finding into view in its frame and flashes its highlight. */
  revealInTab: { input: z.object({ tabId, id: FindingIdSchema }).strict(), output: RevealResultSchema, access: 'extension' },
  /** Selector, context and rendered size for findings, asked of the documents they name; those gone are left out. */
  getFindingDetails: { input: z.object({ tabId, ids: FindingIdsSchema }).strict(), output: z.object({ details: z.array(FindingDetailsSchema), pageChanged: z.boolean().optional() }), access: 'extension' },
  /** Records what the user's reviews and comparisons said about a model, or clears it (lib/background/evidence.ts: the worker is the only writer). */
  updateEvidence: { input: EvidenceChangeSchema, output: EvidenceChangeResultSchema, access: 'extension' },

  // A CMS editing screen (lib/background/cms.ts, lib/cms/messages.ts): ids name the CMS script's document.
  /** Which editor the tab shows (WordPress's four places, or a generic image form) and its images' alt fields, missing alt first. */
  cmsInspect: { input: TabRequestSchema, output: CmsInspectionSchema, access: 'extension' },
  /** Writes reviewed text into the editor's own fields; a field with alt text only when `overwrite`. Per field: saved, or waiting for the editor's save. */
  cmsFill: { input: CmsFillInputSchema, output: CmsFillResultSchema, access: 'extension' },
  /** "Save for me": the editor's own save (the block editor's savePost, the attachment page's Update). */
  cmsSave: { input: CmsSaveInputSchema, output: CmsSaveResultSchema, access: 'extension' },
  /** Puts filled fields back; says which had already been saved. */
  cmsUndo: { input: CmsUndoInputSchema, output: CmsUndoResultSchema, access: 'extension' },
  /** "Describe the media library": the next images without alt text, listed through the page's own logged-in REST access. */
  cmsLibrary: { input: CmsLibraryInputSchema, output: CmsLibraryResultSchema, access: 'extension' },
} as const satisfies Record<string, MessageSpec>;

/** The Standard Schema interface (standardschema.dev) that zod and valibot both implement. */
export interface Schema<In = unknown, Out = In> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Out> | Promise<StandardResult<Out>>;
    readonly types?: { readonly input: In; readonly output: Out } | undefined;
  };
}
type StandardResult<Out> = { readonly value: Out; readonly issues?: undefined } | { readonly issues: ReadonlyArray<SchemaIssue> };

interface MessageSpec {
  input: Schema;
  output: Schema;
  access: 'frame' | 'extension';
}

export type Protocol = typeof protocol;
export type MessageName = keyof Protocol;
/** Messages the worker answers for extension pages. */
export type WorkerMessage = { [K in MessageName]: Protocol[K]['access'] extends 'extension' ? K : never }[MessageName];
type Types<S extends Schema> = NonNullable<S['~standard']['types']>;
/** What a sender passes (before defaults). */
export type Input<K extends MessageName> = Types<Protocol[K]['input']>['input'];
/** What a handler receives (after defaults). */
export type ParsedInput<K extends MessageName> = Types<Protocol[K]['input']>['output'];
export type Output<K extends MessageName> = Types<Protocol[K]['output']>['output'];

type ProtocolMap = { [K in WorkerMessage]: (data: Input<K>) => Output<K> };

const messenger = defineExtensionMessaging<ProtocolMap>();

export interface Sender {
  url?: string;
  tab?: { id?: number };
  frameId?: number;
  id?: string;
}

/** True when the sender is one of this extension's own pages, never a content script. */
export function isExtensionPage(sender: Sender, extensionOrigin: string): boolean {
  return sender.url != null && sender.url.startsWith(extensionOrigin);
}

export { ProtocolError };

function check<Out>(name: string, side: 'input' | 'output', schema: Schema<unknown, Out>, data: unknown): Out {
  const result = schema['~standard'].validate(data);
  // Every schema in the map is synchronous; a promise here is a mistake in the map.
  if (result instanceof Promise) throw new Error(`Message "${name}" has an asynchronous ${side} schema.`);
  if (result.issues) throw new ProtocolError(name, side, result.issues);
  return result.value;
}

export function parseInput<K extends MessageName>(name: K, data: unknown): ParsedInput<K> {
  return check(name, 'input', protocol[name].input as Schema<unknown, ParsedInput<K>>, data ?? {});
}

export function parseOutput<K extends MessageName>(name: K, data: unknown): Output<K> {
  return check(name, 'output', protocol[name].output as Schema<unknown, Output<K>>, data);
}

export function handle<K extends WorkerMessage>(
  name: K,
  handler: (data: ParsedInput<K>, sender: Sender) => Promise<Output<K>> | Output<K>,
  extensionOrigin = browser.runtime.getURL('/'),
): () => void {
  return messenger.onMessage(name, (async (message: { data: unknown; sender: Sender }) => {
    if (!isExtensionPage(message.sender, extensionOrigin)) {
      throw new Error(`"${name}" can only be sent from AltScout's own pages.`);
    }
    const output = await handler(parseInput(name, message.data), message.sender);
    return parseOutput(name, output);
  }) as never);
}

/** From an extension page to the worker. */
export async function send<K extends WorkerMessage>(name: K, data: Input<K>): Promise<Output<K>> {
  const output = await (messenger.sendMessage as (...args: unknown[]) => Promise<unknown>)(name, data);
  return parseOutput(name, output);
}

export interface FrameTarget {
  tabId: number;
  frameId: number;
}

/** The part of `browser.tabs` sendToFrame uses; tests pass their own. */
export type TabMessenger = (tabId: number, message: FrameRequest, options: { frameId: number }) => Promise<unknown>;
const browserTabs: TabMessenger = (tabId, message, options) => browser.tabs.sendMessage(tabId, message, options);

/**
 * From the worker to one frame's content script: the input is checked here and again there, the
 * answer here. Rejects with the frame's own error message when it refused.
 */
export async function sendToFrame<K extends FrameMessage>(name: K, data: Input<K>, target: FrameTarget, tabs: TabMessenger = browserTabs): Promise<Output<K>> {
  const request: FrameRequest = { type: FRAME_REQUEST, name, data: parseInput(name, data) };
  const reply = (await tabs(target.tabId, request, { frameId: target.frameId })) as FrameReply | undefined;
  if (!reply || typeof reply !== 'object') throw new Error(`Frame ${target.frameId} did not answer "${name}".`);
  if (!reply.ok) throw new Error(reply.error);
  return parseOutput(name, reply.value);
}

export const removeAllListeners = () => messenger.removeAllListeners();
