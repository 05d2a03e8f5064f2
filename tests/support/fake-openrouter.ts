import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { colourName, decodeImage, toHex } from './image-colour';

/**
 * A local stand-in for OpenRouter's API on 127.0.0.1. It checks each request against the
 * documented shape and answers the way OpenRouter does, including its error bodies, so the
 * extension's real network code runs unchanged in tests. Captions depend on the image received
 * (its average colour), so a test can prove every image got its own description.
 */

export const SHARED_CATALOG = resolve('../shared/data/openrouter-models-2026-08-19.json');

export type FailureMode =
  | { kind: 'status'; status: 400 | 401 | 402 | 403 | 500 | 502 | 503; message?: string }
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  | { kind: 'slow'; ms: number }
  | { kind: 'malformed-json' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  /** When the request (headers and body) had arrived. */
  at: number;
  /** When the answer was handed to the network, and its status: a retry's wait is measured from here. */
  answeredAt?: number;
  status?: number;
  /** Set for chat completions that passed validation (the caption only when answered with one). */
  caption?: string;
  image?: { width: number; height: number; bytes: number; format: string; rgb: [number, number, number] };
}

/** `model`: the model asked, so a test can have models answer differently. */
export type Answer = (caption: string, rgb: [number, number, number], model: string) => string;

export interface FakeOpenRouterOptions {
  /** A `{data: Model[]}` catalog; defaults to the shared real snapshot when present. */
  catalog?: { data: Array<Record<string, unknown>> };
  apiKey?: string;
  /** Fixed delay before every chat answer, to measure throughput. */
  latencyMs?: number;
  /** USD charged per completion, reported as usage.cost (a function prices it from the token counts, as OpenRouter does). */
  costPerRequest?: number | ((usage: { model: string; promptTokens: number; completionTokens: number }) => number);
  /** Credit left on the key, reported by GET /key; 402 once it runs out. */
  creditUsd?: number | null;
  /**
   * Turns the colour caption into the model's answer, e.g. `(c) => c + ' v2'` to tell a fresh
   * description from a cached one, or "Decorative." for some colours.
   */
  answer?: Answer;
}

export interface FakeOpenRouter {
  url: string;
  /** Base URL to put in the extension's API base URL setting. */
  apiBase: string;
  requests: RecordedRequest[];
  completions(): RecordedRequest[];
  /** Fail the next `times` chat completions (default: every one until cleared). */
  fail(mode: FailureMode, times?: number): void;
  clearFailures(): void;
  setLatency(ms: number): void;
  /** Changes how later answers are written (null: the plain caption); reset() restores the option's value. */
  setAnswer(answer: Answer | null): void;
  /**
   * Answers the next `n` chat completions, then holds each later one unanswered (in flight) until
   * `release()`: a test can act while a known number of captions are done and the next is pending.
   * A held request whose client went away meanwhile (a stopped worker) is left unanswered.
   */
  holdAfter(n: number): void;
  /** How many chat completions are held now. */
  held(): number;
  release(): void;
  /** Highest number of chat completions in flight at once since the last reset. */
  peakConcurrency(): number;
  reset(): void;
  close(): Promise<void>;
}

function loadCatalog(): { data: Array<Record<string, unknown>> } {
  if (!existsSync(SHARED_CATALOG)) {
    return {
      data: [
        {
          id: 'test/vision-mini',
          name: 'Test: Vision Mini',
          created: 1750000000,
          context_length: 128000,
          architecture: { input_modalities: ['text', 'image'], output_modalities: ['text'] },
          pricing: { prompt: '0.0000001', completion: '0.0000004' },
          supported_parameters: ['max_tokens', 'temperature'],
        },
      ],
    };
  }
  return JSON.parse(readFileSync(SHARED_CATALOG, 'utf8'));
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}, metadata?: unknown) {
  sendJson(res, status, { error: { code: status, message, ...(metadata ? { metadata } : {}) } }, headers);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

interface ChatBody {
  model?: unknown;
  messages?: unknown;
  max_tokens?: unknown;
}

/** Returns a problem sentence, or the decoded image of a well-formed captioning request. */
export function checkChatRequest(body: ChatBody, knownModels: Set<string>):
  | { problem: string }
  | { image: ReturnType<typeof decodeImage> & { bytes: number }; text: string } {
  if (typeof body.model !== 'string' || !body.model) return { problem: 'model is required' };
  if (!knownModels.has(body.model)) return { problem: `${body.model} is not a valid model ID` };
  if (!Array.isArray(body.messages) || body.messages.length === 0) return { problem: 'messages must be a non-empty array' };
  for (const m of body.messages as Array<Record<string, unknown>>) {
    if (!m || typeof m !== 'object' || !['system', 'user', 'assistant', 'developer'].includes(String(m.role))) {
      return { problem: 'each message needs a role of system, user, assistant or developer' };
    }
    if (typeof m.content !== 'string' && !Array.isArray(m.content)) return { problem: 'message content must be a string or an array of parts' };
  }
  const user = (body.messages as Array<{ role: string; content: unknown }>).filter((m) => m.role === 'user').at(-1);
  if (!user || !Array.isArray(user.content)) return { problem: 'the user message must be an array of content parts' };
  const parts = user.content as Array<Record<string, any>>;
  const textIndex = parts.findIndex((p) => p?.type === 'text' && typeof p.text === 'string' && p.text.length > 0);
  const imageIndex = parts.findIndex((p) => p?.type === 'image_url');
  if (textIndex < 0) return { problem: 'the user message needs a text part' };
  if (imageIndex < 0) return { problem: 'the user message needs an image_url part' };
  if (textIndex > imageIndex) return { problem: 'send the text part before the image part' };
  const url = parts[imageIndex].image_url?.url;
  if (typeof url !== 'string') return { problem: 'image_url.url must be a string' };
  const match = /^data:(image\/(png|jpeg|webp|gif));base64,([A-Za-z0-9+/=]+)$/.exec(url);
  if (!match) return { problem: 'image_url.url must be a base64 data URL of a png, jpeg, webp or gif image' };
  const bytes = Buffer.from(match[3], 'base64');
  try {
    const image = decodeImage(bytes);
    if (image.format !== match[2].replace('jpg', 'jpeg')) return { problem: `data URL says ${match[1]} but the bytes are ${image.format}` };
    const text = parts.filter((p) => p?.type === 'text').map((p) => p.text).join('\n');
    return { image: { ...image, bytes: bytes.length }, text };
  } catch (e) {
    return { problem: `image_url does not decode to an image: ${(e as Error).message}` };
  }
}

export async function startFakeOpenRouter(options: FakeOpenRouterOptions = {}): Promise<FakeOpenRouter> {
  const catalog = options.catalog ?? loadCatalog();
  const knownModels = new Set(catalog.data.map((m) => String(m.id)));
  const apiKey = options.apiKey ?? 'sk-or-v1-test';
  let latencyMs = options.latencyMs ?? 0;
  let answer: Answer | null = options.answer ?? null;
  let credit = options.creditUsd === undefined ? 10 : options.creditUsd;
  const pricing = options.costPerRequest ?? 0.00002;
  const priceOf = (model: string, promptTokens: number, completionTokens: number) =>
    typeof pricing === 'function' ? pricing({ model, promptTokens, completionTokens }) : pricing;
  /** OAuth PKCE: code → code_challenge, for POST /auth/keys. */
  const authCodes = new Map<string, string>();
  const requests: RecordedRequest[] = [];
  let failures: Array<{ mode: FailureMode; times: number }> = [];
  let inFlight = 0;
  let peak = 0;
  let answerBeforeHold: number | null = null;
  let held = 0;
  let gate: { open: Promise<void>; release(): void } | null = null;
  const release = () => {
    answerBeforeHold = null;
    gate?.release();
    gate = null;
  };

  const takeFailure = (): FailureMode | null => {
    const next = failures[0];
    if (!next) return null;
    if (Number.isFinite(next.times)) {
      next.times -= 1;
      if (next.times <= 0) failures.shift();
    }
    return next.mode;
  };

  const authorised = (req: IncomingMessage) => req.headers.authorization === `Bearer ${apiKey}`;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname.replace(/\/+$/, '');
    const raw = req.method === 'POST' ? await readBody(req) : '';
    let body: unknown = undefined;
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() };
    requests.push(record);
    res.on('finish', () => {
      record.answeredAt = Date.now();
      record.status = res.statusCode;
    });
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { 'access-control-allow-headers': '*', 'access-control-allow-methods': 'GET,POST' });
      res.end();
      return;
    }

    if (req.method === 'GET' && path === '/api/v1/models') {
      const filter = url.searchParams.get('output_modalities');
      // Like the live API, models that also produce images or audio are listed only on request.
      const data = filter === 'all' ? catalog.data : catalog.data.filter((m: any) => {
        const out: string[] = m.architecture?.output_modalities ?? ['text'];
        return filter ? out.includes(filter) : out.length === 1 && out[0] === 'text';
      });
      sendJson(res, 200, { data });
      return;
    }
    const endpoints = /^\/api\/v1\/models\/(.+)\/endpoints$/.exec(path);
    if (req.method === 'GET' && endpoints) {
      const id = decodeURIComponent(endpoints[1]);
      const model = catalog.data.find((m) => m.id === id);
      if (!model) return sendError(res, 404, `Model ${id} not found`);
      const withKey = authorised(req);
      sendJson(res, 200, {
        data: {
          id, name: model.name,
          endpoints: [{
            name: `Fake | ${id}`, provider_name: 'Fake', status: 0,
            latency_last_30m: withKey ? { p50: 0.8, p75: 1.1, p90: 1.6, p99: 3.0 } : null,
            throughput_last_30m: withKey ? { p50: 90 } : null,
            uptime_last_30m: 99.9,
          }],
        },
      });
      return;
    }
    // OAuth PKCE (https://openrouter.ai/docs/use-cases/oauth-pkce): the sign-in page redirects
    // straight back with a code, as if the user had approved.
    if (req.method === 'GET' && path === '/auth') {
      const callback = url.searchParams.get('callback_url');
      const challenge = url.searchParams.get('code_challenge');
      if (!callback || !challenge || url.searchParams.get('code_challenge_method') !== 'S256') return sendError(res, 400, 'callback_url, code_challenge and code_challenge_method=S256 are required');
      const code = `code-${authCodes.size + 1}`;
      authCodes.set(code, challenge);
      const to = new URL(callback);
      to.searchParams.set('code', code);
      res.writeHead(302, { location: to.href });
      res.end();
      return;
    }
    if (req.method === 'POST' && path === '/api/v1/auth/keys') {
      let input: { code?: string; code_verifier?: string; code_challenge_method?: string } = {};
      try { input = JSON.parse(raw); } catch { return sendError(res, 400, 'Request body is not valid JSON'); }
      record.body = input;
      const challenge = input.code ? authCodes.get(input.code) : undefined;
      const { createHash } = await import('node:crypto');
      const expected = input.code_verifier ? createHash('sha256').update(input.code_verifier).digest('base64url') : '';
      if (!challenge || input.code_challenge_method !== 'S256' || expected !== challenge) return sendError(res, 403, 'Invalid code or code_verifier');
      authCodes.delete(input.code!);
      sendJson(res, 200, { key: apiKey, user_id: 'user-test' });
      return;
    }
    if (req.method === 'GET' && path === '/api/v1/key') {
      if (!authorised(req)) return sendError(res, 401, 'No auth credentials found');
      sendJson(res, 200, {
        data: { label: 'sk-or-v1-tes...', limit: credit == null ? null : 10, usage: credit == null ? 0 : 10 - credit,
          limit_remaining: credit, is_free_tier: false },
      });
      return;
    }
    if (req.method === 'POST' && path === '/api/v1/chat/completions') {
      if (!authorised(req)) return sendError(res, 401, 'No auth credentials found');
      try {
        body = JSON.parse(raw);
        record.body = body;
      } catch {
        return sendError(res, 400, 'Request body is not valid JSON');
      }
      const checked = checkChatRequest(body as ChatBody, knownModels);
      if ('problem' in checked) return sendError(res, 400, checked.problem);
      record.image = { width: checked.image.width, height: checked.image.height, bytes: checked.image.bytes, format: checked.image.format, rgb: checked.image.rgb };
      const failure = takeFailure();
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      try {
        if (answerBeforeHold !== null && answerBeforeHold-- <= 0) {
          if (!gate) {
            let open!: () => void;
            gate = { open: new Promise<void>((ok) => (open = ok)), release: () => open() };
          }
          held += 1;
          await gate.open.finally(() => (held -= 1));
          // The client gave up while it waited (its worker was stopped): nothing reaches it.
          if (res.destroyed || req.socket.destroyed) return;
        }
        const delay = failure?.kind === 'slow' ? failure.ms : latencyMs;
        if (delay > 0) await new Promise((ok) => setTimeout(ok, delay));
        if (failure?.kind === 'status') {
          const messages: Record<number, string> = {
            400: 'Bad request', 401: 'User not found.', 402: 'Insufficient credits. Add more using https://openrouter.ai/credits',
            403: 'Input was flagged by moderation', 500: 'Internal Server Error', 502: 'Provider returned error', 503: 'No available provider',
          };
          return sendError(res, failure.status, failure.message ?? messages[failure.status]);
        }
        if (failure?.kind === 'rate-limit') {
          return sendError(res, 429, 'Rate limit exceeded: free-models-per-min.', { 'retry-after': String(failure.retryAfterSeconds) });
        }
        const promptTokens = Math.ceil(checked.text.length / 4) + 258;
        const charge = priceOf(String((body as ChatBody).model), promptTokens, 12);
        if (credit != null && credit < charge) return sendError(res, 402, 'Insufficient credits. Add more using https://openrouter.ai/credits');
        if (failure?.kind === 'malformed-json') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end('{"id":"gen-broken","choices":[{"message":');
          return;
        }
        const rgb = checked.image.rgb;
        const plain = `A ${colourName(rgb)} swatch (${toHex(rgb)})`;
        const caption = answer ? answer(plain, rgb, String((body as ChatBody).model)) : plain;
        record.caption = caption;
        if (credit != null) credit -= charge;
        sendJson(res, 200, {
          id: `gen-${requests.length}`,
          provider: 'Fake',
          model: (body as ChatBody).model,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          choices: [{ index: 0, finish_reason: 'stop', native_finish_reason: 'stop', message: { role: 'assistant', content: caption } }],
          usage: { prompt_tokens: promptTokens, completion_tokens: 12, total_tokens: promptTokens + 12, cost: charge },
        });
      } finally {
        inFlight -= 1;
      }
      return;
    }
    sendError(res, 404, `No route for ${req.method} ${path}`);
  });

  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  return {
    url: base,
    apiBase: `${base}/api/v1`,
    requests,
    completions: () => requests.filter((r) => r.path === '/api/v1/chat/completions' && r.caption),
    fail(mode, times = Infinity) { failures.push({ mode, times }); },
    clearFailures() { failures = []; },
    setLatency(ms) { latencyMs = ms; },
    setAnswer(next) { answer = next; },
    holdAfter(n) { answerBeforeHold = n; },
    held: () => held,
    release,
    peakConcurrency: () => peak,
    reset() { release(); requests.length = 0; failures = []; peak = 0; answer = options.answer ?? null; credit = options.creditUsd === undefined ? 10 : options.creditUsd; },
    close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
