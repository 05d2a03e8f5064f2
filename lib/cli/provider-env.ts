import { DEFAULT_API_BASE, checkApiBase } from '../settings/schema';
import { isOpenRouter } from '../caption/openai';

/** The environment variables the describing commands read, for their `--help`. */
export const PROVIDER_ENV_HELP = `Environment: OPENROUTER_API_KEY (the key), ALTSCOUT_API_BASE (default ${DEFAULT_API_BASE}).`;

/**
 * The model provider a describing command (describe, compare) talks to, from the environment:
 * `ALTSCOUT_API_BASE` (OpenRouter by default; the same rules as the extension's setting) and
 * `OPENROUTER_API_KEY`. A problem comes back as the sentence to print.
 */
export function providerFromEnv(env: NodeJS.ProcessEnv = process.env): { apiBase: string; apiKey: string } | { error: string } {
  const apiBase = (env.ALTSCOUT_API_BASE || DEFAULT_API_BASE).replace(/\/+$/, '');
  const baseProblem = checkApiBase(apiBase);
  if (baseProblem) return { error: `ALTSCOUT_API_BASE: ${baseProblem}` };
  const apiKey = env.OPENROUTER_API_KEY ?? '';
  if (!apiKey && isOpenRouter(apiBase)) return { error: 'Set OPENROUTER_API_KEY to your OpenRouter key (https://openrouter.ai/settings/keys).' };
  return { apiBase, apiKey };
}
