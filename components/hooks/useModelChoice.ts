import { useCallback, useEffect, useRef, useState } from 'react';
import type { RankedModel, Ranking, Task } from '@/lib/ranking/schema';
import { SettingsSchema, type Settings } from '@/lib/settings/schema';
import { forgetSite, modelScope, rememberForSite, type ModelScope } from '@/lib/settings/site-model';
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
  /** Whether the chosen model is this site's own ('site') or the default ('default'). */
  scope: ModelScope['scope'];
  /** Remembers `model` for the site only (the default stays as it is). */
  rememberForSite(model: RankedModel): Promise<void>;
  /** Forgets the site's own model: the default applies here again. */
  forgetSite(): Promise<void>;
}

type Remembered = Pick<Settings, 'modelId' | 'siteModels'>;
const rememberedOf = (value: unknown): Remembered => {
  const s = SettingsSchema.safeParse(value).data;
  return { modelId: s?.modelId ?? null, siteModels: s?.siteModels ?? {} };
};
const NONE: Remembered = { modelId: null, siteModels: {} };

/**
 * The model choice shared by the popup, the report, the models page and the single-image window:
 * the ranking for a task and the remembered model, kept current when another page picks one.
 * With `site` (an origin, lib/settings/site-model.ts) a model remembered for that site applies
 * there over the default, and picking one changes whichever applies.
 */
export function useModelChoice(task: Task = 'captioning', site: string | null = null): ModelChoice {
  const platform = usePlatform();
  const [ranking, setRanking] = useState<Ranking | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [remembered, setRemembered] = useState<Remembered | null>(null);
  const [refreshing, setRefreshing] = useState(false);
  const current = useRef(remembered);
  current.current = remembered;

  useEffect(() => {
    let live = true;
    readSettings().then(
      ({ value }) => live && setRemembered((c) => c ?? { modelId: value.modelId, siteModels: value.siteModels ?? {} }),
      () => live && setRemembered((c) => c ?? NONE),
    );
    // A model picked on another page (the models page, another popup) shows here too.
    const unwatch = settingsItem.watch((next) => setRemembered(rememberedOf(next)));
    return () => {
      live = false;
      unwatch();
    };
  }, []);

  const applied = modelScope(remembered ?? NONE, site);

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

  /** Shows `next` at once, writes `patch`, and puts the previous choice back if asked and the write fails. */
  const write = useCallback(async (next: Remembered, patch: () => Promise<Partial<Settings>>, undoOnFailure: boolean) => {
    const previous = current.current;
    setRemembered(next);
    try {
      await updateSettings(await patch());
    } catch (e) {
      if (undoOnFailure) setRemembered(previous);
      throw e;
    }
  }, []);

  // The site patches are made from the settings as stored at the moment of writing.
  const stored = async () => (await readSettings()).value;
  const scope = applied.scope;
  const choose = useCallback(
    async (model: RankedModel, { onlyIfSaved = false } = {}) => {
      const base = current.current ?? NONE;
      if (scope === 'site' && site) {
        await write({ ...base, ...rememberForSite(base, site, model.id) }, async () => rememberForSite(await stored(), site, model.id), onlyIfSaved);
      } else {
        await write({ ...base, modelId: model.id }, async () => ({ modelId: model.id }), onlyIfSaved);
      }
    },
    [scope, site, write],
  );
  const rememberHere = useCallback(
    async (model: RankedModel) => {
      if (!site) return;
      const base = current.current ?? NONE;
      await write({ ...base, ...rememberForSite(base, site, model.id) }, async () => rememberForSite(await stored(), site, model.id), true);
    },
    [site, write],
  );
  const forgetHere = useCallback(async () => {
    if (!site) return;
    const base = current.current ?? NONE;
    await write({ ...base, ...forgetSite(base, site) }, async () => forgetSite(await stored(), site), true);
  }, [site, write]);

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

  const ready = remembered != null && ranking?.task === task ? ranking : null;
  const chosenId = applied.modelId;
  const model = ready && task === 'captioning' ? resolveModel(ready, chosenId) : null;
  return { ranking: ready, loadError, chosenId, model, choose, refresh, refreshing, scope, rememberForSite: rememberHere, forgetSite: forgetHere };
}
