import { useId, useState, type ReactNode } from 'react';
import type { RankedModel, Ranking } from '@/lib/ranking/schema';
import { isStale, qualityFigure, sourceLabel, tierChoices, tierNote } from '@/lib/ui/models';
import { age, pricePer1k } from '@/lib/ui/format';
import { shortName } from '@/lib/ui/cost';
import { usePlatform } from './api';
import { ModelTable } from './ModelTable';

interface Props {
  ranking: Ranking;
  chosenId: string | null;
  onChoose(model: RankedModel): void;
  onRefresh(): void;
  refreshing: boolean;
  now: number;
  /** What the choice applies to ("Model for example.com", "Your default model"); "Model" by default. */
  legend?: string;
  /** Shown beside "More models" (the popup's remember / forget for this site). */
  actions?: ReactNode;
}

/**
 * "quality 62 (general benchmark) · $0.25 per 1,000 images": every figure with its source. With
 * `sourceSaid` the sentence under it names the source ("quality from a general benchmark; …"),
 * so the line keeps to the figures and the popup's main button stays in view.
 */
const meta = (m: RankedModel, sourceSaid = false) =>
  `${m.quality == null ? 'unrated' : sourceSaid ? qualityFigure(m) : `${qualityFigure(m)} (${sourceLabel(m)})`} · ${pricePer1k(m)}`;

/**
 * The figures, then (for the model in use, and for any the user has reviewed) the sentence saying
 * where the quality comes from and what the user's reviews said. The others keep to one line, so
 * the popup's main button stays in view.
 */
function ModelLine({ model, full }: { model: RankedModel; full: boolean }) {
  const reviewed = (model.evidence?.reviews ?? 0) + (model.evidence?.comparisons ?? 0) > 0;
  const note = full || reviewed;
  return (
    <>
      <span className="tier-model">{shortName(model.name)}</span> <span className="tier-meta">{meta(model, note)}</span>
      {note && (
        <>
          <span className="tier-meta"> · </span>
          <span className="tier-note">{tierNote(model)}</span>
        </>
      )}
    </>
  );
}

/** The four tier picks as one radio group, the full list behind "More models". */
export function ModelPicker({ ranking, chosenId, onChoose, onRefresh, refreshing, now, legend = 'Model', actions }: Props) {
  const name = useId();
  const platform = usePlatform();
  const [open, setOpen] = useState(false);
  const choices = tierChoices(ranking);
  const chosenIsTier = choices.some((c) => c.model?.id === chosenId);
  const other = !chosenIsTier ? ranking.models.find((m) => m.id === chosenId) : undefined;
  const { catalog } = ranking;
  const stale = isStale(catalog, now);

  return (
    <section aria-labelledby={`${name}-h`}>
      <fieldset className="tiers">
        <legend id={`${name}-h`}>{legend}</legend>
        {choices.map(({ tier, label, model }) => (
          <label key={tier} className="tier" data-checked={model != null && model.id === chosenId}>
            <input
              type="radio"
              name={name}
              value={tier}
              disabled={!model}
              checked={model != null && model.id === chosenId}
              onChange={() => model && onChoose(model)}
            />
            <span className="tier-text">
              <span className="tier-label">{label}</span>{' '}
              {model ? (
                <ModelLine model={model} full={model.id === chosenId} />
              ) : (
                <span className="tier-meta">no model available</span>
              )}
            </span>
          </label>
        ))}
        {other && (
          <label className="tier" data-checked="true">
            <input type="radio" name={name} value="other" checked onChange={() => undefined} />
            <span className="tier-text">
              <span className="tier-label">Your pick</span> <ModelLine model={other} full />
            </span>
          </label>
        )}
      </fieldset>
      {(stale || catalog.error) && (
        <p className="muted small">
          {catalog.error ? `${catalog.error} ` : ''}
          {catalog.source === 'snapshot'
            ? 'Prices are from the bundled model list'
            : `Model list from ${catalog.fetchedAt != null ? age(catalog.fetchedAt, now) : 'an unknown time'}`}
          {catalog.fetchedAt != null && catalog.source === 'snapshot' ? ` (${age(catalog.fetchedAt, now)})` : ''}.{' '}
          <button type="button" className="link" onClick={onRefresh} disabled={refreshing}>
            {refreshing ? 'Refreshing…' : 'Refresh model list'}
          </button>
        </p>
      )}
      <div className="row picker-actions">
        <button type="button" className="link" aria-expanded={open} aria-controls={`${name}-all`} onClick={() => setOpen(!open)}>
          {open ? 'Fewer models' : `More models (${ranking.models.length})`}
        </button>
        {actions}
      </div>
      <div id={`${name}-all`} hidden={!open}>
        {open && (
          <>
            <ModelTable
              models={ranking.models}
              chosenId={chosenId}
              onChoose={onChoose}
              caption={catalog.ranked ? 'All captioning models, best value first. Choose a column to sort.' : 'Models this server lists (not ranked).'}
            />
            <button type="button" className="link" onClick={() => void platform.openTab('/models.html')}>
              All models, with reasons and tiers
            </button>
          </>
        )}
      </div>
    </section>
  );
}
