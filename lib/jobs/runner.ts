import { buildPrompt, type Prompt } from '../caption/prompt';
import { sanitizeCaption, withAiMark } from '../caption/sanitize';
import { ProviderError, type JobError } from '../caption/errors';
import type { CaptionResponse } from '../caption/openai';
import { isImageSkip, type PreparedImage } from '../image';
import { cacheKey, type CacheEntry, type CaptionCache } from './cache';
import { formatUsd } from '../money';
import { BudgetGate, HostGate, MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, retryDelay, type Clock } from './limits';
import { MAX_KEPT_JOBS, type JobRecord, type JobRunSettings } from './record';
import type { Job, JobItem, JobItemInput, StartJob } from './schema';

export interface RunnerDeps {
  clock: Clock;
  random: () => number;
  newId: () => string;
  /** Persisted job records (storage.session in the extension). */
  store: { load(): Promise<JobRecord[]>; save(records: JobRecord[]): Promise<void> };
  cache: CaptionCache;
  loadImage(input: JobItemInput, record: JobRecord, signal: AbortSignal): Promise<PreparedImage>;
  hash(bytes: Uint8Array): Promise<string>;
  describe(req: { prompt: Prompt; image: PreparedImage; record: JobRecord; signal: AbortSignal }): Promise<CaptionResponse>;
  /** Host the model calls go to, for per-host pacing. */
  apiHost(record: JobRecord): string;
  recordRun?(modelId: string, costUsd: number, latencyMs: number): Promise<void>;
  /** A per-call cost known before the first call (measured earlier); null when unknown. */
  estimateCostUsd?(modelId: string): Promise<number | null>;
  /** Told when work starts and stops, e.g. to keep an MV3 worker alive. */
  onActive?(active: boolean): void;
  onChange?(job: Job): void;
}

interface Described { entry: CacheEntry; charged: number; fresh: boolean }

class JobStop extends Error {
  constructor(readonly state: 'paused' | 'failed', readonly jobError: JobError) {
    super(jobError.message);
  }
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError' || (e as { name?: string })?.name === 'AbortError';

/**
 * Runs caption jobs: fetch and shrink each image, describe it with the chosen model, clean the
 * answer, keep it. State is saved after every change so a stopped worker resumes where it was,
 * and captions are cached by image content so nothing is paid for twice.
 */
export class JobRunner {
  private records = new Map<string, JobRecord>();
  private controllers = new Map<string, AbortController>();
  private running = new Map<string, Promise<void>>();
  /** One model call per identical image at a time, across jobs. */
  private inflight = new Map<string, Promise<Described>>();
  private gate: HostGate;
  private loaded: Promise<void> | null = null;
  private writing: Promise<void> | null = null;
  private dirty = false;

  constructor(private deps: RunnerDeps) {
    this.gate = new HostGate(deps.clock);
  }

  private async ensureLoaded(): Promise<void> {
    this.loaded ??= this.deps.store.load().then((list) => {
      for (const r of list) if (!this.records.has(r.job.id)) this.records.set(r.job.id, r);
    });
    return this.loaded;
  }

  /** Saves every record; concurrent calls coalesce into as few writes as possible. */
  private persist(): Promise<void> {
    this.dirty = true;
    this.writing ??= (async () => {
      try {
        while (this.dirty) {
          this.dirty = false;
          const kept = [...this.records.values()].sort((a, b) => b.job.createdAt - a.job.createdAt).slice(0, MAX_KEPT_JOBS);
          await this.deps.store.save(structuredClone(kept));
        }
      } finally {
        this.writing = null;
      }
    })();
    return this.writing;
  }

  private touch(record: JobRecord): Promise<void> {
    const job = record.job;
    job.done = job.items.filter((i) => i.state === 'done').length;
    job.updatedAt = this.deps.clock.now();
    this.deps.onChange?.(job);
    return this.persist();
  }

  async get(id: string): Promise<Job | null> {
    await this.ensureLoaded();
    return this.records.get(id)?.job ?? null;
  }

  async latestForTab(tabId: number): Promise<Job | null> {
    await this.ensureLoaded();
    let best: Job | null = null;
    for (const { job } of this.records.values()) if (job.tabId === tabId && (!best || job.createdAt >= best.createdAt)) best = job;
    return best;
  }

  async start(input: StartJob, settings: JobRunSettings & { budgetUsd: number; language: string }): Promise<Job> {
    await this.ensureLoaded();
    const now = this.deps.clock.now();
    const id = this.deps.newId();
    const seen = new Set<string>();
    const items: JobItem[] = [];
    const inputs: JobRecord['inputs'] = {};
    for (const item of input.items) {
      if (seen.has(item.id)) continue;
      seen.add(item.id);
      inputs[item.id] = item;
      items.push({ id: item.id, frameId: item.frameId, selector: item.selector, src: item.src, oldAlt: item.alt, state: 'queued', costUsd: 0, cached: false, attempts: 0 });
    }
    const language = input.options.language || settings.language || '';
    const record: JobRecord = {
      job: {
        id, tabId: input.tabId, pageUrl: input.pageUrl, modelId: input.modelId, state: 'running', done: 0, total: items.length,
        costUsd: 0, budgetUsd: input.budgetUsd ?? settings.budgetUsd, error: null, items, createdAt: now, updatedAt: now, waitingUntil: null,
        language: language || undefined,
      },
      inputs,
      settings: { ...settings, length: input.options.length ?? settings.length, regenerate: input.options.regenerate ?? false },
      options: { ...input.options, language },
    };
    this.records.set(id, record);
    await this.touch(record);
    this.launch(record);
    return record.job;
  }

  async cancel(id: string): Promise<Job> {
    await this.ensureLoaded();
    const record = this.mustGet(id);
    this.controllers.get(id)?.abort(new DOMException('Cancelled', 'AbortError'));
    if (record.job.state === 'running' || record.job.state === 'paused') {
      record.job.state = 'cancelled';
      record.job.waitingUntil = null;
      for (const item of record.job.items) if (item.state === 'queued' || item.state === 'running') item.state = 'cancelled';
    }
    await this.touch(record);
    return record.job;
  }

  /** Runs one item again; with `regenerate` the cached caption is bypassed and replaced by a fresh (paid) one. */
  async retryItem(jobId: string, itemId: string, { regenerate = false }: { regenerate?: boolean } = {}): Promise<Job> {
    await this.ensureLoaded();
    const record = this.mustGet(jobId);
    const item = record.job.items.find((i) => i.id === itemId);
    if (!item) throw new Error('That image is not part of this job any more. Scan the page and generate again.');
    if (item.state === 'running' || item.state === 'queued') return record.job;
    // Kept on the record (not only in memory) so a worker restart still regenerates rather than re-reading the cache.
    if (regenerate && !record.regenerateIds?.includes(itemId)) record.regenerateIds = [...(record.regenerateIds ?? []), itemId];
    Object.assign(item, { state: 'queued', error: undefined, errorCode: undefined, attempts: 0 });
    if (record.job.state !== 'running') {
      record.job.state = 'running';
      record.job.error = null;
    }
    await this.touch(record);
    if (!this.running.has(jobId)) this.launch(record);
    return record.job;
  }

  /** After a worker restart: jobs that were running carry on; calls cut off mid-flight run again. */
  async resumeAll(): Promise<number> {
    await this.ensureLoaded();
    let resumed = 0;
    for (const record of this.records.values()) {
      if (record.job.state !== 'running' || this.running.has(record.job.id)) continue;
      for (const item of record.job.items) if (item.state === 'running') item.state = 'queued';
      record.job.waitingUntil = null;
      await this.touch(record);
      this.launch(record);
      resumed += 1;
    }
    return resumed;
  }

  /** Resolves when the job's current run has finished (tests, CLI). */
  async settled(id: string): Promise<Job> {
    await this.running.get(id);
    return this.mustGet(id).job;
  }

  private mustGet(id: string): JobRecord {
    const record = this.records.get(id);
    if (!record) throw new Error('That job is no longer kept (AltScout keeps the last 10). Generate again; finished captions come from the cache for free.');
    return record;
  }

  private launch(record: JobRecord): void {
    const controller = new AbortController();
    this.controllers.set(record.job.id, controller);
    if (this.running.size === 0) this.deps.onActive?.(true);
    const run = this.run(record, controller.signal).finally(() => {
      this.running.delete(record.job.id);
      this.controllers.delete(record.job.id);
      if (this.running.size === 0) this.deps.onActive?.(false);
    });
    this.running.set(record.job.id, run);
  }

  private async run(record: JobRecord, outer: AbortSignal): Promise<void> {
    const { job } = record;
    const estimate = (await this.deps.estimateCostUsd?.(job.modelId).catch(() => null)) ?? null;
    const budget = new BudgetGate(job.budgetUsd, () => job.costUsd, estimate);
    const images = new Map<string, Promise<PreparedImage>>();
    // A fatal answer (bad key, no credit) stops the calls still in flight too: they would fail the same way.
    const stopAll = new AbortController();
    const signal = AbortSignal.any([outer, stopAll.signal]);
    let stop: JobStop | null = null;

    const worker = async (queue: JobItem[]) => {
      while (!signal.aborted && !stop) {
        const item = queue.shift();
        if (!item) return;
        // Fetch and shrink the next images while this one waits on the model.
        for (const next of queue.slice(0, record.settings.concurrency)) this.imageFor(record, next, images, signal).catch(() => undefined);
        try {
          await this.process(record, item, budget, images, signal);
        } catch (e) {
          if (e instanceof JobStop) {
            stop ??= e;
            if (e.state === 'failed') stopAll.abort(new DOMException('Stopped', 'AbortError'));
            if (item.state === 'running') item.state = 'queued';
          } else if (e instanceof ProviderError) {
            this.finishItem(item, 'failed', { message: e.error.message, code: e.error.code });
          } else if (!isAbort(e)) {
            this.finishItem(item, 'failed', { message: `Something unexpected went wrong: ${e instanceof Error ? e.message : String(e)}. Retry this image.`, code: 'internal' });
          }
        }
        await this.touch(record);
      }
    };
    // Loop so that items queued again by retryItem while this run was busy are picked up too.
    for (;;) {
      const queue = job.items.filter((i) => i.state === 'queued');
      if (queue.length === 0 || stop || signal.aborted) break;
      await Promise.all(Array.from({ length: Math.max(1, record.settings.concurrency) }, () => worker(queue)));
    }

    if (job.state !== 'running') return; // cancelled meanwhile
    job.waitingUntil = null;
    if (stop) {
      const reason: JobStop = stop;
      job.state = reason.state;
      job.error = reason.jobError;
      const left = reason.state === 'failed' ? 'cancelled' : 'queued';
      for (const item of job.items) if (item.state === 'queued' || item.state === 'running') item.state = left;
    } else {
      job.state = 'done';
      if (job.error?.code === 'rate-limited') job.error = null;
    }
    await this.touch(record);
  }

  private finishItem(item: JobItem, state: 'skipped' | 'failed', error: { message: string; code: string }) {
    item.state = state;
    item.error = error.message;
    item.errorCode = error.code;
  }

  private async process(record: JobRecord, item: JobItem, budget: BudgetGate, images: Map<string, Promise<PreparedImage>>, signal: AbortSignal): Promise<void> {
    const input = record.inputs[item.id];
    item.state = 'running';
    item.attempts += 1;
    await this.touch(record);

    let image: PreparedImage;
    try {
      image = await this.imageFor(record, item, images, signal);
    } catch (e) {
      if (isImageSkip(e)) return this.finishItem(item, 'skipped', { message: e.message, code: e.code });
      throw e;
    }

    const prompt = buildPrompt({ kind: input.kind, context: input.context, language: record.options.language, length: record.settings.length });
    record.job.language ??= prompt.language;
    const key = cacheKey({ imageHash: await this.deps.hash(image.sourceBytes), modelId: record.job.modelId, language: prompt.language, purpose: prompt.purpose, length: record.settings.length });

    let result: Described;
    const bypassCache = record.settings.regenerate || record.regenerateIds?.includes(item.id) === true;
    const cached = bypassCache ? undefined : await this.deps.cache.get(key);
    if (cached) {
      result = { entry: cached, charged: 0, fresh: false };
    } else {
      let call = this.inflight.get(key);
      const mine = !call;
      if (!call) {
        call = this.callModel(record, prompt, image, budget, signal);
        this.inflight.set(key, call);
      }
      try {
        result = await call;
        if (!mine) result = { ...result, charged: 0, fresh: false };
      } catch (e) {
        // The call this item waited on belonged to a job that was cancelled: make the call itself.
        if (!mine && isAbort(e) && !signal.aborted) return this.process(record, item, budget, images, signal);
        if (!mine && e instanceof ProviderError && e.scope === 'item') {
          return this.finishItem(item, 'failed', { message: e.error.message, code: e.error.code });
        }
        throw e;
      } finally {
        if (mine) this.inflight.delete(key);
      }
      if (mine && result.fresh) await this.deps.cache.set(key, result.entry);
    }
    item.state = 'done';
    if (record.regenerateIds) record.regenerateIds = record.regenerateIds.filter((id) => id !== item.id);
    item.alt = withAiMark(result.entry.alt, record.settings.markAiGenerated);
    item.decorative = result.entry.decorative || undefined;
    item.longDescription = result.entry.longDescription;
    item.cached = !result.fresh;
    item.costUsd = result.charged;
    item.error = undefined;
    item.errorCode = undefined;
  }

  /** Several elements often show the same file: it is fetched and shrunk once per job. */
  private imageFor(record: JobRecord, item: JobItem, images: Map<string, Promise<PreparedImage>>, signal: AbortSignal): Promise<PreparedImage> {
    const input = record.inputs[item.id];
    const memoKey = input.src ? `src:${input.src}` : `el:${input.frameId}:${input.selector || input.id}`;
    let promise = images.get(memoKey);
    if (!promise) {
      promise = this.deps.loadImage(input, record, signal);
      images.set(memoKey, promise);
    }
    return promise;
  }

  /** The model call with retries; throws JobStop (whole job), ProviderError with scope 'item', or an abort. */
  private async callModel(record: JobRecord, prompt: Prompt, image: PreparedImage, budget: BudgetGate, signal: AbortSignal): Promise<Described> {
    const host = this.deps.apiHost(record);
    const { job } = record;
    for (let attempt = 1; ; attempt++) {
      if (!(await budget.acquire(signal))) {
        throw new JobStop('paused', {
          code: 'budget',
          message: `This job reached its budget of ${formatUsd(job.budgetUsd)} (${formatUsd(job.costUsd)} spent). Raise the budget in options and generate again; finished descriptions are kept and not paid for twice.`,
          action: 'raise-budget',
        });
      }
      let charged: number | null = null;
      try {
        await this.gate.wait(host, signal);
        const response = await this.deps.describe({ prompt, image, record, signal });
        charged = response.costUsd ?? 0;
        // Charged even when the answer is unusable: count it before judging it.
        this.charge(record, charged);
        if (job.error?.code === 'rate-limited') {
          job.error = null;
          job.waitingUntil = null;
        }
        await this.deps.recordRun?.(job.modelId, charged, response.latencyMs).catch(() => undefined);
        const clean = sanitizeCaption(response.text, record.settings.length);
        if (!clean.ok) throw new ProviderError({ code: 'unusable-answer', message: clean.reason }, 'item', null);
        return {
          entry: { alt: clean.alt, longDescription: clean.longDescription, decorative: clean.decorative, modelId: job.modelId, costUsd: charged, at: this.deps.clock.now() },
          charged,
          fresh: true,
        };
      } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        if (e.scope === 'fatal') throw new JobStop('failed', e.error);
        if (e.scope === 'item') throw e;
        if (attempt >= MAX_ATTEMPTS) {
          throw new ProviderError({ ...e.error, message: `${e.error.message.replace(/ AltScout tried again;.*$/, '')} Gave up after ${MAX_ATTEMPTS} tries; retry this image later.` }, 'item', e.status);
        }
        if (e.retryAfterMs != null && e.retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new JobStop('paused', { code: 'rate-limited', message: `${e.error.message.replace(/;.*$/, '')} for ${Math.ceil(e.retryAfterMs / 60000)} minutes. Generate again later; finished descriptions are kept.`, action: 'retry' });
        }
        const delay = retryDelay(attempt, e.retryAfterMs, this.deps.random);
        if (e.retryAfterMs != null) {
          const until = this.deps.clock.now() + delay;
          this.gate.block(host, until);
          job.error = e.error;
          job.waitingUntil = until;
        }
        await this.touch(record);
        // The slot is given back while waiting so a long wait never blocks the budget check.
        budget.release(null);
        charged = -1;
        await this.deps.clock.sleep(delay, signal);
      } finally {
        if (charged !== -1) budget.release(charged);
      }
    }
  }

  private charge(record: JobRecord, usdCharged: number) {
    // Kept on the job as well as per item so money spent on refusals and retries is counted.
    record.job.costUsd += usdCharged;
  }
}
