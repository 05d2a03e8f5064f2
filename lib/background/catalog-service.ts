import {
  readApiKey, catalogCacheItem, CatalogCacheSchema, catalogStateItem, CatalogStateSchema, endpointLatencyItem,
  EndpointLatencySchema, modelStatsItem, ModelStatsSchema, readEvidenceSummary, readSettings, readValidated, type CatalogCache,
} from '../storage';
import { onlyTier, rankModels } from '../ranking/rank';
import type { Ranking, Task, Tier } from '../ranking/schema';
import { fetchCatalog, type FetchLike } from '../catalog/fetch';
import { fetchEndpointLatency } from '../catalog/latency';
import { offlineSnapshot } from '../catalog/snapshot';

/** A catalog older than this is refreshed behind the ranking served from it. */
export const REFRESH_AFTER_MS = 12 * 3_600_000;
/** After a failed refresh, opening the popup again does not retry sooner than this. */
export const RETRY_AFTER_MS = 5 * 60_000;
/** How long an answer waits for the list of a newly set API base before serving the snapshot. */
export const FOREGROUND_WAIT_MS = 4_000;
/** Endpoint latency lookups: the top candidates only, one at a time, spaced out. */
export const LATENCY_LOOKUPS = 6;
export const LATENCY_SPACING_MS = 400;

export interface CatalogServiceOptions {
  fetch?: FetchLike;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface CatalogService {
  getRanking(input: { task: Task; tier?: Tier }): Promise<Ranking>;
  /** Fetches now (joining a refresh already running) and answers with the new ranking. */
  refreshCatalog(): Promise<Ranking>;
  /** Starts a refresh if none runs; resolves when it and its latency lookups are done. */
  refresh(): Promise<void>;
  /** Resolves when no background work is left (tests, shutdown). */
  idle(): Promise<void>;
}

/**
 * Stale-while-revalidate over extension storage: every answer comes from the stored catalog (or
 * the bundled snapshot) at once; a stale one starts a refresh behind it. A failed refresh keeps
 * the last good catalog and records its error, which the ranking reports in `catalog.error`.
 */
export function createCatalogService(options: CatalogServiceOptions = {}): CatalogService {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((ok) => setTimeout(ok, ms)));
  let memo: CatalogCache | undefined;
  /** fetchedAt of the catalog this worker fetched itself: reported as "live" rather than "cache". */
  let liveFetchedAt: number | null = null;
  /** The refresh running now and the base URL it fetches from. */
  let inflight: { apiBase: string; promise: Promise<void> } | null = null;
  let background: Promise<void> = Promise.resolve();
  /** refresh() calls not settled yet, for idle(). */
  const calls = new Set<Promise<void>>();

  const apiBaseNow = async () => (await readSettings()).value.apiBase;

  async function loadCache(): Promise<CatalogCache> {
    if (memo === undefined) memo = (await readValidated(catalogCacheItem, CatalogCacheSchema)).value;
    return memo;
  }

  /** Joins a refresh of the current base URL if one runs; a refresh of an old base URL is not joined. */
  function refresh(): Promise<void> {
    const call = joinOrStartRefresh();
    calls.add(call);
    void call.finally(() => calls.delete(call));
    return call;
  }

  async function joinOrStartRefresh(): Promise<void> {
    const apiBase = await apiBaseNow();
    if (inflight?.apiBase === apiBase) return inflight.promise;
    const promise = fetchAndStore(apiBase).finally(() => {
      if (inflight?.promise === promise) inflight = null;
    });
    inflight = { apiBase, promise };
    return promise;
  }

  async function fetchAndStore(apiBase: string): Promise<void> {
    const attemptedAt = now();
    try {
      const catalog = await fetchCatalog(apiBase, { fetch: doFetch });
      // A slower refresh of a base URL the user has since left must not overwrite the newer one.
      if ((await apiBaseNow()) !== apiBase) return;
      const cache = { apiBase, fetchedAt: now(), catalog };
      await catalogCacheItem.setValue(cache);
      memo = cache;
      liveFetchedAt = cache.fetchedAt;
      await catalogStateItem.setValue({ attemptedAt, apiBase, error: null });
      if (catalog.kind === 'openrouter') background = background.then(() => lookUpLatencies(cache)).catch(() => undefined);
    } catch (error) {
      if ((await apiBaseNow()) !== apiBase) return;
      await catalogStateItem.setValue({ attemptedAt, apiBase, error: (error as Error).message });
    }
  }

  /** With a key set: OpenRouter's measured latency for the top few captioning candidates. */
  async function lookUpLatencies(cache: NonNullable<CatalogCache>): Promise<void> {
    const apiKey = await readApiKey();
    if (!apiKey) return;
    const known = (await readValidated(endpointLatencyItem, EndpointLatencySchema)).value;
    const ranking = rankModels(cache.catalog, { task: 'captioning', now: now() });
    const due = ranking.models
      .filter((m) => m.recommended && !m.free && !(known[m.id] && now() - known[m.id].at < REFRESH_AFTER_MS))
      .slice(0, LATENCY_LOOKUPS);
    for (const [i, model] of due.entries()) {
      if (i > 0) await sleep(LATENCY_SPACING_MS);
      // The key goes only to the base URL the catalog came from, and only if it is still the setting.
      if ((await apiBaseNow()) !== cache.apiBase) return;
      const seconds = await fetchEndpointLatency(cache.apiBase, model.id, apiKey, doFetch).catch(() => null);
      if (seconds == null) continue;
      const latest = (await readValidated(endpointLatencyItem, EndpointLatencySchema)).value;
      await endpointLatencyItem.setValue({ ...latest, [model.id]: { seconds, at: now() } });
    }
  }

  async function rank(input: { task: Task; tier?: Tier }, revalidate: boolean): Promise<Ranking> {
    const apiBase = await apiBaseNow();
    let cache = await loadCache();
    const readState = async () => (await readValidated(catalogStateItem, CatalogStateSchema)).value;
    let state = await readState();
    const triedRecentlyAt = (t: number) => state.apiBase === apiBase && state.attemptedAt != null && t - state.attemptedAt < RETRY_AFTER_MS;
    if (cache && cache.apiBase !== apiBase && revalidate && !triedRecentlyAt(now())) {
      // A list from another server names models this one may not serve: fetch before answering,
      // but not for long: a server that hangs gets the snapshot and a refresh behind it.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([refresh(), new Promise<void>((ok) => (timer = setTimeout(ok, FOREGROUND_WAIT_MS)))]);
      clearTimeout(timer);
      cache = await loadCache();
      state = await readState();
    }
    if (cache && cache.apiBase !== apiBase) cache = null;
    const t = now();
    const stale = !cache || t - cache.fetchedAt > REFRESH_AFTER_MS;
    const triedRecently = triedRecentlyAt(t);
    const refreshing = revalidate && stale && !triedRecently;
    if (refreshing) void refresh();

    const snapshot = offlineSnapshot();
    const catalog = cache?.catalog ?? snapshot.catalog;
    const [{ value: stats }, { value: latency }, evidence] = await Promise.all([
      readValidated(modelStatsItem, ModelStatsSchema),
      readValidated(endpointLatencyItem, EndpointLatencySchema),
      readEvidenceSummary(),
    ]);
    const result = rankModels(catalog, {
      task: input.task,
      now: t,
      stats,
      endpointLatency: Object.fromEntries(Object.entries(latency).map(([id, l]) => [id, l.seconds])),
      evidence,
    });
    const ranking: Ranking = {
      ...result,
      catalog: {
        source: !cache ? 'snapshot' : catalog.kind === 'custom' ? 'custom' : cache.fetchedAt === liveFetchedAt ? 'live' : 'cache',
        fetchedAt: cache?.fetchedAt ?? snapshot.fetchedAt,
        error: state.apiBase === apiBase ? state.error : null,
        ranked: catalog.kind !== 'custom',
        skipped: catalog.skipped,
        refreshing: refreshing || inflight != null,
        modelCount: catalog.models.length,
      },
    };
    return input.tier ? onlyTier(ranking, input.tier) : ranking;
  }

  return {
    getRanking: (input) => rank(input, true),
    async refreshCatalog() {
      await refresh();
      return rank({ task: 'captioning' }, false);
    },
    async refresh() {
      await refresh();
      await background;
    },
    async idle() {
      while (calls.size || inflight) await Promise.all([...calls, inflight?.promise]);
      await background;
    },
  };
}
