import * as v from 'valibot';
import { ID_PART } from './finding-id';

/**
 * The messages a frame's content script answers: their inputs, defined once and checked on both
 * sides (the worker before it sends, the content script when it answers). lib/messaging.ts puts
 * them in the one protocol map beside their outputs, which only the worker checks.
 *
 * valibot rather than zod here: this module is bundled into the script injected into every frame,
 * and valibot's per-function imports cost ~6 kB for these schemas where zod/mini costs ~21 kB
 * (tests/bench/scan.bench.ts prints the built script's size).
 *
 * Every message that acts on elements names the document it was meant for (`doc`, the token the
 * scan reported). A frame that has since reloaded or navigated holds another document, with
 * another token, and answers `{ pageChanged: true }` without touching anything.
 */
const token = v.pipe(v.string(), v.regex(ID_PART, 'expected a document token or element id'));
/** An element's id in its document, as the scan handed it out (not the merged id). */
const local = token;
const MAX_IDS = 10_000;
const locals = v.pipe(v.array(local), v.maxLength(MAX_IDS));

/** Longer alt text is not a text alternative any more; the captioner is asked for far less. */
export const MAX_ALT_CHARS = 2000;

/** What applying one description needs besides the element's id; shared with the worker's `applyToTab`. */
export const ApplyFields = {
  text: v.pipe(v.string(), v.maxLength(MAX_ALT_CHARS)),
  /** Replace alt text a person wrote; only when the user chose that item explicitly. */
  overwrite: v.optional(v.boolean(), false),
  /** Recorded on the element as data-altscout-model / data-altscout-time, so editors can tell machine-written alt. */
  model: v.optional(v.pipe(v.string(), v.maxLength(200))),
  generatedAt: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))),
  /** The accepted verdict that the image is decorative: with an empty `text`, an <img> gets alt="". */
  decorative: v.optional(v.boolean()),
  /**
   * The image address the description was written for (the job's `src`; null for an inline svg).
   * When given, the element must still show that image, or the item is skipped.
   */
  src: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100_000)))),
};

export const frameInputs = {
  /** Scans (or rescans what changed in) this frame; answers with the document's token. */
  scanFrame: v.strictObject({}),
  /** Each element's whole job input (kind, status, alt, src, selector, context, rendered size). */
  jobInputs: v.strictObject({ doc: token, ids: locals }),
  /** `doc` is optional: clearing highlights is right in any document. */
  highlight: v.strictObject({ on: v.boolean(), doc: v.optional(token), ids: v.optional(locals) }),
  revealFinding: v.strictObject({ doc: token, id: local }),
  applyAlt: v.strictObject({ doc: token, items: v.pipe(v.array(v.strictObject({ id: local, ...ApplyFields })), v.maxLength(MAX_IDS)) }),
  /** Puts back the elements of `ids` that this document's agent wrote to. */
  undoAlt: v.strictObject({ doc: token, ids: locals }),
  /** The id of the image showing `src` (what the context menu knows of the image clicked), or null. */
  imageAt: v.strictObject({ doc: token, src: v.pipe(v.string(), v.maxLength(100_000)) }),
  /** blob: URLs only resolve inside the page that made them. */
  readBlob: v.strictObject({ doc: token, url: v.pipe(v.string(), v.startsWith('blob:'), v.maxLength(2000)) }),
};

export type FrameMessage = keyof typeof frameInputs;
export type FrameInput<K extends FrameMessage> = v.InferOutput<(typeof frameInputs)[K]>;
export type ApplyItem = FrameInput<'applyAlt'>['items'][number];

/** What a frame answers instead, when the request named a document it no longer holds. */
export interface PageChanged {
  pageChanged: true;
}
export const PAGE_CHANGED: PageChanged = { pageChanged: true };

/**
 * Where a document's agent keeps itself, in the extension's isolated world (never the page's): a
 * second injection finds it there, and the worker's self-contained probes (lib/background/frames.ts,
 * lib/image/page-raster.ts) read it by this name, written out in their source.
 */
export const AGENT_GLOBAL = '__altscoutAgent';

/** The wire format between the worker (tabs.sendMessage to one frame) and a content script. */
export const FRAME_REQUEST = 'altscout-frame';
export interface FrameRequest {
  type: typeof FRAME_REQUEST;
  name: FrameMessage;
  data: unknown;
}
export type FrameReply = { ok: true; value: unknown } | { ok: false; error: string };

/** An issue as Standard Schema reports it (zod and valibot both do): a message and where. */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: unknown }>;
}

/** A message that broke its schema, with the message's name, the side and the first fields at fault. One shape for both sides. */
export class ProtocolError extends Error {
  constructor(name: string, side: 'input' | 'output', issues: ReadonlyArray<SchemaIssue>) {
    const detail = issues
      .slice(0, 3)
      .map((i) => `${(i.path ?? []).map((p) => String(typeof p === 'object' && p !== null ? p.key : p)).join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    super(`Message "${name}" had an invalid ${side}: ${detail}`);
    this.name = 'ProtocolError';
  }
}

export function parseFrameInput<K extends FrameMessage>(name: K, data: unknown): FrameInput<K> {
  const schema = frameInputs[name] as v.GenericSchema;
  if (!schema) throw new Error(`"${String(name)}" is not a message frames answer.`);
  const result = v.safeParse(schema, data ?? {});
  if (!result.success) throw new ProtocolError(name, 'input', result.issues);
  return result.output as FrameInput<K>;
}

export type FrameHandlers = { [K in FrameMessage]: (data: FrameInput<K>) => unknown };

/**
 * The content script's side: answers each checked request with its handler, and refuses (as
 * `PAGE_CHANGED`, touching nothing) any request that names another document than `doc`.
 * Returns the answer to send back; never throws.
 */
export async function answerFrameRequest(doc: string, handlers: FrameHandlers, request: FrameRequest): Promise<FrameReply> {
  try {
    const data = parseFrameInput(request.name, request.data);
    if ('doc' in data && data.doc !== undefined && data.doc !== doc) return { ok: true, value: PAGE_CHANGED };
    const value = await (handlers[request.name] as (d: unknown) => unknown)(data);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

export function isFrameRequest(message: unknown): message is FrameRequest {
  return typeof message === 'object' && message !== null && (message as FrameRequest).type === FRAME_REQUEST && typeof (message as FrameRequest).name === 'string' && Object.hasOwn(frameInputs, (message as FrameRequest).name);
}
