import { browser } from 'wxt/browser';
import { handle } from '../messaging';
import {
  captionCacheItem, catalogCacheItem, CatalogCacheSchema, jobsItem, modelStatsItem, ModelStatsSchema, readApiKey, readSettings,
  readValidated, recordModelRun, writeApiKey,
} from '../storage';
import { JobRunner, type RunnerDeps, type StartSettings } from '../jobs/runner';
import { StoredCaptionCache, sha256Hex } from '../jobs/cache';
import { realClock } from '../jobs/limits';
import type { JobRecord } from '../jobs/record';
import { SINGLE_IMAGE_ITEM_ID, type Job, type JobItemInput, type StartJob } from '../jobs/schema';
import { browserCodec } from '../image/browser-codec';
import { ImageSkip, loadJobImage, parseDataUrl, type PreparedImage } from '../image';
import { captionerFor, chooseCaptioner, sameCaptioner } from '../caption/captioner';
import { findLanguageModel } from '../caption/on-device';
import { providerError } from '../caption/errors';
import { checkKey, connectWithPkce } from '../caption/account';
import { costPerRequest } from '../ranking/cost';
import type { Settings } from '../settings/schema';
import { browserFramePort, findingDetailsInTab, imageInputInTab, jobInputsInTab, type FramePort } from './job-inputs';
import { rasteriseInTab as rasteriseInDocument, readBlobInTab } from './page-reads';
import { PageChangedError } from './frames';

const KEEPALIVE_ALARM = 'altscout-jobs';

/** The page the item was found in is gone (or was never scanned): nothing about it is read or sent. */
const pageChanged = (error: unknown) => (error instanceof PageChangedError ? new ImageSkip('page-changed', error.message) : error);

/** The finding id naming the document the item was found in (the context menu's image keeps it apart). */
const documentRef = (input: JobItemInput) => input.finding ?? input.id;

/** Draws SVG in the document the item was found in: the worker has no DOM to draw SVG. */
async function rasteriseInTab(record: JobRecord, input: JobItemInput, svgDataUrl: string | null, maxLongEdge: number): Promise<Uint8Array> {
  const value = await rasteriseInDocument(record.job.tabId, documentRef(input), svgDataUrl, maxLongEdge).catch((error: unknown) => {
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
    readBlob: (url) => readBlobInTab(record.job.tabId, documentRef(input), url).catch((error: unknown) => {
      throw pageChanged(error);
    }),
  });
}

/** What a job runs with, from the settings read once when it starts. */
export function runSettings(settings: Settings): StartSettings {
  return {
    provider: settings.provider,
    apiBase: settings.apiBase,
    concurrency: settings.concurrency,
    markAiGenerated: settings.markAiGenerated,
    length: settings.length,
    language: settings.language,
    budgetUsd: settings.budgetUsd,
  };
}

/**
 * The settings a job started with must still be the ones in force when it calls the model (after
 * a worker restart, or when the user changed them mid-job): otherwise the job stops rather than
 * send the key to an address the user no longer chose.
 */
export function checkSameCaptioner(record: JobRecord, current: Settings): void {
  const started = chooseCaptioner(record.settings, record.job.modelId);
  const now = chooseCaptioner(current, record.job.modelId);
  if (sameCaptioner(started, now)) return;
  const where = (c: typeof now) => (c.kind === 'on-device' ? 'the built-in model' : c.apiBase);
  throw providerError('settings-changed', { detail: `from ${where(started)} to ${where(now)}` });
}

export interface JobWorkerDeps {
  frames?: FramePort;
  /** Replaces parts that need a real browser (image decoding, the clock) in tests. */
  overrides?: Partial<RunnerDeps>;
}

export function createJobRunner({ frames = browserFramePort, overrides = {} }: JobWorkerDeps = {}): JobRunner {
  let statsWrites: Promise<void> = Promise.resolve();
  return new JobRunner({
    clock: realClock,
    random: Math.random,
    newId: () => crypto.randomUUID(),
    store: {
      load: async () => {
        const stored = await jobsItem.getValue();
        return Array.isArray(stored) ? stored : [];
      },
      save: (records) => jobsItem.setValue(records),
    },
    cache: new StoredCaptionCache(captionCacheItem),
    loadImage,
    hash: sha256Hex,
    async describe({ prompt, image, record, signal }) {
      const { value: current, error } = await readSettings();
      if (error) throw providerError('settings-changed', { detail: 'the saved settings can no longer be read' });
      checkSameCaptioner(record, current);
      const choice = chooseCaptioner(record.settings, record.job.modelId);
      // The key is read here, in the worker only, at the moment of the call: it is never kept in job state.
      const describe = captionerFor(choice, { apiKey: readApiKey, languageModel: () => findLanguageModel() });
      return describe({ modelId: record.job.modelId, prompt, imageDataUrl: image.dataUrl, detailed: record.settings.length === 'detailed', signal });
    },
    async reloadInputs(record, items) {
      const single = items.filter((i) => i.id === SINGLE_IMAGE_ITEM_ID);
      const found = items.length > single.length ? (await jobInputsInTab(record.job.tabId, items.filter((i) => i.id !== SINGLE_IMAGE_ITEM_ID).map((i) => i.id), frames)).items : [];
      for (const item of single) {
        const source = item.srcHash ? { sha256: item.srcHash } : item.src ? { src: item.src } : null;
        if (source) found.push((await imageInputInTab(record.job.tabId, item.frameId, source, frames)).item);
      }
      return found;
    },
    // recordModelRun reads, adds and writes: calls finishing together must not overwrite each other.
    recordRun: (modelId, costUsd, latencyMs) => (statsWrites = statsWrites.then(() => recordModelRun(modelId, costUsd, latencyMs)).catch(() => undefined)),
    async estimateCostUsd(modelId) {
      const stats = (await readValidated(modelStatsItem, ModelStatsSchema)).value[modelId];
      const model = (await readValidated(catalogCacheItem, CatalogCacheSchema)).value?.catalog.models.find((m) => m.id === modelId);
      return costPerRequest(model, 'captioning', stats)?.usd ?? null;
    },
    onActive(active) {
      // An alarm wakes a worker Chrome stopped mid-job, and the job resumes from storage.session.
      if (active) void browser.alarms.create(KEEPALIVE_ALARM, { periodInMinutes: 0.5 });
      else void browser.alarms.clear(KEEPALIVE_ALARM);
    },
    ...overrides,
  });
}

/**
 * Starts a job from what the user chose (contract 2): the settings are read here, once, and each
 * image's details are asked of the page here, once.
 */
export async function startJob(request: StartJob, runner: JobRunner, frames: FramePort = browserFramePort): Promise<Job> {
  const { value: settings, problem } = await readSettings();
  // A job never runs on defaults standing in for settings that cannot be read (the key could go to the default server).
  if (problem) throw new Error(`Your saved settings could not be read (${problem}). Open AltScout's options and save them, then generate again.`);
  const { pageUrl, items } = request.target.kind === 'findings'
    ? await jobInputsInTab(request.tabId, request.target.ids, frames)
    : await imageInputInTab(request.tabId, request.target.frameId, { src: request.target.src }, frames).then(({ pageUrl, item }) => ({ pageUrl, items: [item] }));
  if (items.every((item) => 'skip' in item)) {
    throw new Error(items.length === 1 ? (items[0] as { skip: { message: string } }).skip.message : 'None of these images are on the page any more (it changed or reloaded). Scan the page again.');
  }
  return runner.start({ tabId: request.tabId, pageUrl, modelId: request.modelId, items, regenerate: request.regenerate }, runSettings(settings));
}

export function registerJobs(runner: JobRunner = createJobRunner(), frames: FramePort = browserFramePort): JobRunner {
  handle('startJob', (request) => startJob(request, runner, frames));
  handle('getFindingDetails', ({ tabId, ids }) => findingDetailsInTab(tabId, ids, frames));
  handle('getJob', (input) => ('id' in input ? runner.get(input.id) : runner.latestForTab(input.tabId)));
  handle('cancelJob', ({ id }) => runner.cancel(id));
  handle('retryItem', ({ jobId, itemId, regenerate }) => runner.retryItem(jobId, itemId, { regenerate }));
  handle('checkKey', async () => {
    const { value: settings } = await readSettings();
    const choice = chooseCaptioner(settings);
    if (choice.kind === 'on-device') return { ok: true, message: 'The built-in model needs no key.', creditUsd: null };
    return checkKey(choice.apiBase, await readApiKey(), fetch, choice.openRouter);
  });
  handle('connectOpenRouter', async () => {
    const { value: settings } = await readSettings();
    try {
      const key = await connectWithPkce({
        apiBase: settings.apiBase,
        redirectUrl: browser.identity.getRedirectURL(),
        launchWebAuthFlow: (url) => browser.identity.launchWebAuthFlow({ url, interactive: true }),
      });
      await writeApiKey(key);
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
