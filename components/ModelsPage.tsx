import { useEffect, useId, useState } from 'react';
import type { RankedModel, Ranking, Task } from '@/lib/ranking/schema';
import { readSettings, settingsItem } from '@/lib/storage';
import { catalogLine } from '@/lib/ui/models';
import { shortName } from '@/lib/ui/cost';
import { errorText, usePlatform } from './api';
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
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const [chosenId, setChosenId] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  useEffect(() => {
    let stale = false;
    setLoadError(null);
    platform.send('getRanking', { task }).then(
      (r) => !stale && setRanking(r),
      (e) => !stale && setLoadError(errorText(e)),
    );
    return () => {
      stale = true;
    };
  }, [platform, task]);

  useEffect(() => {
    readSettings().then(({ value }) => setChosenId(value.modelId), () => undefined);
  }, []);

  async function refresh() {
    setRefreshing(true);
    setMessage('Refreshing prices…');
    try {
      const fresh = await platform.send('refreshCatalog', {});
      // refreshCatalog answers with the captioning ranking; the other task is ranked again from the new catalog.
      const next = fresh.task === task ? fresh : await platform.send('getRanking', { task });
      setRanking(next);
      setMessage(next.catalog.error ? `Prices not refreshed: ${next.catalog.error}` : `Prices refreshed: ${next.models.length} models.`);
    } catch (e) {
      setMessage(`Could not refresh prices: ${errorText(e)}`);
    } finally {
      setRefreshing(false);
    }
  }

  async function choose(model: RankedModel) {
    // A settings value that failed validation is left as stored rather than overwritten with defaults.
    const { value, error } = await readSettings();
    if (error) {
      setMessage(`Not saved: ${error}`);
      return;
    }
    await settingsItem.setValue({ ...value, modelId: model.id });
    setChosenId(model.id);
    setMessage(`AltScout now describes images with ${shortName(model.name)}.`);
  }

  const shown = ranking?.task === task ? ranking : null;
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
        <p>{shown ? catalogLine(shown.catalog, platform.now()) : ''}</p>
        <button type="button" onClick={refresh} disabled={refreshing}>
          Refresh prices
        </button>
      </div>
      {shown?.catalog.error && <p className="error">Last refresh failed: {shown.catalog.error}</p>}
      <p role="status" aria-label="Models status" className="message">
        {message}
      </p>
      {shown ? (
        <ModelTable
          models={shown.models}
          detailed
          picks={new Set(Object.values(shown.tiers).flatMap((t) => (t.pick ? [t.pick] : [])))}
          chosenId={task === 'captioning' ? chosenId : null}
          onChoose={task === 'captioning' ? choose : undefined}
          caption={
            shown.catalog.ranked
              ? `${label}: ${shown.models.length} models, best value first. Choose a column to sort${task === 'captioning' ? ', or a model to use it' : ''}. Price is USD per 1,000 images.`
              : 'Models this server lists (not ranked).'
          }
        />
      ) : (
        <p className={loadError ? 'error' : 'muted'}>{loadError ? `Could not load the ranking: ${loadError}` : 'Loading models…'}</p>
      )}
    </main>
  );
}
