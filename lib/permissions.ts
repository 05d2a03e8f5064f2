import { browser } from 'wxt/browser';

/**
 * Host access (contract 6). AltScout asks for no site up front: a click on its toolbar button
 * (or its context menu item) lets it read the page in that tab (activeTab). Anything more (frames
 * of a page that come from other sites, images served from other sites) is asked for when a step
 * needs it, from the click that starts the step, as "this site" (the sites the step needs) or
 * "all sites". The options page lists what was granted and takes it back.
 *
 * Pure functions over URLs and origins, plus `hostAccess`, a thin adapter over
 * `browser.permissions` (tests pass their own).
 */

/** What "all sites" grants: every http and https page, as the manifest's optional host permissions name them. */
export const ALL_SITES = ['http://*/*', 'https://*/*'] as const;

export type AccessChoice = 'site' | 'all';

/** The http(s) origin of a URL ("https://cdn.example.com"), or null for other schemes and junk. */
export function originOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/**
 * The match pattern that grants an origin ("https://cdn.example.com/*"). Patterns ignore ports,
 * so one grant covers every port of a host, as the browser shows it.
 */
export function patternFor(origin: string): string {
  const url = new URL(origin);
  return `${url.protocol}//${url.hostname}/*`;
}

const unique = (origins: Iterable<string | null>) => [...new Set([...origins].filter((o): o is string => o != null))].sort();

/** The origins a scan of the page needs: the page itself and every frame it embeds. */
export function originsForPage(pageUrl: string, frameOrigins: Iterable<string> = []): string[] {
  return unique([originOf(pageUrl), ...[...frameOrigins].map(originOf)]);
}

/**
 * The origins the worker must read images from to describe them: their http(s) addresses.
 * data: images need no access, and blob: ones are read through the page.
 */
export function originsForImages(images: Iterable<{ src: string | null } | string | null>): string[] {
  return unique([...images].map((image) => originOf(typeof image === 'string' || image === null ? image : image.src)));
}

/** The patterns a choice asks the browser for. */
export function patternsFor(choice: AccessChoice, origins: string[]): string[] {
  return choice === 'all' ? [...ALL_SITES] : [...new Set(origins.map(patternFor))];
}

/** The part of `browser.permissions` used here. */
export interface PermissionsApi {
  contains(permissions: { origins: string[] }): Promise<boolean>;
  request(permissions: { origins: string[] }): Promise<boolean>;
  remove(permissions: { origins: string[] }): Promise<boolean>;
  getAll(): Promise<{ origins?: string[] }>;
  onAdded?: { addListener(listener: () => void): void; removeListener(listener: () => void): void };
  onRemoved?: { addListener(listener: () => void): void; removeListener(listener: () => void): void };
}

export interface HostAccess {
  /** Those of `origins` AltScout cannot read now, in order. */
  missing(origins: string[]): Promise<string[]>;
  /**
   * Asks the browser for access: 'site' asks for exactly `origins`, 'all' for every site. Call it
   * straight from the click handler: browsers only show the prompt during the user's gesture, so
   * nothing may be awaited before it. Answers whether the user granted it.
   */
  requestAccess(choice: AccessChoice, origins: string[]): Promise<boolean>;
  /** What the user granted beyond the manifest's required hosts, for the options page. */
  granted(): Promise<string[]>;
  /** Takes back granted patterns (as `granted` lists them). */
  revoke(patterns: string[]): Promise<boolean>;
  /** Calls `listener` whenever a grant is added or removed (anywhere: popup, options, browser settings). */
  onChange(listener: () => void): () => void;
}

/** Match patterns the manifest requires (the test build's `<all_urls>`): not the user's to revoke. */
function requiredHosts(): string[] {
  try {
    return (browser.runtime.getManifest() as { host_permissions?: string[] }).host_permissions ?? [];
  } catch {
    return [];
  }
}

export function hostAccess(api: PermissionsApi = browser.permissions as unknown as PermissionsApi, required: () => string[] = requiredHosts): HostAccess {
  return {
    async missing(origins) {
      const answers = await Promise.all(origins.map(async (origin) => ({ origin, ok: await api.contains({ origins: [patternFor(origin)] }).catch(() => false) })));
      return answers.filter((a) => !a.ok).map((a) => a.origin);
    },
    requestAccess(choice, origins) {
      // No await before this call: it must run inside the click's user gesture.
      return api.request({ origins: patternsFor(choice, origins) });
    },
    async granted() {
      const fixed = new Set(required());
      return ((await api.getAll()).origins ?? []).filter((pattern) => !fixed.has(pattern)).sort();
    },
    revoke(patterns) {
      return api.remove({ origins: patterns });
    },
    onChange(listener) {
      api.onAdded?.addListener(listener);
      api.onRemoved?.addListener(listener);
      return () => {
        api.onAdded?.removeListener(listener);
        api.onRemoved?.removeListener(listener);
      };
    },
  };
}
