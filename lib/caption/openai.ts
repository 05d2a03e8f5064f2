import { z } from 'zod';
import { mapHttpError, networkError, providerError, whoAnswered } from './errors';
import type { Prompt } from './prompt';
import { checkApiBase } from '../settings/schema';

/** Sent with every OpenRouter call so the app is attributed (https://openrouter.ai/docs/app-attribution). */
export const APP_URL = 'https://altscout.dev';
export const APP_TITLE = 'AltScout';
export const REQUEST_TIMEOUT_MS = 60_000;

export interface CaptionRequest {
  apiBase: string;
  apiKey: string;
  modelId: string;
  prompt: Prompt;
  imageDataUrl: string;
  detailed?: boolean;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
  /** Word errors as OpenRouter's (top-up link); defaults to whether the base is openrouter.ai. */
  openRouter?: boolean;
}

export interface CaptionResponse {
  text: string;
  /** usage.cost as charged (OpenRouter); null when the server does not report it. */
  costUsd: number | null;
  promptTokens: number | null;
  completionTokens: number | null;
  latencyMs: number;
}

const ContentSchema = z.union([
  z.string(),
  z.null(),
  z.array(z.object({ type: z.string(), text: z.string().optional() }).passthrough()),
]);

export const ChatResponseSchema = z.object({
  choices: z.array(z.object({
    message: z.object({ content: ContentSchema.optional(), refusal: z.string().nullable().optional() }).passthrough(),
    finish_reason: z.string().nullable().optional(),
  }).passthrough()).min(1),
  usage: z.object({
    prompt_tokens: z.number().optional(),
    completion_tokens: z.number().optional(),
    cost: z.number().nonnegative().optional(),
  }).passthrough().optional(),
}).passthrough();

/** OpenRouter itself: the host is exactly openrouter.ai (not a look-alike such as evil-openrouter.ai or openrouter.ai.example). */
export const isOpenRouter = (apiBase: string) => {
  try {
    return new URL(apiBase).hostname === 'openrouter.ai';
  } catch {
    return false;
  }
};

export function chatBody(req: Pick<CaptionRequest, 'modelId' | 'prompt' | 'imageDataUrl' | 'detailed' | 'apiBase'>) {
  return {
    model: req.modelId,
    messages: [
      { role: 'system', content: req.prompt.system },
      {
        role: 'user',
        // Text first: providers read the instructions before the image tokens.
        content: [
          { type: 'text', text: req.prompt.text },
          { type: 'image_url', image_url: { url: req.imageDataUrl } },
        ],
      },
    ],
    max_tokens: req.detailed ? 700 : 300,
    temperature: 0.2,
    ...(isOpenRouter(req.apiBase) ? { usage: { include: true } } : {}),
  };
}

/** One captioning call to any OpenAI-compatible chat completions endpoint. */
export async function describeImage(req: CaptionRequest): Promise<CaptionResponse> {
  // The key goes in a header: never to a plain-http host other than this machine.
  const baseProblem = checkApiBase(req.apiBase);
  if (baseProblem) throw providerError('bad-api-base', { host: req.apiBase, detail: baseProblem });
  const doFetch = req.fetch ?? fetch;
  const now = req.now ?? Date.now;
  const url = `${req.apiBase.replace(/\/+$/, '')}/chat/completions`;
  const host = new URL(url).host;
  const ctx = { host, modelId: req.modelId, openRouter: req.openRouter ?? isOpenRouter(req.apiBase) };
  const timeout = AbortSignal.timeout(req.timeoutMs ?? REQUEST_TIMEOUT_MS);
  const signal = req.signal ? AbortSignal.any([req.signal, timeout]) : timeout;
  const started = now();
  let res: Response;
  try {
    res = await doFetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(req.apiKey ? { authorization: `Bearer ${req.apiKey}` } : {}),
        'HTTP-Referer': APP_URL,
        'X-Title': APP_TITLE,
      },
      body: JSON.stringify(chatBody(req)),
      signal,
      // The key is in the header; nothing of the user's browser session goes along.
      credentials: 'omit',
    });
  } catch (e) {
    if (req.signal?.aborted) throw e;
    throw networkError(host, timeout.aborted);
  }
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    if (req.signal?.aborted) throw req.signal.reason;
    if (!res.ok) throw mapHttpError(res.status, null, res.headers, ctx);
    throw providerError('bad-response', { host, who: whoAnswered(ctx), status: res.status });
  }
  // OpenRouter can report an error inside a 200 body when the upstream provider fails late.
  const inlineError = (body as { error?: { code?: unknown } } | null)?.error;
  if (!res.ok || inlineError) {
    const status = !res.ok ? res.status : Number(inlineError?.code) || 502;
    throw mapHttpError(status, body, res.headers, ctx);
  }
  const parsed = ChatResponseSchema.safeParse(body);
  if (!parsed.success) {
    throw providerError('not-chat-completion', { host, who: whoAnswered(ctx), status: res.status });
  }
  const choice = parsed.data.choices[0];
  const content = choice.message.content;
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((p) => p.text ?? '').join('') : (choice.message.refusal ?? '');
  const usage = parsed.data.usage;
  return {
    text,
    costUsd: usage?.cost ?? null,
    promptTokens: usage?.prompt_tokens ?? null,
    completionTokens: usage?.completion_tokens ?? null,
    latencyMs: now() - started,
  };
}
