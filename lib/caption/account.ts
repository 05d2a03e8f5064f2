import { z } from 'zod';
import { isOpenRouter } from './openai';
import { formatUsd } from '../money';

/** Key check and OpenRouter's OAuth PKCE connect (https://openrouter.ai/docs/use-cases/oauth-pkce). */

export const KeyInfoSchema = z.object({
  data: z.object({
    label: z.string().optional(),
    limit: z.number().nullable().optional(),
    usage: z.number().optional(),
    limit_remaining: z.number().nullable().optional(),
    is_free_tier: z.boolean().optional(),
  }).passthrough(),
});

export interface KeyCheck {
  ok: boolean;
  message: string;
  creditUsd: number | null;
}


/** `openRouter`: the server is OpenRouter (see `chooseCaptioner`), which needs a key and reports credit. */
export async function checkKey(apiBase: string, apiKey: string, doFetch: typeof fetch = fetch, openRouter = isOpenRouter(apiBase)): Promise<KeyCheck> {
  const base = apiBase.replace(/\/+$/, '');
  const host = new URL(base).host;
  if (!apiKey && openRouter) return { ok: false, message: 'No API key yet. Connect OpenRouter or paste a key in options.', creditUsd: null };
  let res: Response;
  try {
    res = await doFetch(`${base}/key`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, credentials: 'omit', signal: AbortSignal.timeout(15_000) });
  } catch {
    return { ok: false, message: `AltScout could not reach ${host}. Check your connection and the API base URL.`, creditUsd: null };
  }
  if (res.status === 401 || res.status === 403) {
    return { ok: false, message: `${host} did not accept this key. Connect again or paste a new key.`, creditUsd: null };
  }
  if (res.status === 404 && !openRouter) {
    // Servers such as Ollama have no /key route; a working /models is as good a check as they allow.
    const models = await doFetch(`${base}/models`, { headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {}, credentials: 'omit' }).catch(() => null);
    return models?.ok
      ? { ok: true, message: `Connected to ${host}. This server does not report credit.`, creditUsd: null }
      : { ok: false, message: `${host} did not answer as an OpenAI-compatible server. Check the API base URL.`, creditUsd: null };
  }
  if (!res.ok) return { ok: false, message: `${host} could not check the key (HTTP ${res.status}). Try again later.`, creditUsd: null };
  const parsed = KeyInfoSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return { ok: false, message: `${host} answered the key check in an unexpected form. Check the API base URL.`, creditUsd: null };
  const remaining = parsed.data.data.limit_remaining ?? null;
  if (remaining != null && remaining <= 0) {
    return { ok: false, message: 'The key works but has no credit left. Add credit on OpenRouter, then try again.', creditUsd: remaining };
  }
  return {
    ok: true,
    message: remaining == null ? 'The key works and has no spending limit.' : `The key works; ${formatUsd(remaining)} of credit left.`,
    creditUsd: remaining,
  };
}

const base64url = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

export async function createPkce(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))) {
  const verifier = base64url(random(48));
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  return { verifier, challenge: base64url(digest) };
}

/** OpenRouter's sign-in page lives on the site, next to the API: https://openrouter.ai/auth. */
export function authPageUrl(apiBase: string, callbackUrl: string, challenge: string): string {
  const url = new URL('/auth', new URL(apiBase).origin);
  url.searchParams.set('callback_url', callbackUrl);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  return url.href;
}

export interface ConnectDeps {
  apiBase: string;
  redirectUrl: string;
  launchWebAuthFlow(url: string): Promise<string | undefined>;
  fetch?: typeof fetch;
  random?: (n: number) => Uint8Array;
}

/** Opens OpenRouter's sign-in, trades the returned code for a key, and returns the key (the caller stores it). */
export async function connectWithPkce(deps: ConnectDeps): Promise<string> {
  const { verifier, challenge } = await createPkce(deps.random);
  let redirected: string | undefined;
  try {
    redirected = await deps.launchWebAuthFlow(authPageUrl(deps.apiBase, deps.redirectUrl, challenge));
  } catch (e) {
    throw new Error(`Connecting to OpenRouter was cancelled or failed (${e instanceof Error ? e.message : String(e)}). Try again, or paste a key instead.`);
  }
  const code = redirected ? new URL(redirected).searchParams.get('code') : null;
  if (!code) throw new Error('OpenRouter did not return a sign-in code. Try again, or paste a key instead.');
  const res = await (deps.fetch ?? fetch)(`${deps.apiBase.replace(/\/+$/, '')}/auth/keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, code_verifier: verifier, code_challenge_method: 'S256' }),
    credentials: 'omit',
  }).catch(() => null);
  if (!res) throw new Error('AltScout could not reach OpenRouter to finish connecting. Check your connection and try again.');
  const body = z.object({ key: z.string().min(8) }).safeParse(await res.json().catch(() => null));
  if (!res.ok || !body.success) throw new Error(`OpenRouter did not issue a key (HTTP ${res.status}). Try connecting again, or paste a key instead.`);
  return body.data.key;
}
