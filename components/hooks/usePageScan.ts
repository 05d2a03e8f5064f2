import { useCallback, useEffect, useMemo, useState } from 'react';
import type { PageSummary } from '@/lib/page/schema';
import type { Finding } from '@/lib/scan/schema';
import { errorText, usePlatform } from '../api';

export interface PageScan {
  summary: PageSummary | null;
  error: string | null;
  /** The findings as the review shows them: as first found, until the page is scanned again. */
  found: Map<string, Finding>;
  /** A tab action answered that the scanned document is gone (contract 5). */
  changed: boolean;
  markChanged(): void;
  /** Counts again after apply or undo; the review keeps its view of each image. */
  recount(): Promise<void>;
  /** After the page changed: a fresh scan, and the review's view of each image with it. */
  scanAgain(): Promise<PageSummary | null>;
}

/** The tab's page summary (every frame's findings, merged by the worker). */
export function usePageScan(tabId: number): PageScan {
  const platform = usePlatform();
  const [summary, setSummary] = useState<PageSummary | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [first, setFirst] = useState<Finding[]>([]);
  const [changed, setChanged] = useState(false);

  const scan = useCallback(
    (fresh: boolean) =>
      platform.send('getPageSummary', { tabId }).then(
        (next) => {
          setSummary(next);
          setError(null);
          if (next.supported) setFirst((prev) => (prev.length && !fresh ? prev : next.findings));
          return next;
        },
        (e) => {
          setError(errorText(e));
          return null;
        },
      ),
    [platform, tabId],
  );

  useEffect(() => {
    void scan(false);
  }, [scan]);

  const found = useMemo(() => new Map(first.map((f) => [f.id, f])), [first]);
  const recount = useCallback(async () => {
    // A failed recount leaves the last counts up: the action's own message says what happened.
    await platform.send('getPageSummary', { tabId }).then(setSummary, () => undefined);
  }, [platform, tabId]);
  const scanAgain = useCallback(async () => {
    const next = await scan(true);
    setChanged(false);
    return next;
  }, [scan]);
  const markChanged = useCallback(() => setChanged(true), []);
  return { summary, error, found, changed, markChanged, recount, scanAgain };
}
