import type { Settings } from '../settings/schema';
import { base64ToBytes } from '../image/source';
import { providerError } from './errors';
import { describeImage, isOpenRouter, type CaptionResponse } from './openai';
import { describeOnDevice, ON_DEVICE_MODEL_ID, type LanguageModelApi } from './on-device';
import type { Prompt } from './prompt';

/**
 * Which captioner describes images, decided in one place from the settings and the chosen model:
 * Chrome's built-in model, or an OpenAI-compatible server (OpenRouter or any other) at the API
 * base URL. The job runner, the key check and the command line all ask here.
 */
export type CaptionerChoice =
  | { kind: 'on-device' }
  | {
      kind: 'server';
      apiBase: string;
      /** The server is OpenRouter (its host exactly): error wording, top-up link, a key is required. */
      openRouter: boolean;
    };

export function chooseCaptioner(settings: Pick<Settings, 'provider' | 'apiBase'>, modelId?: string): CaptionerChoice {
  if (settings.provider === 'on-device' || modelId === ON_DEVICE_MODEL_ID) return { kind: 'on-device' };
  const apiBase = settings.apiBase.replace(/\/+$/, '');
  return { kind: 'server', apiBase, openRouter: settings.provider === 'openrouter' || isOpenRouter(apiBase) };
}

/** The host model calls go to, for per-host pacing ('on-device' for the built-in model). */
export function captionerHost(choice: CaptionerChoice): string {
  return choice.kind === 'on-device' ? 'on-device' : new URL(choice.apiBase).host;
}

/** The built-in model runs one image at a time; servers take the concurrency setting. */
export function captionerConcurrency(choice: CaptionerChoice, setting: number): number {
  return choice.kind === 'on-device' ? 1 : setting;
}

/** True when two choices send images (and the key) to the same place. */
export function sameCaptioner(a: CaptionerChoice, b: CaptionerChoice): boolean {
  return a.kind === b.kind && (a.kind === 'on-device' || (b.kind === 'server' && a.apiBase === b.apiBase));
}

export interface CaptionRequest {
  modelId: string;
  prompt: Prompt;
  /** The prepared image as a base64 data: URL, as it goes to a server. */
  imageDataUrl: string;
  detailed: boolean;
  signal: AbortSignal;
}

export interface CaptionerDeps {
  /** Read at the moment of each call, never kept: the key lives only in the worker's storage. */
  apiKey(): Promise<string>;
  /** Chrome's Prompt API when the browser has it. */
  languageModel?(): LanguageModelApi | null;
  fetch?: typeof fetch;
}

/** One describe function for the choice; the caller reads the settings, this module calls the model. */
export function captionerFor(choice: CaptionerChoice, deps: CaptionerDeps): (req: CaptionRequest) => Promise<CaptionResponse> {
  if (choice.kind === 'on-device') {
    return async ({ prompt, imageDataUrl, signal }) => {
      const api = deps.languageModel?.() ?? null;
      if (!api) throw providerError('on-device-unavailable', { who: 'The built-in model' });
      const [head, base64] = imageDataUrl.split(',', 2);
      const image = new Blob([base64ToBytes(base64) as BlobPart], { type: head.slice(5).split(';')[0] });
      return describeOnDevice(api, { prompt, image, signal });
    };
  }
  return async ({ modelId, prompt, imageDataUrl, detailed, signal }) => {
    const apiKey = await deps.apiKey();
    if (!apiKey && choice.openRouter) throw providerError('no-key', { who: 'OpenRouter', host: new URL(choice.apiBase).host });
    return describeImage({ apiBase: choice.apiBase, apiKey, modelId, prompt, imageDataUrl, detailed, signal, openRouter: choice.openRouter, fetch: deps.fetch });
  };
}
