import { z } from 'zod';
import type { JobErrorSchema } from '../jobs/schema';

export type JobError = z.infer<typeof JobErrorSchema>;

/**
 * What a failed model call means for the job:
 * - fatal: every other image would fail the same way (bad key, no credit, model gone): stop the job.
 * - retry: transient (rate limit, 5xx, timeout, network): try again after a wait.
 * - item: this image only (moderation, a refusal): fail the item, go on with the rest.
 */
export type Scope = 'fatal' | 'retry' | 'item';

export class ProviderError extends Error {
  constructor(
    readonly error: JobError,
    readonly scope: Scope,
    readonly status: number | null,
    /** How long the server asked us to wait (Retry-After), in ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(error.message);
    this.name = 'ProviderError';
  }
}

export const OpenRouterErrorBodySchema = z.object({
  error: z.object({
    code: z.union([z.number(), z.string()]).optional(),
    message: z.string().default(''),
    metadata: z.unknown().optional(),
  }),
});

export const TOP_UP_URL = 'https://openrouter.ai/settings/credits';

/** Retry-After is seconds or an HTTP date; OpenRouter may also send X-RateLimit-Reset in epoch ms. */
export function parseRetryAfter(headers: Headers, now = Date.now()): number | null {
  const value = headers.get('retry-after');
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(value);
    if (Number.isFinite(date)) return Math.max(0, date - now);
  }
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > now) return reset - now;
  return null;
}

const MODEL_GONE = /not a valid model|model.*(not found|does not exist|unavailable|deprecated)|no endpoints found|no allowed providers/i;

/** Maps an HTTP error (OpenRouter's `{error:{code,message}}` body, or any other server's) to a plain sentence with the next step. */
export function mapHttpError(status: number, body: unknown, headers: Headers, ctx: { host: string; modelId: string; openRouter: boolean }): ProviderError {
  const parsed = OpenRouterErrorBodySchema.safeParse(body);
  const detail = parsed.success ? parsed.data.error.message.slice(0, 200) : '';
  const who = ctx.openRouter ? 'OpenRouter' : `The server at ${ctx.host}`;
  if (status === 401) {
    return new ProviderError({ code: 'bad-key', message: `${who} did not accept the API key. Open AltScout's options to connect again or paste a new key.`, action: 'open-options' }, 'fatal', status);
  }
  if (status === 402) {
    return new ProviderError({
      code: 'no-credit',
      message: ctx.openRouter
        ? `Your OpenRouter credit has run out. Add credit at ${TOP_UP_URL}, then generate again; finished descriptions are kept.`
        : `${who} says the account has no credit left. Top up, then generate again; finished descriptions are kept.`,
      action: 'top-up',
    }, 'fatal', status);
  }
  if (status === 404 || ((status === 400 || status === 422) && MODEL_GONE.test(detail))) {
    return new ProviderError({ code: 'model-gone', message: `The model ${ctx.modelId} is no longer available. Pick the next model in its tier and generate again.`, action: 'pick-model' }, 'fatal', status);
  }
  if (status === 403) {
    return new ProviderError({ code: 'flagged', message: `The provider's moderation refused this image${detail ? ` (${detail})` : ''}. Write this one by hand or try another model.` }, 'item', status);
  }
  if (status === 413) {
    return new ProviderError({ code: 'too-large', message: 'The model refused the image as too large. Write this one by hand or try another model.' }, 'item', status);
  }
  if (status === 408 || status === 429) {
    const wait = parseRetryAfter(headers);
    const seconds = wait == null ? null : Math.ceil(wait / 1000);
    return new ProviderError({
      code: 'rate-limited',
      message: `${who} is limiting requests${seconds != null ? `; waiting ${seconds} s before trying again` : '; waiting before trying again'}.`,
      action: 'retry',
    }, 'retry', status, wait);
  }
  if (status >= 500) {
    return new ProviderError({ code: 'provider-error', message: `${who} had a problem (HTTP ${status}${detail ? `: ${detail}` : ''}). AltScout tried again; retry later or pick another model.`, action: 'retry' }, 'retry', status, parseRetryAfter(headers));
  }
  return new ProviderError({ code: 'bad-request', message: `${who} rejected the request (HTTP ${status}${detail ? `: ${detail}` : ''}). Try another model, or report this if it keeps happening.` }, 'item', status);
}

export function networkError(host: string, timedOut: boolean): ProviderError {
  return new ProviderError({
    code: timedOut ? 'timeout' : 'network',
    message: timedOut
      ? `The model at ${host} took too long to answer. AltScout tried again; retry later or pick a faster model.`
      : `AltScout could not reach ${host}. Check your connection, then retry.`,
    action: 'retry',
  }, 'retry', null);
}
