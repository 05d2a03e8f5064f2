import { z } from 'zod';

/** Why a job stopped or paused, as the popup shows it: a stable code, a plain sentence, the next step. */
export const JobErrorSchema = z.object({
  /** bad-key, no-credit, rate-limited, model-gone, budget, network, ... */
  code: z.string(),
  /** A plain sentence with the next step. */
  message: z.string(),
  action: z.enum(['open-options', 'top-up', 'pick-model', 'retry', 'raise-budget']).optional(),
});
export type JobError = z.infer<typeof JobErrorSchema>;

/**
 * What a failed model call means for the job:
 * - fatal: every other image would fail the same way (bad key, no credit, model gone): stop the job.
 * - retry: transient (rate limit, 5xx, timeout, network): try again after a wait.
 * - item: this image only (moderation, a refusal): fail the item, go on with the rest.
 */
export type Scope = 'fatal' | 'retry' | 'item';

export type ProviderErrorCode =
  | 'bad-key' | 'no-key' | 'no-credit' | 'model-gone' | 'on-device-unavailable' | 'flagged' | 'too-large'
  | 'rate-limited' | 'provider-error' | 'bad-request' | 'timeout' | 'network' | 'bad-response'
  | 'not-chat-completion' | 'bad-api-base' | 'settings-changed' | 'unusable-answer' | 'on-device-error';

/**
 * A failed call as facts, never as text: what went wrong, who answered, with which status, and how
 * long they asked to wait. Sentences for people are rendered from these by `providerMessage`, so
 * the job runner decides what to say next (waiting, gave up, paused) without editing text.
 */
export interface ProviderFailure {
  code: ProviderErrorCode;
  /** HTTP status of the answer; null when none came (network, timeout, on-device, a check before the call). */
  status: number | null;
  /** How long the server asked to wait (Retry-After), in ms. */
  retryAfterMs: number | null;
  /** Who answered, as people name it: "OpenRouter", "The server at localhost:11434", "The built-in model". */
  who: string;
  /** The host the call went to (or would have gone to); '' for the built-in model. */
  host: string;
  /** The provider's own words or our reason, capped; '' when there are none. */
  detail: string;
  modelId?: string;
  /** Wording for OpenRouter accounts (its top-up page). */
  openRouter?: boolean;
}

/** What happens next, which changes the sentence's ending (retryable failures only). */
export type Situation =
  | { kind: 'now' }
  | { kind: 'gave-up'; attempts: number }
  | { kind: 'paused'; waitMs: number };

export const TOP_UP_URL = 'https://openrouter.ai/settings/credits';

const SCOPES: Record<ProviderErrorCode, Scope> = {
  'bad-key': 'fatal', 'no-key': 'fatal', 'no-credit': 'fatal', 'model-gone': 'fatal', 'on-device-unavailable': 'fatal',
  'bad-api-base': 'fatal', 'settings-changed': 'fatal',
  flagged: 'item', 'too-large': 'item', 'bad-request': 'item', 'not-chat-completion': 'item', 'unusable-answer': 'item', 'on-device-error': 'item',
  'rate-limited': 'retry', 'provider-error': 'retry', timeout: 'retry', network: 'retry', 'bad-response': 'retry',
};

const ACTIONS: Partial<Record<ProviderErrorCode, JobError['action']>> = {
  'bad-key': 'open-options', 'no-key': 'open-options', 'bad-api-base': 'open-options', 'not-chat-completion': 'open-options',
  'no-credit': 'top-up', 'model-gone': 'pick-model', 'on-device-unavailable': 'pick-model',
  'rate-limited': 'retry', 'provider-error': 'retry', timeout: 'retry', network: 'retry', 'bad-response': 'retry',
  'on-device-error': 'retry', 'settings-changed': 'retry',
};

const httpPart = (f: ProviderFailure) => `HTTP ${f.status}${f.detail ? `: ${f.detail}` : ''}`;

/** The fact, in one sentence without a next step; used where the ending depends on the situation. */
function fact(f: ProviderFailure): string {
  switch (f.code) {
    case 'rate-limited': return `${f.who} is limiting requests`;
    case 'provider-error': return `${f.who} had a problem (${httpPart(f)})`;
    case 'timeout': return `The model at ${f.host} took too long to answer`;
    case 'network': return `AltScout could not reach ${f.host}`;
    case 'bad-response': return `The answer from ${f.host} was cut off or not JSON`;
    default: return `${f.who} failed (${httpPart(f)})`;
  }
}

/** The sentence people read for a failure, in the situation the job is in. */
export function providerMessage(f: ProviderFailure, situation: Situation = { kind: 'now' }): string {
  if (SCOPES[f.code] === 'retry') {
    if (situation.kind === 'gave-up') return `${fact(f)}. Gave up after ${situation.attempts} tries; retry this image later.`;
    if (situation.kind === 'paused') {
      const minutes = Math.ceil(situation.waitMs / 60_000);
      return f.code === 'rate-limited'
        ? `${fact(f)} for ${minutes} minutes. Generate again later; finished descriptions are kept.`
        : `${fact(f)} and asked AltScout to wait ${minutes} minutes. Generate again later; finished descriptions are kept.`;
    }
  }
  switch (f.code) {
    case 'bad-key': return `${f.who} did not accept the API key. Open AltScout's options to connect again or paste a new key.`;
    case 'no-key': return `No ${f.who} key is set. Open AltScout's options to connect OpenRouter or paste a key.`;
    case 'no-credit':
      return f.openRouter
        ? `Your OpenRouter credit has run out. Add credit at ${TOP_UP_URL}, then generate again; finished descriptions are kept.`
        : `${f.who} says the account has no credit left. Top up, then generate again; finished descriptions are kept.`;
    case 'model-gone': return `The model ${f.modelId ?? ''} is no longer available. Pick the next model in its tier and generate again.`;
    case 'on-device-unavailable': return f.detail || 'This browser has no built-in model. Pick an OpenRouter model.';
    case 'flagged': return `The provider's moderation refused this image${f.detail ? ` (${f.detail})` : ''}. Write this one by hand or try another model.`;
    case 'too-large': return 'The model refused the image as too large. Write this one by hand or try another model.';
    case 'bad-request': return `${f.who} rejected the request (${httpPart(f)}). Try another model, or report this if it keeps happening.`;
    case 'not-chat-completion': return `The answer from ${f.host} was not a chat completion. Check the API base URL in options.`;
    case 'bad-api-base': return `The API base URL ${f.host} is not allowed: ${f.detail} Fix it in AltScout's options.`;
    case 'settings-changed':
      return `The API base URL changed since this job started (${f.detail}), so AltScout stopped without sending your key to it. Generate again to use the new setting; finished descriptions are kept.`;
    case 'unusable-answer': return f.detail;
    case 'on-device-error': return `The built-in model could not describe this image (${f.detail}). Try again or pick an OpenRouter model.`;
    case 'rate-limited': {
      const seconds = f.retryAfterMs == null ? null : Math.ceil(f.retryAfterMs / 1000);
      return `${fact(f)}; ${seconds != null ? `waiting ${seconds} s` : 'waiting'} before trying again.`;
    }
    case 'provider-error': return `${fact(f)}. AltScout tried again; retry later or pick another model.`;
    case 'timeout': return `${fact(f)}. AltScout tried again; retry later or pick a faster model.`;
    case 'network': return `${fact(f)}. Check your connection, then retry.`;
    case 'bad-response': return `${fact(f)}. AltScout tried again; retry later.`;
  }
}

export class ProviderError extends Error {
  readonly scope: Scope;
  constructor(readonly failure: ProviderFailure) {
    super(providerMessage(failure));
    this.name = 'ProviderError';
    this.scope = SCOPES[failure.code];
  }

  get status(): number | null { return this.failure.status; }
  get retryAfterMs(): number | null { return this.failure.retryAfterMs; }

  /** As a job or item shows it, in the given situation. */
  jobError(situation: Situation = { kind: 'now' }): JobError {
    const action = ACTIONS[this.failure.code];
    return { code: this.failure.code, message: providerMessage(this.failure, situation), ...(action ? { action } : {}) };
  }

  get error(): JobError { return this.jobError(); }
}

/** A failure with nothing but a code and who answered filled in; the rest defaults to none. */
export function providerError(code: ProviderErrorCode, fields: Partial<Omit<ProviderFailure, 'code'>> = {}): ProviderError {
  return new ProviderError({ code, status: null, retryAfterMs: null, who: '', host: '', detail: '', ...fields });
}

export const OpenRouterErrorBodySchema = z.object({
  error: z.object({
    code: z.union([z.number(), z.string()]).optional(),
    message: z.string().default(''),
    metadata: z.unknown().optional(),
  }),
});

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

/** Who answered, as people name it. */
export const whoAnswered = (ctx: { host: string; openRouter: boolean }) => (ctx.openRouter ? 'OpenRouter' : `The server at ${ctx.host}`);

/** Maps an HTTP error (OpenRouter's `{error:{code,message}}` body, or any other server's) to a failure with its facts. */
export function mapHttpError(status: number, body: unknown, headers: Headers, ctx: { host: string; modelId: string; openRouter: boolean }): ProviderError {
  const parsed = OpenRouterErrorBodySchema.safeParse(body);
  const detail = parsed.success ? parsed.data.error.message.slice(0, 200) : '';
  const base = { status, who: whoAnswered(ctx), host: ctx.host, detail, modelId: ctx.modelId, openRouter: ctx.openRouter, retryAfterMs: null };
  if (status === 401) return new ProviderError({ ...base, code: 'bad-key' });
  if (status === 402) return new ProviderError({ ...base, code: 'no-credit' });
  if (status === 404 || ((status === 400 || status === 422) && MODEL_GONE.test(detail))) return new ProviderError({ ...base, code: 'model-gone' });
  if (status === 403) return new ProviderError({ ...base, code: 'flagged' });
  if (status === 413) return new ProviderError({ ...base, code: 'too-large' });
  if (status === 408 || status === 429) return new ProviderError({ ...base, code: 'rate-limited', retryAfterMs: parseRetryAfter(headers) });
  if (status >= 500) return new ProviderError({ ...base, code: 'provider-error', retryAfterMs: parseRetryAfter(headers) });
  return new ProviderError({ ...base, code: 'bad-request' });
}

export function networkError(host: string, timedOut: boolean): ProviderError {
  return providerError(timedOut ? 'timeout' : 'network', { host, who: `The server at ${host}` });
}
