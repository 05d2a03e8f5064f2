import { defineExtensionMessaging, type SendMessageOptions } from '@webext-core/messaging';
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { ApplyItemSchema, ApplyResultSchema, FrameScanSchema, PageSummarySchema, TabRequestSchema } from './page/schema';
import { GetRankingInputSchema, RankingSchema } from './ranking/schema';
import { JobSchema, StartJobSchema } from './jobs/schema';
import { FindingDetailsSchema } from './scan/schema';

/**
 * The one protocol map. Every message names a zod schema for what it takes and what it
 * returns; `handle` parses both sides so a malformed payload fails with a readable error at the
 * boundary instead of deep inside a handler.
 *
 * `access: 'extension'` marks messages that only extension pages (popup, options, report) may
 * send; a content script (or a page that compromised one) is refused. Anything touching the API
 * key or settings that hold it must be 'extension'.
 */
const none = z.object({}).strict();
const KeyCheckSchema = z.object({ ok: z.boolean(), message: z.string(), creditUsd: z.number().nullable() });
/** Contract 5: the document the ids or the scan were bound to is gone; nothing was changed. */
const pageChanged = { pageChanged: z.literal(true).optional() };

export const protocol = {
  // Answered by the content script in each frame (sent to a tab and frame by the background).
  scanFrame: { input: none, output: FrameScanSchema, access: 'any' },
  highlight: { input: z.object({ on: z.boolean(), ids: z.array(z.string()).optional() }).strict(), output: z.object({ shown: z.number().int() }), access: 'any' },
  revealFinding: { input: z.object({ id: z.string() }).strict(), output: z.object({ found: z.boolean() }), access: 'any' },
  /** The captioner's context and rendered size for the findings about to be described (the scan leaves them out). */
  findingDetails: { input: z.object({ ids: z.array(z.string()) }).strict(), output: z.object({ details: z.array(FindingDetailsSchema) }), access: 'any' },
  applyAlt: { input: z.object({ items: z.array(ApplyItemSchema) }).strict(), output: ApplyResultSchema, access: 'any' },
  undoAlt: { input: none, output: z.object({ restored: z.number().int() }), access: 'any' },
  /** blob: URLs only resolve inside the page that made them. */
  readBlob: { input: z.object({ url: z.string().startsWith('blob:') }).strict(), output: z.object({ dataUrl: z.string() }), access: 'any' },

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
  applyToTab: { input: z.object({ tabId: z.number().int(), items: z.array(ApplyItemSchema.extend({ frameId: z.number().int().nonnegative() })) }).strict(), output: ApplyResultSchema.extend(pageChanged), access: 'extension' },
  undoTab: { input: TabRequestSchema, output: z.object({ restored: z.number().int(), ...pageChanged }), access: 'extension' },
  highlightTab: { input: z.object({ tabId: z.number().int(), on: z.boolean() }).strict(), output: z.object({ shown: z.number().int(), ...pageChanged }), access: 'extension' },
  /** Scrolls one finding ("<frameId>:<id>", as merged) into view in its frame and flashes its highlight. */
  revealInTab: { input: z.object({ tabId: z.number().int().nonnegative(), id: z.string().regex(/^\d+:./, 'expected a merged finding id such as "0:e3"') }).strict(), output: z.object({ found: z.boolean(), ...pageChanged }), access: 'extension' },
  /** findingDetails for merged ids ("<frameId>:<id>"), asked of each frame holding one; findings whose frame is gone are left out. */
  getFindingDetails: { input: z.object({ tabId: z.number().int().nonnegative(), ids: z.array(z.string().regex(/^\d+:./, 'expected a merged finding id such as "0:e3"')) }).strict(), output: z.object({ details: z.array(FindingDetailsSchema) }), access: 'extension' },
} as const satisfies Record<string, MessageSpec>;

interface MessageSpec {
  input: z.ZodType;
  output: z.ZodType;
  access: 'any' | 'extension';
}

export type Protocol = typeof protocol;
export type MessageName = keyof Protocol;
export type Input<K extends MessageName> = z.input<Protocol[K]['input']>;
export type Output<K extends MessageName> = z.output<Protocol[K]['output']>;

type ProtocolMap = { [K in MessageName]: (data: Input<K>) => Output<K> };

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

export class ProtocolError extends Error {
  constructor(name: string, side: 'input' | 'output', issues: z.core.$ZodIssue[]) {
    const detail = issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    super(`Message "${name}" had an invalid ${side}: ${detail}`);
    this.name = 'ProtocolError';
  }
}

export function parseInput<K extends MessageName>(name: K, data: unknown): z.output<Protocol[K]['input']> {
  const result = protocol[name].input.safeParse(data ?? {});
  if (!result.success) throw new ProtocolError(name, 'input', result.error.issues);
  return result.data as z.output<Protocol[K]['input']>;
}

export function parseOutput<K extends MessageName>(name: K, data: unknown): Output<K> {
  const result = protocol[name].output.safeParse(data);
  if (!result.success) throw new ProtocolError(name, 'output', result.error.issues);
  return result.data as Output<K>;
}

export function handle<K extends MessageName>(
  name: K,
  handler: (data: z.output<Protocol[K]['input']>, sender: Sender) => Promise<Output<K>> | Output<K>,
  extensionOrigin = browser.runtime.getURL('/'),
): () => void {
  return messenger.onMessage(name, (async (message: { data: unknown; sender: Sender }) => {
    if (protocol[name].access === 'extension' && !isExtensionPage(message.sender, extensionOrigin)) {
      throw new Error(`"${name}" can only be sent from AltScout's own pages.`);
    }
    const output = await handler(parseInput(name, message.data), message.sender);
    return parseOutput(name, output);
  }) as never);
}

export async function send<K extends MessageName>(
  name: K,
  data: Input<K>,
  target?: number | SendMessageOptions,
): Promise<Output<K>> {
  const output = await (messenger.sendMessage as (...args: unknown[]) => Promise<unknown>)(name, data, target);
  return parseOutput(name, output);
}

export const removeAllListeners = () => messenger.removeAllListeners();
