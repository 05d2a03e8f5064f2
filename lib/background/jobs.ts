import { browser } from 'wxt/browser';
import { handle } from '../messaging';
import { apiKeyItem, readApiKey, captionCacheItem, catalogCacheItem, CatalogCacheSchema, jobsItem, modelStatsItem, readJobs, readSettings, readValidated, recordModelRun, ModelStatsSchema } from '../storage';
import { JobRunner } from '../jobs/runner';
import { StoredCaptionCache, sha256Hex } from '../jobs/cache';
import { realClock } from '../jobs/limits';
import type { JobRecord } from '../jobs/record';
import type { JobItemInput } from '../jobs/schema';
import { browserCodec } from '../image/browser-codec';
import { ImageSkip, base64ToBytes, loadJobImage, parseDataUrl, type PreparedImage } from '../image';
import { describeImage } from '../caption/openai';
import { describeOnDevice, findLanguageModel, ON_DEVICE_MODEL_ID } from '../caption/on-device';
import { ProviderError } from '../caption/errors';
import { checkKey, connectWithPkce } from '../caption/account';
import { estimateUsdPerRequest } from '../ranking/cost';
import { withDetails } from '../scan/details';
import { jobInputsInTab, type TabFrames } from './tab-actions';
import { rasteriseInTab as rasteriseInDocument, readBlobInTab } from './page-reads';
import { PageChangedError } from './frames';

const KEEPALIVE_ALARM = 'altscout-jobs';

/** The page the item was found in is gone (or was never scanned): nothing about it is read or sent. */
const pageChanged = (error: unknown) => (error instanceof PageChangedError ? new ImageSkip('page-changed', error.message) : error);

/** Draws SVG in the document the item was found in: the worker has no DOM to draw SVG. */
async function rasteriseInTab(record: JobRecord, input: JobItemInput, svgDataUrl: string | null, maxLongEdge: number): Promise<Uint8Array> {
  const value = await rasteriseInDocument(record.job.tabId, input.id, svgDataUrl, maxLongEdge).catch((error: unknown) => {
    throw pageChanged(error);
  });
  if ('error' in value) throw new ImageSkip('undecodable', value.error);
  return parseDataUrl(value.dataUrl).bytes;
}

function loadImage(input: JobItemInput, record: JobRecord, signal: AbortSignal): Promise<PreparedImage> {
  return loadJobImage(input, {
    pageUrl: record.job.pageUrl,
    fetch: (url, init) => fetch(url, init),
    codec: browserCodec,
    signal,
    // Drawn in the item's own document, found by its id there (the selector is the CLI's way).
    rasterise: (svgDataUrl, _selector, max) => rasteriseInTab(record, input, svgDataUrl, max),
    readBlob: (url) => readBlobInTab(record.job.tabId, input.id, url).catch((error: unknown) => {
      throw pageChanged(error);
    }),
  });
}

export function createJobRunner(): JobRunner {
  let statsWrites: Promise<void> = Promise.resolve();
  return new JobRunner({
    clock: realClock,
    random: Math.random,
    newId: () => crypto.randomUUID(),
    store: {
      load: async () => (await readJobs()).value,
      save: (records) => jobsItem.setValue(records),
    },
    cache: new StoredCaptionCache(captionCacheItem),
    loadImage,
    hash: sha256Hex,
    apiHost: (record) => (record.settings.provider === 'on-device' ? 'on-device' : new URL(record.settings.apiBase).host),
    async describe({ prompt, image, record, signal }) {
      if (record.settings.provider === 'on-device') {
        const api = findLanguageModel();
        if (!api) throw new ProviderError({ code: 'model-gone', message: 'This browser has no built-in model. Pick an OpenRouter model.', action: 'pick-model' }, 'fatal', null);
        const blob = new Blob([base64ToBytes(image.dataUrl.split(',')[1]) as BlobPart], { type: image.mime });
        return describeOnDevice(api, { prompt, image: blob, signal });
      }
      // Read here, in the worker only, at the moment of the call: the key is never kept in job state.
      const apiKey = await readApiKey();
      if (!apiKey && record.settings.provider === 'openrouter') {
        throw new ProviderError({ code: 'bad-key', message: "No OpenRouter key is set. Open AltScout's options to connect OpenRouter or paste a key.", action: 'open-options' }, 'fatal', null);
      }
      return describeImage({ apiBase: record.settings.apiBase, apiKey, modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, detailed: record.settings.length === 'detailed', signal, openRouter: record.settings.provider === 'openrouter' });
    },
    // recordModelRun reads, adds and writes: calls finishing together must not overwrite each other.
    recordRun: (modelId, costUsd, latencyMs) => (statsWrites = statsWrites.then(() => recordModelRun(modelId, costUsd, latencyMs)).catch(() => undefined)),
    async estimateCostUsd(modelId) {
      // What this model really charged before, else the ranking's estimate from the cached catalog.
      const stats = (await readValidated(modelStatsItem, ModelStatsSchema)).value[modelId];
      if (stats && stats.runs > 0) return stats.totalCostUsd / stats.runs;
      const model = (await readValidated(catalogCacheItem, CatalogCacheSchema)).value?.catalog.models.find((m) => m.id === modelId);
      return model ? estimateUsdPerRequest(model, 'captioning') : null;
    },
    onActive(active) {
      // An alarm wakes a worker Chrome stopped mid-job, and the job resumes from storage.session.
      if (active) void browser.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 });
      else void browser.alarms.clear(KEEPALIVE_ALARM);
    },
  });
}

/**
 * Items passed straight from a scan carry no selector, context or size (the scan leaves them to
 * be asked for): read them from the documents the ids name, so inline svgs can be drawn and
 * captions get context.
 */
async function withMissingDetails(tabId: number, items: JobItemInput[], frames?: TabFrames): Promise<JobItemInput[]> {
  const ids = items.filter((item) => !item.selector).map((item) => item.id);
  if (!ids.length) return items;
  const { inputs } = await jobInputsInTab(tabId, ids, frames);
  return withDetails(items, inputs);
}

export function registerJobs(runner: JobRunner = createJobRunner(), frames?: TabFrames): JobRunner {
  handle('startJob', async (request) => {
    const input = { ...request, items: await withMissingDetails(request.tabId, request.items, frames) };
    const { value: settings } = await readSettings();
    const onDevice = settings.provider === 'on-device' || input.modelId === ON_DEVICE_MODEL_ID;
    return runner.start(input, {
      provider: onDevice ? 'on-device' : settings.provider,
      apiBase: settings.apiBase,
      concurrency: onDevice ? 1 : settings.concurrency,
      markAiGenerated: settings.markAiGenerated,
      length: settings.length,
      regenerate: false,
      budgetUsd: settings.budgetUsd,
      language: settings.language,
    });
  });
  handle('getJob', (input) => ('id' in input ? runner.get(input.id) : runner.latestForTab(input.tabId)));
  handle('cancelJob', ({ id }) => runner.cancel(id));
  handle('retryItem', ({ jobId, itemId, regenerate }) => runner.retryItem(jobId, itemId, { regenerate }));
  handle('checkKey', async () => {
    const { value: settings } = await readSettings();
    return checkKey(settings.apiBase, await readApiKey());
  });
  handle('connectOpenRouter', async () => {
    const { value: settings } = await readSettings();
    try {
      const key = await connectWithPkce({
        apiBase: settings.apiBase,
        redirectUrl: browser.identity.getRedirectURL(),
        launchWebAuthFlow: (url) => browser.identity.launchWebAuthFlow({ url, interactive: true }),
      });
      await apiKeyItem.setValue(key);
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e), creditUsd: null };
    }
    return checkKey(settings.apiBase, await readApiKey());
  });
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === KEEPALIVE_ALARM) void runner.resumeAll();
  });
  void runner.resumeAll();
  return runner;
}
