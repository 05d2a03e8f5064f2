import { useState } from 'react';
import { TIER_LABELS, type RankedModel } from '@/lib/ranking/schema';
import { latencyText, sortModels, sourceLabel, type SortDir, type SortKey } from '@/lib/ui/models';
import { pricePer1k } from '@/lib/ui/format';
import { shortName } from '@/lib/ui/cost';

interface Props {
  models: RankedModel[];
  caption: string;
  /** With `onChoose`, each model's name is a button that picks it. */
  chosenId?: string | null;
  onChoose?(model: RankedModel): void;
  /** The models page adds rank, tier and the ranking's reasons. */
  detailed?: boolean;
  /** Ids of the tiers' top picks, so the tier column tells a pick from a runner-up. */
  picks?: ReadonlySet<string>;
}

type Column = { key: SortKey | 'tier' | 'reasons'; label: string; sortable: boolean };
const col = (key: Column['key'], label: string, sortable = true): Column => ({ key, label, sortable });
const BRIEF: Column[] = [col('name', 'Model'), col('quality', 'Quality'), col('price', 'Per 1,000'), col('speed', 'Speed')];
const DETAILED: Column[] = [col('rank', 'Rank'), col('name', 'Model'), col('tier', 'Tier', false), ...BRIEF.slice(1), col('reasons', 'Reasons', false)];

function tierText(m: RankedModel, picks?: ReadonlySet<string>): string {
  if (!m.tier) return m.recommended === false ? 'not recommended' : '—';
  return picks ? `${TIER_LABELS[m.tier]} ${picks.has(m.id) ? 'pick' : 'runner-up'}` : TIER_LABELS[m.tier];
}

/** The full sortable model list: the popup's "More models" and the models page. */
export function ModelTable({ models, caption, chosenId = null, onChoose, detailed = false, picks }: Props) {
  const [sort, setSort] = useState<{ key: SortKey; dir: SortDir }>({ key: 'rank', dir: 'ascending' });
  const rows = sortModels(models, sort.key, sort.dir);
  // Higher is better for quality and speed, so their first press puts the best on top.
  const toggle = (key: SortKey) =>
    setSort((s) => ({ key, dir: s.key === key && s.dir === 'ascending' ? 'descending' : s.key !== key && (key === 'quality' || key === 'speed') ? 'descending' : 'ascending' }));
  return (
    <table className="models">
      <caption className="muted small">{caption}</caption>
      <thead>
        <tr>
          {(detailed ? DETAILED : BRIEF).map(({ key, label, sortable }) => (
            <th key={key} scope="col" aria-sort={sort.key === key ? sort.dir : undefined}>
              {sortable ? (
                <button type="button" className="link" onClick={() => toggle(key as SortKey)}>
                  {label}
                  <span aria-hidden="true">{sort.key === key ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              ) : (
                label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.id} aria-current={m.id === chosenId ? 'true' : undefined}>
            {detailed && <td>{m.rank}</td>}
            <th scope="row">
              {onChoose ? (
                <button type="button" className="link model-use" aria-pressed={m.id === chosenId} onClick={() => onChoose(m)}>
                  {shortName(m.name)}
                </button>
              ) : (
                shortName(m.name)
              )}
              {detailed && <span className="muted small model-id">{m.id}</span>}
            </th>
            {detailed && <td>{tierText(m, picks)}</td>}
            <td>
              {m.quality == null ? '—' : Math.round(m.quality)}{' '}
              <span className="muted small cell-source">{sourceLabel(m)}</span>
            </td>
            <td>{m.free ? 'free' : m.usdPer1kImages == null ? '—' : pricePer1k(m).replace(' per 1,000 images', '')}</td>
            <td>
              {m.speed == null ? '—' : Math.round(m.speed)}
              {latencyText(m) && ' '}
              {latencyText(m) && <span className="muted small cell-source">{latencyText(m)}</span>}
            </td>
            {detailed && <td className="small">{m.reasons.join('; ') || '—'}</td>}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
