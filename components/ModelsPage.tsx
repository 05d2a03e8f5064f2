import { useId, useState } from 'react';
import type { RankedModel, Task } from '@/lib/ranking/schema';
import { catalogLine } from '@/lib/ui/models';
import { shortName } from '@/lib/ui/cost';
import { errorText, usePlatform } from './api';
import { useModelChoice } from './hooks/useModelChoice';
import { ModelTable } from './ModelTable';

const TASKS: Array<{ task: Task; label: string; hint: string }> = [
  { task: 'captioning', label: 'Captioning', hint: 'image in, text out: what AltScout uses for alt text' },
  { task: 'generation', label: 'Generation', hint: 'image out, ranked by image quality' },
];

/** The whole ranking for a task, with every model's reasons and tier, and where the prices come from. */
export function ModelsPage({ initialTask = 'captioning' }: { initialTask?: Task }) {
  const platform = usePlatform();
  const id = useId();
  const [task, setTask] = useState<Task>(initialTask);
  const [message, setMessage] = useState('');
  const { ranking, loadError, chosenId, choose: remember, refresh: refreshRanking, refreshing } = useModelChoice(task);

  async function refresh() {
    setMessage('Refreshing prices…');
    try {
      const next = await refreshRanking();
      setMessage(next.catalog.error ? `Prices not refreshed: ${next.catalog.error}` : `Prices refreshed: ${next.models.length} models.`);
    } catch (e) {
      setMessage(`Could not refresh prices: ${errorText(e)}`);
    }
  }

  async function choose(model: RankedModel) {
    try {
      // Stored settings that fail validation are left as they are: the pick is then not made.
      await remember(model, { onlyIfSaved: true });
      setMessage(`AltScout now describes images with ${shortName(model.name)}.`);
    } catch (e) {
      setMessage(errorText(e));
    }
  }

  const label = TASKS.find((t) => t.task === task)!.label;
  return (
    <main className="models-page">
      <h1>AltScout models</h1>
      <fieldset className="task">
        <legend>Task</legend>
        {TASKS.map((t) => (
          <label key={t.task} className="check">
            <input type="radio" name={`${id}-task`} value={t.task} checked={task === t.task} onChange={() => { setTask(t.task); setMessage(''); }} aria-describedby={`${id}-${t.task}`} />{' '}
            {t.label} <span id={`${id}-${t.task}`} className="muted small">({t.hint})</span>
          </label>
        ))}
      </fieldset>
      <div className="row catalog-line">
        <p>{ranking ? catalogLine(ranking.catalog, platform.now()) : ''}</p>
        <button type="button" onClick={refresh} disabled={refreshing}>
          Refresh prices
        </button>
      </div>
      {ranking?.catalog.error && <p className="error">Last refresh failed: {ranking.catalog.error}</p>}
      <p role="status" aria-label="Models status" className="message">
        {message}
      </p>
      {ranking ? (
        <ModelTable
          models={ranking.models}
          detailed
          picks={new Set(Object.values(ranking.tiers).flatMap((t) => (t.pick ? [t.pick] : [])))}
          chosenId={task === 'captioning' ? chosenId : null}
          onChoose={task === 'captioning' ? choose : undefined}
          caption={
            ranking.catalog.ranked
              ? `${label}: ${ranking.models.length} models, best value first. Choose a column to sort${task === 'captioning' ? ', or a model to use it' : ''}. Price is USD per 1,000 images.`
              : 'Models this server lists (not ranked).'
          }
        />
      ) : (
        <p className={loadError ? 'error' : 'muted'}>{loadError ? `Could not load the ranking: ${loadError}` : 'Loading models…'}</p>
      )}
    </main>
  );
}
