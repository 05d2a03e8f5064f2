import { providerError } from './errors';
import type { CaptionResponse } from './openai';
import type { Prompt } from './prompt';

/**
 * Chrome's built-in model through the Prompt API (`LanguageModel`, multimodal input): free and
 * private, because the image never leaves the machine. Only the parts AltScout uses are typed, so a
 * stand-in with the same shape can test it.
 */
type Availability = 'unavailable' | 'downloadable' | 'downloading' | 'available';
interface ExpectedIo { type: 'text' | 'image'; languages?: string[] }
export interface LanguageModelSession {
  prompt(input: Array<{ role: 'user'; content: Array<{ type: 'text'; value: string } | { type: 'image'; value: Blob }> }>, options?: { signal?: AbortSignal }): Promise<string>;
  destroy(): void;
}
export interface LanguageModelApi {
  availability(options: { expectedInputs: ExpectedIo[]; expectedOutputs?: ExpectedIo[] }): Promise<Availability>;
  create(options: { expectedInputs: ExpectedIo[]; expectedOutputs?: ExpectedIo[]; initialPrompts?: Array<{ role: 'system'; content: string }>; signal?: AbortSignal }): Promise<LanguageModelSession>;
}

export const ON_DEVICE_MODEL_ID = 'chrome/built-in';
const ON_DEVICE_WHO = 'The built-in model';

export function findLanguageModel(scope: unknown = globalThis): LanguageModelApi | null {
  const api = (scope as { LanguageModel?: LanguageModelApi }).LanguageModel;
  return api && typeof api.availability === 'function' && typeof api.create === 'function' ? api : null;
}

const expectedInputs: ExpectedIo[] = [{ type: 'text' }, { type: 'image' }];

/** 'available' or a sentence saying why the built-in model cannot be used (yet). */
export async function onDeviceStatus(api: LanguageModelApi | null, language = 'en'): Promise<{ ok: boolean; message: string }> {
  if (!api) return { ok: false, message: "This browser has no built-in model. Use Chrome 138 or newer with the Prompt API, or pick an OpenRouter model." };
  let availability: Availability;
  try {
    availability = await api.availability({ expectedInputs, expectedOutputs: [{ type: 'text', languages: [language.split('-')[0]] }] });
  } catch {
    availability = 'unavailable';
  }
  if (availability === 'available') return { ok: true, message: 'The built-in model is ready; images stay on this device.' };
  if (availability === 'downloadable' || availability === 'downloading') {
    return { ok: false, message: 'The built-in model is still downloading in Chrome. Try again in a few minutes, or pick an OpenRouter model.' };
  }
  return { ok: false, message: `The built-in model cannot describe images in ${language} on this device. Pick an OpenRouter model.` };
}

export async function describeOnDevice(
  api: LanguageModelApi,
  req: { prompt: Prompt; image: Blob; signal?: AbortSignal; now?: () => number },
): Promise<CaptionResponse> {
  const now = req.now ?? Date.now;
  const started = now();
  const status = await onDeviceStatus(api, req.prompt.language);
  if (!status.ok) throw providerError('on-device-unavailable', { who: ON_DEVICE_WHO, detail: status.message });
  const session = await api.create({
    expectedInputs,
    expectedOutputs: [{ type: 'text', languages: [req.prompt.language.split('-')[0]] }],
    initialPrompts: [{ role: 'system', content: req.prompt.system }],
    signal: req.signal,
  });
  try {
    const text = await session.prompt(
      [{ role: 'user', content: [{ type: 'text', value: req.prompt.text }, { type: 'image', value: req.image }] }],
      { signal: req.signal },
    );
    return { text, costUsd: 0, promptTokens: null, completionTokens: null, latencyMs: now() - started };
  } catch (e) {
    if (req.signal?.aborted) throw e;
    throw providerError('on-device-error', { who: ON_DEVICE_WHO, detail: e instanceof Error ? e.message : String(e) });
  } finally {
    session.destroy();
  }
}
