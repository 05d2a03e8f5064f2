import { z } from 'zod';
import type { FetchLike } from './fetch';

/**
 * OpenRouter's per-provider latency for one model (`GET /models/{id}/endpoints`). Latency is only
 * filled in for requests with a key, so this is the one catalog call that sends it, and only to
 * the API base the user set. p50 is in seconds (OpenRouter's SDK documents 0.25 for 250 ms).
 */
const EndpointsSchema = z.object({
  data: z.object({
    endpoints: z.array(
      z.object({ latency_last_30m: z.object({ p50: z.number().nonnegative().nullable() }).nullish().catch(null) }).passthrough(),
    ),
  }),
});

/** The fastest provider's p50 seconds to first token, or null when OpenRouter has none. */
export async function fetchEndpointLatency(apiBase: string, modelId: string, apiKey: string, doFetch: FetchLike): Promise<number | null> {
  const res = await doFetch(`${apiBase.replace(/\/+$/, '')}/models/${modelId}/endpoints`, {
    headers: { accept: 'application/json', authorization: `Bearer ${apiKey}` },
  });
  if (!res.ok) return null;
  const parsed = EndpointsSchema.safeParse(await res.json().catch(() => null));
  if (!parsed.success) return null;
  const p50s = parsed.data.data.endpoints.map((e) => e.latency_last_30m?.p50).filter((p): p is number => p != null);
  return p50s.length ? Math.min(...p50s) : null;
}
