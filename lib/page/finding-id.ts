/**
 * A finding's id across the whole tab: `"<frameId>:<doc>:<local>"`.
 *
 * - `frameId`: the browser's id of the frame (0 is the top frame).
 * - `doc`: a short random token the content script makes once per document, so an id names the
 *   document that was scanned; a frame that reloads or navigates gets a new token, and every id
 *   from before names a document that is gone.
 * - `local`: the element's id in that document (lib/scan/registry.ts).
 *
 * Everything else treats ids as opaque strings and calls these two functions for a part.
 */
export interface FindingIdParts {
  frameId: number;
  doc: string;
  local: string;
}

/** What a document token or a local id may hold: no separator, nothing a page could smuggle in. */
export const ID_PART = /^[A-Za-z0-9_-]{1,64}$/;
const PART = ID_PART;
const ID = /^(0|[1-9]\d{0,9}):([A-Za-z0-9_-]{1,64}):([A-Za-z0-9_-]{1,64})$/;

export function findingId(frameId: number, doc: string, local: string): string {
  if (!Number.isSafeInteger(frameId) || frameId < 0) throw new RangeError(`Not a frame id: ${frameId}`);
  if (!PART.test(doc)) throw new RangeError(`Not a document token: "${doc}"`);
  if (!PART.test(local)) throw new RangeError(`Not a local element id: "${local}"`);
  return `${frameId}:${doc}:${local}`;
}

/** The parts of a merged id, or null when `id` is not one. */
export function parseFindingId(id: string): FindingIdParts | null {
  const match = ID.exec(id);
  if (!match) return null;
  const frameId = Number(match[1]);
  return Number.isSafeInteger(frameId) ? { frameId, doc: match[2], local: match[3] } : null;
}

export const isFindingId = (id: string): boolean => parseFindingId(id) !== null;

/** Whether `token` can be a document token (the content script makes them; the worker checks them). */
export const isDocToken = (token: string): boolean => PART.test(token);

/**
 * Merged ids grouped by the document they name (frame and token), in first-seen order, each with
 * the local ids of its elements and the merged ids as given. Ids that are not merged ids are
 * returned apart, so a caller can say so instead of guessing a frame.
 */
export interface DocGroup {
  frameId: number;
  doc: string;
  locals: string[];
  ids: string[];
}

export function groupByDocument(ids: Iterable<string>): { groups: DocGroup[]; invalid: string[] } {
  const groups = new Map<string, DocGroup>();
  const invalid: string[] = [];
  for (const id of ids) {
    const parts = parseFindingId(id);
    if (!parts) {
      invalid.push(id);
      continue;
    }
    const key = `${parts.frameId}:${parts.doc}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { frameId: parts.frameId, doc: parts.doc, locals: [], ids: [] }));
    group.locals.push(parts.local);
    group.ids.push(id);
  }
  return { groups: [...groups.values()], invalid };
}
