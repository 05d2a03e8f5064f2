import { browser } from 'wxt/browser';

/**
 * Host access as the UI uses it (contract 6): which sites a step needs, which of them AltScout may
 * not read yet, asking for them from the click that chose "This site" or "All sites", and the
 * options page's list of grants with a way to take each back.
 *
 * The rules for which origins a step needs and the browser calls belong to `lib/permissions.ts`
 * (package B). Until it is on main, the small stand-ins below do the same with
 * `browser.permissions`; the switch is to re-export B's functions here instead:
 *   export { originsForPage, originsForImages, requestAccess, ... } from '@/lib/permissions';
 */
export type AccessChoice = 'site' | 'all';

export interface SiteGrant {
  /** A match pattern such as `https://shop.example/*`. */
  origin: string;
  /** False for what the extension's manifest requires (a test build's all-sites access). */
  removable: boolean;
}

export interface HostAccess {
  /** Of these match patterns, the ones AltScout may not read yet. */
  missing(origins: string[]): Promise<string[]>;
  /**
   * Asks the browser (it shows the prompt). Must be called from the click handler itself, before
   * any `await`: `permissions.request` needs the user's gesture.
   */
  request(choice: AccessChoice, origins: string[]): Promise<boolean>;
  granted(): Promise<SiteGrant[]>;
  revoke(origin: string): Promise<boolean>;
}

const ALL_SITES = ['http://*/*', 'https://*/*'];

const originOf = (url: string | null): string | null => {
  if (!url) return null;
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? `${protocol}//${hostname}/*` : null;
  } catch {
    return null;
  }
};
const unique = (list: Array<string | null>) => [...new Set(list.filter((o): o is string => o != null))];

/** Stand-in for B's `originsForPage`: the page's own origin, when it is on the web. */
export const originsForPage = (pageUrl: string): string[] => unique([originOf(pageUrl)]);
/** Stand-in for B's `originsForImages`: where the images are read from (`data:` and `blob:` need nothing). */
export const originsForImages = (srcs: Array<string | null>): string[] => unique(srcs.map(originOf));

export const browserHostAccess: HostAccess = {
  async missing(origins) {
    const held = await Promise.all(origins.map((o) => browser.permissions.contains({ origins: [o] }).catch(() => false)));
    return origins.filter((_, i) => !held[i]);
  },
  // No await before the browser call: the click's gesture must still be there.
  request: (choice, origins) => browser.permissions.request({ origins: choice === 'all' ? ALL_SITES : origins }),
  async granted() {
    // What the manifest asks for (host permissions, static content scripts) cannot be taken back here.
    const manifest = browser.runtime.getManifest();
    const required = new Set([...(manifest.host_permissions ?? []), ...(manifest.content_scripts ?? []).flatMap((c) => c.matches ?? [])]);
    const { origins = [] } = await browser.permissions.getAll();
    return origins.map((origin) => ({ origin, removable: !required.has(origin) }));
  },
  revoke: (origin) => browser.permissions.remove({ origins: [origin] }),
};
