import type { ReactNode } from 'react';
import { act, render } from '@testing-library/react';
import { jobsItem } from '@/lib/storage';
import { storeRecord, type StoredJob } from '@/lib/jobs/record';
import { parseInput, parseOutput, type Input, type MessageName, type Output } from '@/lib/messaging';
import { PlatformContext, type Platform } from '@/components/api';
import { Workbench } from '@/components/Workbench';
import type { AccessChoice, HostAccess } from '@/components/host-access';
import type { Finding } from '@/lib/scan/schema';
import type { Job, JobItem } from '@/lib/jobs/schema';
import type { StartJobRequest } from '@/components/start-job';
import type { PageSummary } from '@/lib/page/schema';
import type { Ranking, RankedModel } from '@/lib/ranking/schema';

/** Test data for the popup and report views; every answer passes the protocol's own schemas. */

export const TAB = 7;
export const PAGE_URL = 'https://shop.example/menu';
/** The token of the scanned document, as every finding id names it ("0:menu:f1"). */
export const DOC = 'menu';

export function finding(n: number, over: Partial<Finding> = {}): Finding {
  return {
    id: `0:${DOC}:f${n}`, frameId: 0, selector: `main > img:nth-of-type(${n})`, kind: 'img', status: 'missing',
    reasons: [{ code: 'no-alt', text: 'No alt attribute' }], alt: null, src: `https://shop.example/img/${n}.png`,
    width: 120, height: 90, context: { pageTitle: 'Menu', lang: 'en' }, ...over,
  };
}

export const FINDINGS: Finding[] = [
  finding(1),
  finding(2),
  finding(3, { status: 'suspicious', alt: 'IMG_2041.jpg', reasons: [{ code: 'file-name', text: 'Alt is a file name' }] }),
  finding(4),
  finding(5, { status: 'decorative', alt: '' }),
];

export const SUMMARY: Extract<PageSummary, { supported: true }> = {
  supported: true, tabId: TAB, url: PAGE_URL, title: 'Menu', frames: 1, scannedAt: 1, page: DOC,
  needsAccess: { frames: [], images: [] },
  counts: { missing: 3, suspicious: 1, decorative: 1, ok: 2, ignored: 0 },
  findings: FINDINGS,
};

function model(rank: number, id: string, name: string, over: Partial<RankedModel> = {}): RankedModel {
  return {
    rank, id, name, tier: null, quality: 60, usdPer1kImages: 0.5, costSource: 'estimate', speed: 50, free: false,
    reasons: [], ...over,
  };
}

export const MODELS = {
  free: model(4, 'meta/vision:free', 'Meta: Vision Free', { tier: 'free', free: true, usdPer1kImages: 0, quality: 40 }),
  budget: model(1, 'google/gemini-3.1-flash-lite', 'Google: Gemini 3.1 Flash Lite', { tier: 'budget', usdPer1kImages: 0.17, quality: 71 }),
  balanced: model(2, 'openai/gpt-5-mini', 'OpenAI: GPT-5 Mini', { tier: 'balanced', usdPer1kImages: 0.9, quality: 80 }),
  best: model(3, 'anthropic/claude-opus', 'Anthropic: Claude Opus', { tier: 'best', usdPer1kImages: 12, quality: 92 }),
  other: model(5, 'acme/unrated-vision', 'Acme: Unrated Vision', { quality: null, usdPer1kImages: 0.05 }),
};

export const RANKING: Ranking = {
  task: 'captioning',
  models: Object.values(MODELS),
  tiers: {
    free: { pick: MODELS.free.id, runnersUp: [] },
    budget: { pick: MODELS.budget.id, runnersUp: [] },
    balanced: { pick: MODELS.balanced.id, runnersUp: [] },
    best: { pick: MODELS.best.id, runnersUp: [] },
  },
  catalog: { source: 'live', fetchedAt: 1_000, error: null, ranked: true, skipped: 0 },
};

export function jobItem(f: Finding, over: Partial<JobItem> = {}): JobItem {
  return {
    id: f.id, frameId: f.frameId, selector: f.selector, src: f.src, oldAlt: f.alt, state: 'queued',
    costUsd: 0, cached: false, attempts: 0, ...over,
  };
}

export function job(items: JobItem[], over: Partial<Job> = {}): Job {
  const done = items.filter((i) => i.state === 'done').length;
  return {
    id: 'job-1', tabId: TAB, pageUrl: PAGE_URL, modelId: MODELS.budget.id, state: 'running', done,
    total: items.length, costUsd: items.reduce((s, i) => s + i.costUsd, 0), budgetUsd: 1, error: null, items,
    createdAt: 1, updatedAt: 2, ...over,
  };
}

export const caption = (f: Finding) => `Caption for ${f.id}`;
export const doneItem = (f: Finding) => jobItem(f, { state: 'done', alt: caption(f), costUsd: 0.0002, attempts: 1 });

/** A job record as the worker stores it; the UI reads only its `job`. */
/** A job as the worker stores it in the jobs storage item (lib/jobs/record.ts). */
export function recordOf(j: Job): StoredJob {
  return storeRecord({
    job: j,
    settings: { provider: 'openrouter', apiBase: 'https://openrouter.ai/api/v1', concurrency: 4, markAiGenerated: false, length: 'short', language: '', regenerate: false },
  });
}

/**
 * Does what the worker does when a job changes: saves every job in the jobs storage item, which
 * the views follow through storage change events.
 */
export async function storeJobs(...jobs: Job[]): Promise<void> {
  await act(() => jobsItem.setValue(jobs.map(recordOf)));
}

/** What the UI asked the worker to start (contract 2: only what the user chose, no settings, no details). */
export function startRequests(platform: FakePlatform): StartJobRequest[] {
  return platform.callsTo('startJob');
}

/** The finding ids a start request names (none for the context menu's one image). */
export const idsOf = (request: StartJobRequest) => (request.target.kind === 'findings' ? request.target.ids : []);

type Handlers = { [K in MessageName]?: (data: Input<K>) => Output<K> | Promise<Output<K>> };

export interface FakeHostAccess extends HostAccess {
  /** Patterns held now; `all` stands for every site. */
  held: Set<string>;
  /** Every request, in order, and whether the user said yes to it. */
  requests: Array<{ choice: AccessChoice; origins: string[] }>;
  /** Which patterns are required by the manifest (listed, not removable). */
  required: Set<string>;
  answer: boolean;
}

/** The browser's permission store: grants what a request asks for when `answer` is true. */
export function fakeHostAccess(held: string[] = ['all']): FakeHostAccess {
  const access: FakeHostAccess = {
    held: new Set(held),
    requests: [],
    required: new Set(),
    answer: true,
    missing: async (origins) => (access.held.has('all') ? [] : origins.filter((o) => !access.held.has(o))),
    request(choice, origins) {
      access.requests.push({ choice, origins });
      if (access.answer) for (const o of choice === 'all' ? ['all'] : origins) access.held.add(o);
      return Promise.resolve(access.answer);
    },
    granted: async () => [...access.held].map((origin) => ({ origin, removable: !access.required.has(origin) })),
    revoke: async (origin) => access.held.delete(origin),
    onChange: () => () => undefined,
  };
  return access;
}

export interface FakePlatform extends Platform {
  hostAccess: FakeHostAccess;
  calls: Array<{ name: MessageName; data: unknown }>;
  callsTo<K extends MessageName>(name: K): Array<Input<K>>;
  downloads: Array<{ fileName: string; mime: string; text: string }>;
  copied: string[];
  opened: string[];
  handlers: Handlers;
}

/** Answers messages through `handlers`, checking both sides against the protocol map. */
export function fakePlatform(handlers: Handlers = {}): FakePlatform {
  const platform: FakePlatform = {
    calls: [],
    downloads: [],
    copied: [],
    opened: [],
    handlers: {
      getPageSummary: () => SUMMARY,
      getRanking: () => RANKING,
      ...handlers,
    },
    callsTo: (name) => platform.calls.filter((c) => c.name === name).map((c) => c.data as never),
    async send(name, data) {
      parseInput(name, data);
      platform.calls.push({ name, data });
      const handler = platform.handlers[name] as ((d: unknown) => unknown) | undefined;
      if (!handler) throw new Error(`No handler for ${name}`);
      return parseOutput(name, await handler(data));
    },
    openTab: async (path) => void platform.opened.push(path),
    openOptions: async () => void platform.opened.push('options'),
    copy: async (text) => void platform.copied.push(text),
    download: (fileName, mime, text) => void platform.downloads.push({ fileName, mime, text }),
    now: () => 2_000,
    hostAccess: fakeHostAccess(),
  };
  return platform;
}

export function renderWorkbench(platform: Platform, mode: 'popup' | 'report' = 'popup'): ReturnType<typeof render> {
  return render(wrap(platform, <Workbench tabId={TAB} mode={mode} />));
}

export const wrap = (platform: Platform, node: ReactNode) => <PlatformContext.Provider value={platform}>{node}</PlatformContext.Provider>;
