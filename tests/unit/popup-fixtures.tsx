import type { ReactNode } from 'react';
import { render } from '@testing-library/react';
import { parseInput, parseOutput, type Input, type MessageName, type Output } from '@/lib/messaging';
import { PlatformContext, type Platform } from '@/components/api';
import { Workbench } from '@/components/Workbench';
import type { Finding } from '@/lib/scan/schema';
import type { Job, JobItem } from '@/lib/jobs/schema';
import type { PageSummary } from '@/lib/page/schema';
import type { Ranking, RankedModel } from '@/lib/ranking/schema';

/** Test data for the popup and report views; every answer passes the protocol's own schemas. */

export const TAB = 7;
export const PAGE_URL = 'https://shop.example/menu';

export function finding(n: number, over: Partial<Finding> = {}): Finding {
  return {
    id: `0:f${n}`, frameId: 0, selector: `main > img:nth-of-type(${n})`, kind: 'img', status: 'missing',
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
  supported: true, tabId: TAB, url: PAGE_URL, title: 'Menu', frames: 1, scannedAt: 1,
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

type Handlers = { [K in MessageName]?: (data: Input<K>) => Output<K> | Promise<Output<K>> };

export interface FakePlatform extends Platform {
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
      getJob: () => null,
      // The page's answer for the images about to be described: a heading per image, so a test
      // can tell fetched context from the scan's.
      getFindingDetails: ({ ids }) => ({ details: ids.map((id) => ({ id, context: { pageTitle: 'Menu', lang: 'en', heading: `Heading of ${id}` }, width: 240, height: 180 })) }),
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
  };
  return platform;
}

export function renderWorkbench(platform: Platform, mode: 'popup' | 'report' = 'popup'): ReturnType<typeof render> {
  return render(wrap(platform, <Workbench tabId={TAB} mode={mode} />));
}

export const wrap = (platform: Platform, node: ReactNode) => <PlatformContext.Provider value={platform}>{node}</PlatformContext.Provider>;
