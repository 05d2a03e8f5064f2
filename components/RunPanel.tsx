import type { Counts } from '@/lib/scan/schema';
import type { RankedModel } from '@/lib/ranking/schema';
import type { Inclusion } from '@/lib/ui/selection';
import { costSentence, shortName } from '@/lib/ui/cost';

interface Props {
  counts: Counts;
  inclusion: Inclusion;
  onInclusion(next: Inclusion): void;
  count: number;
  model: RankedModel | null;
  starting: boolean;
  onGenerate(): void;
}

const CHOICES: Array<[keyof Inclusion, string]> = [
  ['missing', 'Missing alt'],
  ['suspicious', 'Suspicious alt (replaces it)'],
  ['decorative', 'Decorative (replaces alt="")'],
];

/** What will be described and for roughly how much, then the button that starts it. */
export function RunPanel({ counts, inclusion, onInclusion, count, model, starting, onGenerate }: Props) {
  const reason = !model ? 'Choose a model first.' : count === 0 ? 'No images selected to describe.' : null;
  return (
    <section className="run">
      <fieldset className="include">
        <legend>Describe images with</legend>
        {CHOICES.map(([key, label]) => (
          <label key={key} className="check">
            <input
              type="checkbox"
              checked={inclusion[key]}
              disabled={counts[key] === 0}
              onChange={(e) => onInclusion({ ...inclusion, [key]: e.target.checked })}
            />
            {` ${label} (${counts[key]})`}
          </label>
        ))}
      </fieldset>
      <p className="cost" id="cost-sentence">
        {reason ?? costSentence(count, { ...model!, name: shortName(model!.name) })}
      </p>
      <button
        type="button"
        className="primary"
        aria-describedby="cost-sentence"
        disabled={reason != null || starting}
        onClick={onGenerate}
      >
        {starting ? 'Starting…' : 'Generate alt text'}
      </button>
    </section>
  );
}
