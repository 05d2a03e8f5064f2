import { buildPrompt, type Prompt } from '../caption/prompt';
import { sanitizeCaption, withAiMark } from '../caption/sanitize';
import { ProviderError, providerError, type JobError } from '../caption/errors';
import { captionerConcurrency, captionerHost, chooseCaptioner } from '../caption/captioner';
import type { CaptionResponse } from '../caption/openai';
import { isImageSkip, type PreparedImage } from '../image';
import { cacheKey, cacheScope, type CacheEntry, type CaptionCache } from './cache';
import { formatUsd } from '../money';
import { BudgetGate, HostGate, MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, retryDelay, type Clock } from './limits';
import { JOBS_BUDGET_BYTES, keepWithinBudget, readStoredJob, serialiseRecord, utf8Bytes, type JobRecord, type JobRunSettings, type StoredJob } from './record';
import type { Job, JobItem, JobItemInput } from './schema';

/** An image the page could not give (its frame is gone, it left the page, it changed): skipped with the reason. */
export interface MissingInput {
  id: string;
  frameId: number;
  skip: { code: string; message: string };
}
export type StartItem = JobItemInput | MissingInput;
export const isMissing = (item: StartItem): item is MissingInput => 'skip' in item;

export interface NewJob {
  tabId: number;
  /** The page the job is for (the tab's address when it started). */
  pageUrl: string;
  modelId: string;
  /** In the order the user chose them; repeated ids count once. */
  items: StartItem[];
  /** Describe again even when a cached caption exists. */
  regenerate?: boolean;
}

export type StartSettings = Omit<JobRunSettings, 'regenerate'> & { budgetUsd: number };

export interface RunnerDeps {
  clock: Clock;
  random: () => number;
  newId: () => string;
  /** Persisted jobs, one StoredJob (the record as JSON) per job, newest first (storage.session in the extension). */
  store: { load(): Promise<unknown[]>; save(records: StoredJob[]): Promise<void> };
  cache: CaptionCache;
  loadImage(input: JobItemInput, record: JobRecord, signal: AbortSignal): Promise<PreparedImage>;
  hash(bytes: Uint8Array): Promise<string>;
  describe(req: { prompt: Prompt; image: PreparedImage; record: JobRecord; signal: AbortSignal }): Promise<CaptionResponse>;
  /**
   * After a worker restart, asks the page again for what the record does not keep (context, size,
   * data: URLs) for these items; an item left out, or given as missing, is skipped with its reason.
   */
  reloadInputs?(record: JobRecord, items: JobItem[]): Promise<StartItem[]>;
  recordRun?(modelId: string, costUsd: number, latencyMs: number): Promise<void>;
  /** A per-call cost known before the first call (measured earlier, else estimated); null when unknown. */
  estimateCostUsd?(modelId: string): Promise<number | null>;
  /** Told when work starts and stops, e.g. to keep an MV3 worker alive. */
  onActive?(active: boolean): void;
  onChange?(job: Job): void;
  /** Room for all kept records, in bytes of their serialised form. */
  budgetBytes?: number;
  /** Progress is saved at most this often (the start, the end, cancel and retry are saved at once). */
  saveIntervalMs?: number;
}

interface Described { entry: CacheEntry; charged: number; fresh: boolean; latencyMs?: number }

class JobStop extends Error {
  constructor(readonly state: 'paused' | 'failed', readonly jobError: JobError) {
    super(jobError.message);
  }
}

/** This image failed (a refusal, an unusable answer, retries used up); the job goes on. */
class ItemFailure extends Error {
  constructor(readonly jobError: JobError) {
    super(jobError.message);
  }
}

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError' || (e as { name?: string })?.name === 'AbortError';
const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));
const textBytes = (text: string) => new TextEncoder().encode(text);

export const NOT_KEPT = 'That job is no longer kept (older jobs make room for newer ones). Generate again; finished captions come from the cache for free.';

/**
 * Runs caption jobs: fetch and shrink each image, describe it with the chosen model, clean the
 * answer, keep it. State is saved as it changes so a stopped worker resumes where it was, and
 * captions are cached by image content and page context so nothing is paid for twice.
 */
export class JobRunner {
  private records = new Map<string, JobRecord>();
  /** What each item's image is, per job: known from the start, or read from the page again after a restart. */
  private inputs = new Map<string, Map<string, StartItem>>();
  private controllers = new Map<string, AbortController>();
  private running = new Map<string, Promise<void>>();
  /** One model call per identical image and context at a time, across jobs. */
  private inflight = new Map<string, Promise<Described>>();
  private gate: HostGate;
  private loaded: Promise<void> | null = null;
  /** Saving: every change bumps `changes`; `savedUpTo` is the last change a successful save included. */
  private changes = 0;
  private savedUpTo = 0;
  private failure: { upTo: number; error: unknown } | null = null;
  private urgent = false;
  private lastSaveAt = Number.NEGATIVE_INFINITY;
  /** Time between progress saves: the interval, or longer when saving itself takes long (a record of thousands of images). */
  private saveGap = 0;
  private writing: Promise<void> | null = null;
  private wake: AbortController | null = null;
  /** Each record's changes, and its serialised form as of a change: a job that did not change is not serialised again. */
  private versions = new WeakMap<JobRecord, number>();
  private texts = new WeakMap<JobRecord, { version: number; text: string; bytes: number }>();

  constructor(private deps: RunnerDeps) {
    this.gate = new HostGate(deps.clock);
  }

  private async ensureLoaded(): Promise<void> {
    this.loaded ??= this.deps.store.load().then((list) => {
      for (const entry of list) {
        const parsed = readStoredJob(entry);
        if (parsed.ok && !this.records.has(parsed.record.job.id)) this.records.set(parsed.record.job.id, parsed.record);
      }
    });
    return this.loaded;
  }

  // ---- saving ----------------------------------------------------------------------------

  /** Notes a change; it is saved soon (at most every saveIntervalMs), or at once when urgent. */
  private schedule(urgent = false): void {
    this.changes += 1;
    if (urgent) {
      this.urgent = true;
      this.wake?.abort();
    }
    this.writing ??= this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    try {
      while (this.savedUpTo < this.changes) {
        const wait = this.lastSaveAt + Math.max(this.deps.saveIntervalMs ?? 250, this.saveGap) - this.deps.clock.now();
        if (!this.urgent && wait > 0) {
          // An urgent save (start, cancel, retry, the end of a run) cuts the wait short.
          this.wake = new AbortController();
          await this.deps.clock.sleep(wait, this.wake.signal).catch(() => undefined);
          this.wake = null;
        }
        this.urgent = false;
        const upTo = this.changes;
        const started = this.deps.clock.now();
        try {
          await this.saveNow();
          this.savedUpTo = upTo;
          this.failure = null;
        } catch (error) {
          this.failure = { upTo, error };
          return;
        } finally {
          this.lastSaveAt = this.deps.clock.now();
          // Saving takes at most a fifth of the time.
          this.saveGap = 4 * (this.lastSaveAt - started);
        }
      }
    } finally {
      this.writing = null;
    }
  }

  /** Every record, newest first, within the byte budget; records that do not fit are dropped from memory too once saved. */
  private async saveNow(): Promise<void> {
    const { kept, dropped } = keepWithinBudget([...this.records.values()], this.deps.budgetBytes ?? JOBS_BUDGET_BYTES, (record) => {
      const version = this.versions.get(record) ?? 0;
      const known = this.texts.get(record);
      if (known?.version === version) return known;
      const text = serialiseRecord(record);
      const sized = { version, text, bytes: utf8Bytes(text) };
      this.texts.set(record, sized);
      return sized;
    });
    await this.deps.store.save(kept.map((k) => k.stored));
    // Only once storage holds the smaller set: a refused save drops nothing.
    for (const record of dropped) this.forget(record.job.id);
  }

  /** Resolves once a save that includes every change so far has succeeded; rejects if that save failed. */
  private async flush(): Promise<void> {
    this.schedule(true);
    const target = this.changes;
    while (this.savedUpTo < target) {
      if (this.failure && this.failure.upTo >= target) throw this.failure.error;
      this.writing ??= this.writeLoop();
      await this.writing;
    }
  }

  /**
   * A save after progress. When the browser refuses it, the job carries on in memory (getJob
   * answers from there) and the next change saves again; captions already paid for are in the cache.
   */
  private async saveProgress(): Promise<void> {
    await this.flush().catch((error: unknown) => console.warn(`AltScout could not save job progress: ${errorText(error)}`));
  }

  private forget(id: string): void {
    this.records.delete(id);
    this.inputs.delete(id);
  }

  private touch(record: JobRecord): void {
    this.versions.set(record, (this.versions.get(record) ?? 0) + 1);
    record.job.updatedAt = this.deps.clock.now();
    this.deps.onChange?.(record.job);
    this.schedule();
  }

  /** Every change of an item's state goes through here, so the done count stays right without recounting. */
  private setState(job: Job, item: JobItem, state: JobItem['state']): void {
    if (item.state === 'done') job.done -= 1;
    if (state === 'done') job.done += 1;
    item.state = state;
  }

  // ---- public ----------------------------------------------------------------------------

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

  /**
   * Records the job and starts it. When storage refuses the record, nothing is left behind (no
   * half-recorded job) and the caller gets a plain error.
   */
  async start(input: NewJob, settings: StartSettings): Promise<Job> {
    await this.ensureLoaded();
    const now = this.deps.clock.now();
    const id = this.deps.newId();
    const items: JobItem[] = [];
    const inputs = new Map<string, StartItem>();
    for (const entry of input.items) {
      if (inputs.has(entry.id)) continue;
      inputs.set(entry.id, entry);
      if (isMissing(entry)) {
        items.push({ id: entry.id, frameId: entry.frameId, selector: '', src: null, oldAlt: null, state: 'skipped', error: entry.skip.message, errorCode: entry.skip.code, costUsd: 0, cached: false, attempts: 0 });
        continue;
      }
      const isData = entry.src?.startsWith('data:') === true;
      items.push({
        id: entry.id, frameId: entry.frameId, selector: entry.selector, oldAlt: entry.alt, state: 'queued', costUsd: 0, cached: false, attempts: 0,
        src: isData ? null : entry.src,
        ...(isData ? { srcHash: await this.deps.hash(textBytes(entry.src!)) } : {}),
      });
    }
    const { budgetUsd, ...run } = settings;
    const record: JobRecord = {
      job: {
        id, tabId: input.tabId, pageUrl: input.pageUrl, modelId: input.modelId, state: 'running', done: 0, total: items.length,
        costUsd: 0, budgetUsd, error: null, items, createdAt: now, updatedAt: now, waitingUntil: null,
        language: run.language || undefined,
      },
      settings: { ...run, regenerate: input.regenerate ?? false },
    };
    this.records.set(id, record);
    this.inputs.set(id, inputs);
    try {
      await this.flush();
    } catch (error) {
      this.forget(id);
      this.schedule();
      throw new Error(`AltScout could not save this job, so it did not start (${errorText(error)}). Try again, or describe fewer images at a time.`);
    }
    this.deps.onChange?.(record.job);
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
      for (const item of record.job.items) if (item.state === 'queued' || item.state === 'running') this.setState(record.job, item, 'cancelled');
    }
    this.touch(record);
    await this.flush();
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
    // An image the page could not give before is asked for again.
    const known = this.inputs.get(jobId);
    const input = known?.get(itemId);
    if (input && isMissing(input)) known!.delete(itemId);
    this.setState(record.job, item, 'queued');
    Object.assign(item, { error: undefined, errorCode: undefined, attempts: 0 });
    if (record.job.state !== 'running') {
      record.job.state = 'running';
      record.job.error = null;
    }
    this.touch(record);
    await this.flush();
    if (!this.running.has(jobId)) this.launch(record);
    return record.job;
  }

  /** After a worker restart: jobs that were running carry on; calls cut off mid-flight run again. */
  async resumeAll(): Promise<number> {
    await this.ensureLoaded();
    let resumed = 0;
    for (const record of this.records.values()) {
      if (record.job.state !== 'running' || this.running.has(record.job.id)) continue;
      for (const item of record.job.items) if (item.state === 'running') this.setState(record.job, item, 'queued');
      record.job.waitingUntil = null;
      this.touch(record);
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
    if (!record) throw new Error(NOT_KEPT);
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

  private stopJob(record: JobRecord, state: 'paused' | 'failed', error: JobError): void {
    const { job } = record;
    job.state = state;
    job.error = error;
    job.waitingUntil = null;
    const left = state === 'failed' ? 'cancelled' : 'queued';
    for (const item of job.items) if (item.state === 'queued' || item.state === 'running') this.setState(job, item, left);
    this.touch(record);
  }

  // ---- running ---------------------------------------------------------------------------

  /** Inputs for the queued items that have none in memory (after a worker restart): read from the page again. */
  private async ensureInputs(record: JobRecord, queue: JobItem[]): Promise<void> {
    let inputs = this.inputs.get(record.job.id);
    if (!inputs) this.inputs.set(record.job.id, (inputs = new Map()));
    const lacking = queue.filter((item) => !inputs.has(item.id));
    if (lacking.length === 0) return;
    const reread = this.deps.reloadInputs ? await this.deps.reloadInputs(record, lacking).catch(() => []) : [];
    const found = new Map(reread.map((entry) => [entry.id, entry]));
    for (const item of lacking) {
      const entry = found.get(item.id);
      if (!entry) {
        inputs.set(item.id, { id: item.id, frameId: item.frameId, skip: { code: 'not-found', message: 'AltScout could not find this image on the page again after a restart. Scan the page again and generate.' } });
      } else if (!isMissing(entry) && !(await this.sameImage(item, entry))) {
        inputs.set(item.id, { id: item.id, frameId: item.frameId, skip: { code: 'page-changed', message: 'This image changed on the page since the job started. Scan the page again and generate.' } });
      } else {
        inputs.set(item.id, entry);
      }
    }
  }

  /** The page's image is the one the job recorded: the same address, or a data: URL with the same hash. */
  private async sameImage(item: JobItem, input: JobItemInput): Promise<boolean> {
    if (item.srcHash) return input.src != null && (await this.deps.hash(textBytes(input.src))) === item.srcHash;
    return input.src === item.src;
  }

  private async run(record: JobRecord, outer: AbortSignal): Promise<void> {
    const { job } = record;
    const estimate = (await this.deps.estimateCostUsd?.(job.modelId).catch(() => null)) ?? null;
    const budget = new BudgetGate(job.budgetUsd, () => job.costUsd, estimate);
    const concurrency = Math.max(1, captionerConcurrency(chooseCaptioner(record.settings, job.modelId), record.settings.concurrency));
    // A fatal answer (bad key, no credit) stops the calls still in flight too: they would fail the same way.
    const stopAll = new AbortController();
    const signal = AbortSignal.any([outer, stopAll.signal]);
    let stop: JobStop | null = null;

    // Loop so that items queued again by retryItem while this run was busy are picked up too.
    for (;;) {
      const queue = job.items.filter((i) => i.state === 'queued');
      if (queue.length === 0 || stop || signal.aborted) break;
      await this.ensureInputs(record, queue);
      const images = new ImageMemo(this, record, queue, signal);
      const worker = async () => {
        while (!signal.aborted && !stop) {
          const item = queue.shift();
          if (!item) return;
          // Fetch and shrink the next images while this one waits on the model.
          for (const next of queue.slice(0, concurrency)) images.prefetch(next);
          try {
            await this.process(record, item, budget, images, signal);
          } catch (e) {
            if (e instanceof JobStop) {
              stop ??= e;
              if (e.state === 'failed') stopAll.abort(new DOMException('Stopped', 'AbortError'));
              if (item.state === 'running') this.setState(job, item, 'queued');
            } else if (e instanceof ItemFailure) {
              this.finishItem(job, item, 'failed', e.jobError);
            } else if (!isAbort(e)) {
              this.finishItem(job, item, 'failed', { message: `Something unexpected went wrong: ${errorText(e)}. Retry this image.`, code: 'internal' });
            }
          } finally {
            images.done(item);
          }
          this.touch(record);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
    }

    if (job.state !== 'running') return void (await this.saveProgress()); // cancelled or paused meanwhile
    const reason = stop as JobStop | null; // set by the workers above
    if (reason) {
      this.stopJob(record, reason.state, reason.jobError);
    } else {
      job.state = 'done';
      job.waitingUntil = null;
      // While a job runs, its error is only ever the notice of a wait: done, there is nothing to wait for.
      job.error = null;
      this.touch(record);
    }
    await this.saveProgress();
  }

  private finishItem(job: Job, item: JobItem, state: 'skipped' | 'failed', error: { message: string; code: string }) {
    this.setState(job, item, state);
    item.error = error.message;
    item.errorCode = error.code;
  }

  private async process(record: JobRecord, item: JobItem, budget: BudgetGate, images: ImageMemo, signal: AbortSignal): Promise<void> {
    const { job } = record;
    const input = this.inputs.get(job.id)?.get(item.id);
    if (!input || isMissing(input)) {
      const skip = input && isMissing(input) ? input.skip : { code: 'not-found', message: 'AltScout could not find this image on the page. Scan the page again and generate.' };
      return this.finishItem(job, item, 'skipped', skip);
    }
    this.setState(job, item, 'running');
    item.attempts += 1;
    this.touch(record);

    let image: PreparedImage;
    try {
      image = await images.get(item);
    } catch (e) {
      if (isImageSkip(e)) return this.finishItem(job, item, 'skipped', { message: e.message, code: e.code });
      throw e;
    }

    const prompt = buildPrompt({ kind: input.kind, context: input.context, language: record.settings.language, length: record.settings.length });
    job.language ??= prompt.language;
    const key = await cacheKey({
      imageHash: await this.deps.hash(image.sourceBytes),
      modelId: job.modelId,
      language: prompt.language,
      purpose: prompt.purpose,
      length: record.settings.length,
      scope: cacheScope(input.frameUrl, job.pageUrl),
      context: prompt.context,
    }, this.deps.hash);

    let result: Described;
    const bypassCache = record.settings.regenerate || record.regenerateIds?.includes(item.id) === true;
    const cached = bypassCache ? undefined : await this.deps.cache.get(key).catch(() => undefined);
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
        if (!mine && e instanceof ItemFailure) return this.finishItem(job, item, 'failed', e.jobError);
        throw e;
      } finally {
        if (mine) this.inflight.delete(key);
      }
      // Paid for already: a cache that cannot be written costs a later cache miss, never this caption.
      if (mine && result.fresh) await this.deps.cache.set(key, result.entry).catch(() => undefined);
    }
    this.setState(job, item, 'done');
    if (record.regenerateIds) record.regenerateIds = record.regenerateIds.filter((id) => id !== item.id);
    item.alt = withAiMark(result.entry.alt, record.settings.markAiGenerated);
    item.decorative = result.entry.decorative || undefined;
    item.longDescription = result.entry.longDescription;
    item.cached = !result.fresh;
    item.costUsd = result.charged;
    item.latencyMs = result.fresh ? result.latencyMs : undefined;
    item.error = undefined;
    item.errorCode = undefined;
  }

  /** Loads one item's image (ImageMemo shares it between items showing the same file). */
  loadImage(record: JobRecord, item: JobItem, signal: AbortSignal): Promise<PreparedImage> {
    const input = this.inputs.get(record.job.id)?.get(item.id);
    if (!input || isMissing(input)) return Promise.reject(new Error('no input'));
    return this.deps.loadImage(input, record, signal);
  }

  /** The model call with retries; throws JobStop (whole job), ItemFailure (this image), or an abort. */
  private async callModel(record: JobRecord, prompt: Prompt, image: PreparedImage, budget: BudgetGate, signal: AbortSignal): Promise<Described> {
    const host = captionerHost(chooseCaptioner(record.settings, record.job.modelId));
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
        job.costUsd += charged;
        if (job.error) {
          // A call went through: the wait the job was showing is over.
          job.error = null;
          job.waitingUntil = null;
        }
        await this.deps.recordRun?.(job.modelId, charged, response.latencyMs).catch(() => undefined);
        const clean = sanitizeCaption(response.text, record.settings.length);
        if (!clean.ok) throw new ItemFailure(providerError('unusable-answer', { detail: clean.reason }).jobError());
        return {
          entry: { alt: clean.alt, longDescription: clean.longDescription, decorative: clean.decorative, modelId: job.modelId, costUsd: charged, at: this.deps.clock.now() },
          charged,
          fresh: true,
          latencyMs: response.latencyMs,
        };
      } catch (e) {
        if (!(e instanceof ProviderError)) throw e;
        if (e.scope === 'fatal') throw new JobStop('failed', e.jobError());
        if (e.scope === 'item') throw new ItemFailure(e.jobError());
        if (attempt >= MAX_ATTEMPTS) throw new ItemFailure(e.jobError({ kind: 'gave-up', attempts: MAX_ATTEMPTS }));
        if (e.retryAfterMs != null && e.retryAfterMs > MAX_RETRY_AFTER_MS) {
          throw new JobStop('paused', { ...e.jobError({ kind: 'paused', waitMs: e.retryAfterMs }), code: 'rate-limited' });
        }
        const delay = retryDelay(attempt, e.retryAfterMs, this.deps.random);
        if (e.retryAfterMs != null) {
          const until = this.deps.clock.now() + delay;
          this.gate.block(host, until);
          job.error = e.jobError();
          job.waitingUntil = until;
        }
        this.touch(record);
        // The slot is given back while waiting so a long wait never blocks the budget check.
        budget.release(null);
        charged = -1;
        await this.deps.clock.sleep(delay, signal);
      } finally {
        if (charged !== -1) budget.release(charged);
      }
    }
  }
}

/**
 * Several elements often show the same file: it is fetched and shrunk once per run, and let go
 * once no item still waiting in this run shows it (a 10,000-image job must not hold every image).
 */
class ImageMemo {
  private promises = new Map<string, Promise<PreparedImage>>();
  private waiting = new Map<string, number>();

  constructor(private runner: JobRunner, private record: JobRecord, queue: JobItem[], private signal: AbortSignal) {
    for (const item of queue) this.waiting.set(this.keyOf(item), (this.waiting.get(this.keyOf(item)) ?? 0) + 1);
  }

  private keyOf(item: JobItem): string {
    if (item.srcHash) return `hash:${item.srcHash}`;
    return item.src ? `src:${item.src}` : `el:${item.frameId}:${item.selector || item.id}`;
  }

  get(item: JobItem): Promise<PreparedImage> {
    const key = this.keyOf(item);
    let promise = this.promises.get(key);
    if (!promise) {
      promise = this.runner.loadImage(this.record, item, this.signal);
      this.promises.set(key, promise);
    }
    return promise;
  }

  prefetch(item: JobItem): void {
    this.get(item).catch(() => undefined);
  }

  done(item: JobItem): void {
    const key = this.keyOf(item);
    const left = (this.waiting.get(key) ?? 1) - 1;
    if (left > 0) this.waiting.set(key, left);
    else {
      this.waiting.delete(key);
      this.promises.delete(key);
    }
  }
}
