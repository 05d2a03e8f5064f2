import { CatalogError, parseCatalog } from './parse';
import type { Catalog } from './schema';

export type FetchLike = (input: string, init?: { signal?: AbortSignal; headers?: Record<string, string> }) => Promise<Response>;

/** The real catalog is about 1 MB; anything far larger is not a model list. */
const MAX_BODY_CHARS = 16 * 1024 * 1024;

export function modelsUrl(apiBase: string): string {
  // output_modalities=all: without it OpenRouter lists text-output models only, and the
  // generation profile needs the image-output ones. Other servers ignore the parameter.
  return `${apiBase.replace(/\/+$/, '')}/models?output_modalities=all`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Fetches and parses a model list. Every failure is a CatalogError with a plain sentence. */
export async function fetchCatalog(
  apiBase: string,
  options: { fetch?: FetchLike; timeoutMs?: number } = {},
): Promise<Catalog> {
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));
  const url = modelsUrl(apiBase);
  const host = hostOf(url);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs ?? 20_000);
  let text: string;
  try {
    const res = await doFetch(url, { signal: controller.signal, headers: { accept: 'application/json' } });
    if (!res.ok) throw new CatalogError(`${host} answered ${res.status} when asked for its models.`);
    text = await res.text();
  } catch (error) {
    if (error instanceof CatalogError) throw error;
    const reason = controller.signal.aborted ? 'it did not answer in time' : 'it could not be reached';
    throw new CatalogError(`Could not load the model list from ${host}: ${reason}.`);
  } finally {
    clearTimeout(timer);
  }
  return parseCatalogText(text, host);
}

export function parseCatalogText(text: string, source: string): Catalog {
  if (text.length > MAX_BODY_CHARS) throw new CatalogError(`The model list from ${source} is too large to be a model list.`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new CatalogError(`The model list from ${source} is not valid JSON.`);
  }
  try {
    return parseCatalog(body);
  } catch (error) {
    throw new CatalogError(`${(error as Error).message.replace(/\.$/, '')} (from ${source}).`);
  }
}
