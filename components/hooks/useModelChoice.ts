import { useCallback, useEffect, useRef, useState } from 'react';
import type { RankedModel, Ranking, Task } from '@/lib/ranking/schema';
import { SettingsSchema } from '@/lib/settings/schema';
import { readSettings, settingsItem, updateSettings } from '@/lib/storage';
import { resolveModel } from '@/lib/ui/models';
import { errorText, usePlatform } from '../api';

export interface ModelChoice {
  /** Shown once both the ranking and the remembered model are read, so no default flashes first. */
  ranking: Ranking | null;
  loadError: string | null;
  /** The model remembered in settings (or just picked here); null when none was ever picked. */
  chosenId: string | null;
  /** The model a captioning job would use: the chosen one while the catalog has it, else the default. */
  model: RankedModel | null;
  /**
   * Picks `model` and remembers it in settings (a patch: nothing else is written). Rejects with
   * the reason when it cannot be remembered; with `onlyIfSaved` the pick is then undone too.
   */
  choose(model: RankedModel, options?: { onlyIfSaved?: boolean }): Promise<void>;
  /** Fetches the catalog again and answers this task's new ranking. */
  refresh(): Promise<Ranking>;
  refreshing: boolean;
}

const modelIdOf = (value: unknown) => SettingsSchema.safeParse(value).data?.modelId ?? null;

/**
 * The model choice shared by the popup, the report, the models page and the single-image window:
 * the ranking for a task and the remembered model, kept current when another page picks one.
 */
export function useModelChoice(task: Task = 'captioning'): ModelChoice {
  const platform = usePlatform();
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<{ id: string | null } | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const current = useRef(chosen);
  current.current = chosen;

  useEffect(() => {
    let live = true;
    readSettings().then(({ value }) => live && setChosen((c) => c ?? { id: value.modelId }), () => live && setChosen((c) => c ?? { id: null }));
    // A model picked on another page (the models page, another popup) shows here too.
    const unwatch = settingsItem.watch((next) => setChosen({ id: modelIdOf(next) }));
    return () => {
      live = false;
      unwatch();
    };
  }, []);

  useEffect(() => {
    let live = true;
    setLoadError(null);
    platform.send('getRanking', { task }).then(
      (r) => live && setRanking(r),
      (e) => live && setLoadError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [platform, task]);

  const choose = useCallback(async (model: RankedModel, { onlyIfSaved = false } = {}) => {
    const previous = current.current;
    setChosen({ id: model.id });
    try {
      await updateSettings({ modelId: model.id });
    } catch (e) {
      if (onlyIfSaved) setChosen(previous);
      throw e;
    }
  }, []);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    try {
      // refreshCatalog answers with the captioning ranking; another task is ranked again from the new catalog.
      const fresh = await platform.send('refreshCatalog', {});
      const next = fresh.task === task ? fresh : await platform.send('getRanking', { task });
      setRanking(next);
      return next;
    } finally {
      setRefreshing(false);
    }
  }, [platform, task]);

  const ready = chosen != null && ranking?.task === task ? ranking : null;
  const chosenId = chosen?.id ?? null;
  const model = ready && task === 'captioning' ? resolveModel(ready, chosenId) : null;
  return { ranking: ready, loadError, chosenId, model, choose, refresh, refreshing };
}
