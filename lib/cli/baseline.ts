import type { Status } from '../scan/schema';
import type { ImageResult, PageResult } from './result';

/**
 * `--baseline`: which problems (missing and suspicious images) are new since a previous result,
 * which are unchanged and which are fixed. Images are matched per page by selector, source, kind
 * and status; what is left is matched by source, kind and status alone, so an image whose
 * selector moved (an element added above it) is still the same problem.
 */
export const PROBLEMS: readonly Status[] = ['missing', 'suspicious'];

export interface BaselineTotals {
  new: number;
  fixed: number;
  unchanged: number;
}

const isProblem = (i: ImageResult) => PROBLEMS.includes(i.status);

export function compareWithBaseline(pages: PageResult[], baseline: PageResult[]): { pages: PageResult[]; totals: BaselineTotals } {
  const before = new Map<string, PageResult>();
  for (const p of baseline) if (!p.error) before.set(p.url, p);
  const totals: BaselineTotals = { new: 0, fixed: 0, unchanged: 0 };
  const out = pages.map((page) => {
    if (page.error) return page;
    const old = before.get(page.url);
    const diff = diffPage(page.images, old?.images ?? []);
    totals.new += diff.news;
    totals.unchanged += diff.unchanged;
    totals.fixed += diff.fixed.length;
    return { ...page, images: diff.images, fixed: diff.fixed };
  });
  return { pages: out, totals };
}

function diffPage(current: ImageResult[], previous: ImageResult[]) {
  const left = previous.filter(isProblem);
  const used = new Array<boolean>(left.length).fill(false);
  const change = new Map<number, 'new' | 'unchanged'>();
  const keyed = (keyOf: (i: ImageResult) => string | null) => {
    const index = new Map<string, number[]>();
    left.forEach((img, i) => {
      const key = keyOf(img);
      if (key !== null && !used[i]) index.set(key, [...(index.get(key) ?? []), i]);
    });
    current.forEach((img, i) => {
      if (!isProblem(img) || change.has(i)) return;
      const key = keyOf(img);
      const match = key === null ? undefined : index.get(key)?.find((j) => !used[j]);
      if (match === undefined) return;
      used[match] = true;
      change.set(i, 'unchanged');
    });
  };
  keyed((i) => JSON.stringify([i.frame, i.selector, i.src, i.kind, i.status]));
  keyed((i) => (i.src ? JSON.stringify([i.src, i.kind, i.status]) : null));
  let news = 0;
  let unchanged = 0;
  const images = current.map((img, i) => {
    if (!isProblem(img)) return img;
    const state = change.get(i) ?? 'new';
    if (state === 'new') news += 1;
    else unchanged += 1;
    return { ...img, change: state };
  });
  return { images, news, unchanged, fixed: left.filter((_, i) => !used[i]).map(({ change: _c, thumbnail: _t, ...img }) => img) };
}
