import { useEffect, useId, useState } from 'react';
import { EvidenceSummariesSchema, type EvidenceSummaries } from '@/lib/evidence/schema';
import { evidenceSummaryItem, readEvidenceSummary } from '@/lib/storage';
import { evidenceSentence } from '@/lib/ui/evidence';
import { shortName } from '@/lib/ui/cost';
import { errorText, usePlatform } from './api';

/**
 * The options page's account of what AltScout learnt from the user's reviews and comparisons, one
 * sentence per model, and the button that forgets it all. Follows the counts through the storage
 * item's `watch` (no polling); clearing goes through the worker, the evidence's one writer.
 */
export function EvidenceList() {
  const platform = usePlatform();
  const id = useId();
  const [summaries, setSummaries] = useState<EvidenceSummaries | null>(null);
  const [names, setNames] = useState<Map<string, string>>(new Map());
  const [status, setStatus] = useState('');

  useEffect(() => {
    let live = true;
    let changed = false;
    const unwatch = evidenceSummaryItem.watch((next) => {
      changed = true;
      setSummaries(EvidenceSummariesSchema.safeParse(next ?? {}).data ?? {});
    });
    readEvidenceSummary().then((value) => live && !changed && setSummaries(value), () => live && setSummaries({}));
    platform.send('getRanking', { task: 'captioning' }).then(
      (r) => live && setNames(new Map(r.models.map((m) => [m.id, shortName(m.name)]))),
      () => undefined,
    );
    return () => {
      live = false;
      unwatch();
    };
  }, [platform]);

  async function clear() {
    try {
      const result = await platform.send('updateEvidence', { kind: 'clear' });
      setStatus(result.error ? `Not cleared: ${result.error}` : 'Your reviews and comparisons are cleared: the ranking uses benchmarks alone again.');
    } catch (e) {
      setStatus(`Not cleared: ${errorText(e)}`);
    }
  }

  const entries = Object.entries(summaries ?? {}).filter(([, s]) => s.reviews + s.comparisons > 0);
  return (
    <section className="evidence-panel" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Your reviews and comparisons</h2>
      <p className="muted small">
        What you did with each suggestion (applied as written, edited, rejected, regenerated) and your picks in comparisons move
        each model&apos;s quality in the ranking. Kept in this browser only, never sent anywhere.
      </p>
      {summaries == null ? (
        <p className="muted">Loading…</p>
      ) : entries.length === 0 ? (
        <p>Nothing recorded yet.</p>
      ) : (
        <ul className="evidence-list">
          {entries.map(([modelId, s]) => (
            <li key={modelId}>{evidenceSentence(names.get(modelId) ?? modelId, s)}</li>
          ))}
        </ul>
      )}
      <button type="button" onClick={() => void clear()} disabled={entries.length === 0}>
        Clear my reviews and comparisons
      </button>
      <p role="status" aria-label="Reviews status" className="message">
        {status}
      </p>
    </section>
  );
}
