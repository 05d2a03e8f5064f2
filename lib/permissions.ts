import { browser } from 'wxt/browser';

/**
 * Host access (contract 6). AltScout asks for no site up front: a click on its toolbar button
 * (or its context menu item) lets it read the page in that tab (activeTab). Anything more (frames
 * of a page that come from other sites, images served from elsewhere) is asked for when a step
 * needs it, from the click that starts the step, as "this site" (the sites the step needs) or
 * "all sites". The options page lists what was granted and takes it back.
 *
 * Sites are host match patterns throughout ("https://cdn.example.com/*"), as the browser grants
 * them; lib/ui/sites.ts `siteName` says them in words. Pure functions over URLs, plus
 * `hostAccess`, a thin adapter over `browser.permissions` (tests pass their own).
 */

/** What "all sites" grants: every http and https page, as the manifest's optional host permissions name them. */
export const ALL_SITES = ['http://*/*', 'https://*/*'] as const;

export type AccessChoice = 'site' | 'all';

/** The exact http(s) origin of a URL ("https://cdn.example.com:8443"), or null for other schemes and junk. */
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
 * The match pattern that grants a URL's or origin's site ("https://cdn.example.com/*"). Patterns
 * ignore ports, so one grant covers every port of a host, as the browser shows it. Null for
 * anything but http(s).
 */
export function patternFor(url: string | null | undefined): string | null {
  const origin = originOf(url);
  if (!origin) return null;
  const { protocol, hostname } = new URL(origin);
  return `${protocol}//${hostname}/*`;
}

const unique = (list: Iterable<string | null>) => [...new Set([...list].filter((o): o is string => o != null))].sort();

/** The sites reading a page needs: the page itself and the frames it embeds (their URLs or origins). */
export function originsForPage(pageUrl: string, frameOrigins: Iterable<string> = []): string[] {
  return unique([patternFor(pageUrl), ...[...frameOrigins].map(patternFor)]);
}

/**
 * The sites the worker must download images from to describe them. `data:` images need none and
 * `blob:` ones are read through the page. Given the page's URL, images from the page's own origin
 * are left out: AltScout could read the page, so the click (or grant) that allowed it covers them.
 */
export function originsForImages(images: Iterable<{ src: string | null } | string | null>, pageUrl?: string): string[] {
  const page = originOf(pageUrl);
  const srcs = [...images].map((image) => (typeof image === 'string' || image === null ? image : image.src));
  return unique(srcs.filter((src) => originOf(src) !== page).map(patternFor));
}

/** The patterns a choice asks the browser for. */
export function patternsFor(choice: AccessChoice, patterns: string[]): string[] {
  return choice === 'all' ? [...ALL_SITES] : [...new Set(patterns)];
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

export interface SiteGrant {
  /** A match pattern such as `https://shop.example/*`. */
  origin: string;
  /** False for what the manifest requires (the test build's `<all_urls>`): not the user's to take back. */
  removable: boolean;
}

export interface HostAccess {
  /** Of these patterns, the ones AltScout may not read now, in order. */
  missing(patterns: string[]): Promise<string[]>;
  /** `requestAccess` with this adapter's API: call it from the click handler, before any await. */
  request(choice: AccessChoice, patterns: string[]): Promise<boolean>;
  /** Every site AltScout may read, for the options page. */
  granted(): Promise<SiteGrant[]>;
  /** Takes back one granted pattern (as `granted` lists it). */
  revoke(pattern: string): Promise<boolean>;
  /** Calls `listener` whenever a grant is added or removed (popup, options page or the browser's own settings). */
  onChange(listener: () => void): () => void;
}

const browserPermissions = () => browser.permissions as unknown as PermissionsApi;

/**
 * Asks the browser for access: 'site' asks for exactly `patterns`, 'all' for every site. Call it
 * straight from the click handler: browsers show the prompt only during the user's gesture, so
 * nothing may be awaited before it. Answers whether the user granted it.
 */
export function requestAccess(choice: AccessChoice, patterns: string[], api: PermissionsApi = browserPermissions()): Promise<boolean> {
  return api.request({ origins: patternsFor(choice, patterns) });
}

/** What the manifest requires (host permissions, static content scripts' matches). */
function requiredSites(): string[] {
  try {
    const manifest = browser.runtime.getManifest() as { host_permissions?: string[]; content_scripts?: Array<{ matches?: string[] }> };
    return [...(manifest.host_permissions ?? []), ...(manifest.content_scripts ?? []).flatMap((c) => c.matches ?? [])];
  } catch {
    return [];
  }
}

/** `api` is read on each call, so tests (and a browser without the API) can swap it after import. */
export function hostAccess(api: () => PermissionsApi = browserPermissions, required: () => string[] = requiredSites): HostAccess {
  return {
    async missing(patterns) {
      const held = await Promise.all(patterns.map((pattern) => api().contains({ origins: [pattern] }).catch(() => false)));
      return patterns.filter((_, i) => !held[i]);
    },
    // No await before the browser's call: the click's gesture must still be there.
    request: (choice, patterns) => requestAccess(choice, patterns, api()),
    async granted() {
      const fixed = new Set(required());
      const { origins = [] } = await api().getAll();
      return origins.map((origin) => ({ origin, removable: !fixed.has(origin) }));
    },
    revoke: (pattern) => api().remove({ origins: [pattern] }),
    onChange(listener) {
      const permissions = api();
      permissions.onAdded?.addListener(listener);
      permissions.onRemoved?.addListener(listener);
      return () => {
        permissions.onAdded?.removeListener(listener);
        permissions.onRemoved?.removeListener(listener);
      };
    },
  };
}

/** The browser's own, for the popup, report and options pages (components/api.ts). */
export const browserHostAccess: HostAccess = hostAccess();
