import { defineExtensionMessaging } from '@webext-core/messaging';
import type { z } from 'zod';
import type { Input, Output, Protocol } from '../messaging';
import type { ApplyItem } from './schema';

/**
 * The content script's side of the protocol. It runs in every frame of every page, so it does not
 * carry zod and the whole protocol map (~110 kB): these hand-written checks validate the seven
 * messages it answers, with the same limits as the zod schemas in lib/messaging.ts (a unit test
 * holds the two to the same verdicts). Replies are still parsed with zod by `send` in the worker.
 */
export type ContentMessage = 'scanFrame' | 'findingDetails' | 'highlight' | 'revealFinding' | 'applyAlt' | 'undoAlt' | 'readBlob';
/** What a handler receives: the input after defaults, as zod's parse would give it. */
type Parsed<K extends ContentMessage> = z.output<Protocol[K]['input']>;

export class MessageError extends Error {
  constructor(name: string, detail: string) {
    super(`Message "${name}" had an invalid input: ${detail}`);
    this.name = 'MessageError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function object(name: string, data: unknown, keys: string[]): Obj {
  const value = data ?? {};
  if (!isObj(value)) throw new MessageError(name, 'expected an object');
  const extra = Object.keys(value).filter((k) => !keys.includes(k));
  if (extra.length) throw new MessageError(name, `unexpected key "${extra[0]}"`);
  return value;
}

function string(name: string, path: string, v: unknown, max = Infinity): string {
  if (typeof v !== 'string') throw new MessageError(name, `${path}: expected a string`);
  if (v.length > max) throw new MessageError(name, `${path}: longer than ${max} characters`);
  return v;
}

function stringArray(name: string, v: unknown): string[] {
  if (!Array.isArray(v)) throw new MessageError(name, 'ids: expected an array');
  return v.map((id, i) => string(name, `ids.${i}`, id));
}

function applyItem(v: unknown, i: number): ApplyItem {
  const path = `items.${i}`;
  if (!isObj(v)) throw new MessageError('applyAlt', `${path}: expected an object`);
  const item: ApplyItem = { id: string('applyAlt', `${path}.id`, v.id), text: string('applyAlt', `${path}.text`, v.text, 2000), overwrite: false };
  for (const flag of ['overwrite', 'decorative'] as const) {
    if (v[flag] === undefined) continue;
    if (typeof v[flag] !== 'boolean') throw new MessageError('applyAlt', `${path}.${flag}: expected a boolean`);
    item[flag] = v[flag];
  }
  if (v.model !== undefined) item.model = string('applyAlt', `${path}.model`, v.model, 200);
  if (v.generatedAt !== undefined) {
    if (!Number.isInteger(v.generatedAt) || (v.generatedAt as number) < 0) throw new MessageError('applyAlt', `${path}.generatedAt: expected a non-negative integer`);
    item.generatedAt = v.generatedAt as number;
  }
  return item;
}

export const parseContentInput: { [K in ContentMessage]: (data: unknown) => Parsed<K> } = {
  scanFrame: (data) => (object('scanFrame', data, []), {}),
  undoAlt: (data) => (object('undoAlt', data, []), {}),
  findingDetails: (data) => {
    const v = object('findingDetails', data, ['ids']);
    return { ids: stringArray('findingDetails', v.ids) };
  },
  highlight: (data) => {
    const v = object('highlight', data, ['on', 'ids']);
    if (typeof v.on !== 'boolean') throw new MessageError('highlight', 'on: expected a boolean');
    if (v.ids === undefined) return { on: v.on };
    return { on: v.on, ids: stringArray('highlight', v.ids) };
  },
  revealFinding: (data) => ({ id: string('revealFinding', 'id', object('revealFinding', data, ['id']).id) }),
  applyAlt: (data) => {
    const v = object('applyAlt', data, ['items']);
    if (!Array.isArray(v.items)) throw new MessageError('applyAlt', 'items: expected an array');
    return { items: v.items.map(applyItem) };
  },
  readBlob: (data) => {
    const url = string('readBlob', 'url', object('readBlob', data, ['url']).url);
    if (!url.startsWith('blob:')) throw new MessageError('readBlob', 'url: expected a blob: URL');
    return { url };
  },
};

type ContentProtocol = { [K in ContentMessage]: (data: Input<K>) => Output<K> };
const messenger = defineExtensionMessaging<ContentProtocol>();

/** Like `handle` in lib/messaging.ts, for the content script: checks the input, then answers. */
export function onContentMessage<K extends ContentMessage>(name: K, handler: (data: Parsed<K>) => Output<K> | Promise<Output<K>>): () => void {
  return messenger.onMessage(name, ((message: { data: unknown }) => handler(parseContentInput[name](message.data) as Parsed<K>)) as never);
}
