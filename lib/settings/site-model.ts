import { MAX_SITE_MODELS, type Settings } from './schema';

/**
 * A model can be remembered for one site (its origin) as well as for everything else. Pure: the
 * popup asks which applies and builds the settings patch (written with `updateSettings`).
 */

/** The site a page belongs to for this purpose: its origin, for http(s) pages only. */
export function siteOf(pageUrl: string | null | undefined): string | null {
  if (!pageUrl) return null;
  try {
    const url = new URL(pageUrl);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : null;
  } catch {
    return null;
  }
}

/** "example.com" for "https://example.com", "localhost:8080" for "http://localhost:8080". */
export function siteLabel(site: string): string {
  try {
    return new URL(site).host;
  } catch {
    return site;
  }
}

export interface ModelScope {
  /** The model remembered for where the user is, or null when none was ever picked. */
  modelId: string | null;
  /** 'site' when the site has its own model; 'default' otherwise. */
  scope: 'site' | 'default';
  site: string | null;
}

export function modelScope(settings: Pick<Settings, 'modelId' | 'siteModels'>, site: string | null): ModelScope {
  const own = site ? settings.siteModels?.[site] : undefined;
  return own ? { modelId: own, scope: 'site', site } : { modelId: settings.modelId, scope: 'default', site };
}

/** The patch that remembers `modelId` for `site` (added last, so the oldest site goes first when full). */
export function rememberForSite(settings: Pick<Settings, 'siteModels'>, site: string, modelId: string): Pick<Settings, 'siteModels'> {
  const { [site]: _old, ...rest } = settings.siteModels ?? {};
  const entries = Object.entries(rest);
  const kept = entries.slice(Math.max(0, entries.length - (MAX_SITE_MODELS - 1)));
  return { siteModels: { ...Object.fromEntries(kept), [site]: modelId } };
}

/** The patch that forgets `site`'s own model: the default applies there again. */
export function forgetSite(settings: Pick<Settings, 'siteModels'>, site: string): Pick<Settings, 'siteModels'> {
  const { [site]: _old, ...rest } = settings.siteModels ?? {};
  return { siteModels: rest };
}
