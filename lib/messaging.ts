import { defineExtensionMessaging, type SendMessageOptions } from '@webext-core/messaging';
import { browser } from 'wxt/browser';
import { z } from 'zod';
import { PageSummarySchema, FrameScanSchema, TabRequestSchema } from './page/schema';

/**
 * The one protocol map. Every message names a zod schema for what it takes and what it
 * returns; `handle` parses both sides so a malformed payload fails with a readable error at the
 * boundary instead of deep inside a handler.
 *
 * `access: 'extension'` marks messages that only extension pages (popup, options, report) may
 * send; a content script (or a page that compromised one) is refused. Anything touching the API
 * key or settings that hold it must be 'extension'.
 */
export const protocol = {
  // Answered by the content script in each frame.
  scanFrame: { input: z.object({}).strict(), output: FrameScanSchema, access: 'any' },
  // Answered by the background worker.
  getPageSummary: { input: TabRequestSchema, output: PageSummarySchema, access: 'extension' },
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
