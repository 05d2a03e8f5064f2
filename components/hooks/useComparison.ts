import { useEffect, useMemo, useState } from 'react';
import { ComparisonsSchema, type Comparison } from '@/lib/compare/schema';
import type { Job } from '@/lib/jobs/schema';
import { comparisonsItem } from '@/lib/storage';
import { useJobRecords } from './useJob';
import { selectJob } from '@/lib/ui/follow-job';

/** Follows one storage item through `watch` (storage change events, no polling); the first read never overwrites a change. */
function useWatched<T>(item: { watch(cb: (value: T) => void): () => void; getValue(): Promise<T> }): { value: T | undefined; loaded: boolean } {
  const [state, setState] = useState<{ value: T | undefined; loaded: boolean }>({ value: undefined, loaded: false });
  useEffect(() => {
    let changed = false;
    let live = true;
    const unwatch = item.watch((next) => {
      changed = true;
      setState({ value: next, loaded: true });
    });
    item.getValue().then(
      (value) => live && !changed && setState({ value, loaded: true }),
      () => live && !changed && setState({ value: undefined, loaded: true }),
    );
    return () => {
      live = false;
      unwatch();
    };
  }, [item]);
  return state;
}

/**
 * The tab's latest comparison as stored (lib/storage.ts comparisonsItem): a comparison tab closed
 * and opened again finds its run, its choices and its jobs' progress where they were.
 * `undefined` while the first read is under way, null when the tab has none.
 */
export function useComparison(tabId: number): Comparison | null | undefined {
  const { value, loaded } = useWatched<unknown>(comparisonsItem as never);
  return useMemo(() => {
    if (!loaded) return undefined;
    const runs = ComparisonsSchema.safeParse(value ?? []).data ?? [];
    return runs.filter((r) => r.tabId === tabId).at(-1) ?? null;
  }, [value, loaded, tabId]);
}

/** Several jobs by id, each as stored (the records `useJob` follows), for the comparison's side-by-side view. */
export function useJobs(ids: readonly string[]): Map<string, Job | null> {
  const value = useJobRecords();
  const key = ids.join('\n');
  return useMemo(() => new Map(ids.map((id) => [id, selectJob(value, { id })])), [value, key]);
}

/** Every job a stored comparison started (for the tab's review to leave alone). */
export function useComparisonJobIds(): string[] {
  const { value } = useWatched<unknown>(comparisonsItem as never);
  return useMemo(() => (ComparisonsSchema.safeParse(value ?? []).data ?? []).flatMap((r) => Object.values(r.jobs)), [value]);
}
