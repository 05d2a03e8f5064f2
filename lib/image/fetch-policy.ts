import { getDomain } from 'tldts';

/**
 * Which image addresses AltScout may read for a page, and whether the user's cookies go along.
 *
 * A page chooses its image URLs, so it must not be able to make AltScout read what only the
 * user's cookies or network position unlock:
 * - cookies go only to an image on the same site as the page (scheme + registrable domain from
 *   the public suffix list, as browsers judge "same site"); every other image is read without them;
 * - hosts on this computer or the local network (loopback, private, CGNAT, link-local,
 *   unspecified, `localhost`, `.local` and other names that only a local resolver answers) are
 *   refused unless the page itself is on such a host, or is a local file;
 * - `file:` images are read only for a page that is itself a local file (the command line).
 *
 * Pure: URLs in, a decision out. IP literals are compared after the URL parser has put them in
 * canonical form, so every spelling a browser accepts (2130706433, 0x7f.1, 0177.0.0.1, 127.1,
 * [::ffff:127.0.0.1]) is judged as the address it names.
 */
export type ImageAccess =
  | { allowed: true; url: URL; credentials: 'include' | 'omit' }
  | { allowed: false; code: 'refused' | 'unsupported-scheme' | 'no-source'; reason: string };

/** Names that only a local resolver answers: nothing on the public internet lives under them. */
const LOCAL_SUFFIXES = ['local', 'internal', 'home.arpa', 'lan', 'intranet', 'corp', 'home'];

export type HostPlace = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved' | 'local-name';

const PLACE_WORDS: Record<Exclude<HostPlace, 'public'>, string> = {
  loopback: 'this computer',
  private: 'a private network',
  'link-local': 'the local network link',
  unspecified: 'an unspecified address',
  reserved: 'a reserved address',
  'local-name': 'a local network name',
};

/** Strips the brackets of an IPv6 literal and a trailing dot, lower-cases. */
function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
}

function parseIPv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) return null;
  return parts.map(Number);
}

/** Eight 16-bit groups, or null. Accepts `::` and a trailing dotted IPv4. */
export function parseIPv6(host: string): number[] | null {
  if (!host.includes(':')) return null;
  let text = host;
  const dotted = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = parseIPv4(dotted[1]);
    if (!v4) return null;
    text = `${text.slice(0, -dotted[1].length)}${((v4[0] << 8) | v4[1]).toString(16)}:${((v4[2] << 8) | v4[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const group = (s: string) => (s ? s.split(':') : []);
  const head = group(halves[0]);
  const rest = halves.length === 2 ? group(halves[1]) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = Array<number>(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16))];
}

function placeOfIPv4([a, b]: number[]): HostPlace {
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // shared address space (CGNAT), 100.64.0.0/10
  if (a === 169 && b === 254) return 'link-local';
  if (a >= 224) return 'reserved'; // multicast, reserved, broadcast
  return 'public';
}

function placeOfIPv6(g: number[]): HostPlace {
  const embedded = () => placeOfIPv4([g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff]);
  const zeroUpTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (g.every((x) => x === 0)) return 'unspecified';
  if (zeroUpTo(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) name an IPv4 address.
  if (zeroUpTo(5) && (g[5] === 0xffff || g[5] === 0)) return embedded();
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return embedded();
  // 6to4 (2002:aabb:ccdd::) carries an IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return placeOfIPv4([g[1] >> 8, g[1] & 0xff, g[2] >> 8, g[2] & 0xff]);
  if ((g[0] & 0xfe00) === 0xfc00) return 'private'; // unique local, fc00::/7
  if ((g[0] & 0xffc0) === 0xfe80) return 'link-local'; // fe80::/10
  if ((g[0] & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local, fec0::/10
  if ((g[0] & 0xff00) === 0xff00) return 'reserved'; // multicast
  return 'public';
}

/** Where a URL's host lives, judged from its canonical hostname (as `URL.hostname` gives it). */
export function hostPlace(hostname: string): HostPlace {
  const host = bareHost(hostname);
  const v4 = parseIPv4(host);
  if (v4) return placeOfIPv4(v4);
  const v6 = parseIPv6(host);
  if (v6) return placeOfIPv6(v6);
  if (host.includes(':')) return 'reserved'; // an IPv6 literal we cannot read: not public
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback'; // browsers always resolve these to loopback
  if (!host.includes('.')) return 'local-name'; // single-label names resolve through the local network's search domains
  if (LOCAL_SUFFIXES.some((s) => host === s || host.endsWith(`.${s}`))) return 'local-name';
  return 'public';
}

/** Scheme + registrable domain (eTLD+1, private registries such as github.io included), as browsers define a site. */
export function siteOf(url: URL): string {
  const host = bareHost(url.hostname);
  const domain = hostPlace(host) === 'public' && !parseIPv4(host) && !parseIPv6(host) ? getDomain(host, { allowPrivateDomains: true }) : null;
  return `${url.protocol}//${domain ?? host}`;
}

function parse(url: string | null | undefined): URL | null {
  if (!url) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

const isHttp = (u: URL) => u.protocol === 'http:' || u.protocol === 'https:';

/** The page is on this computer or the local network (or is a local file): its images may be too. */
function pageIsLocal(page: URL | null): boolean {
  if (!page) return false;
  if (page.protocol === 'file:') return true;
  return isHttp(page) && hostPlace(page.hostname) !== 'public';
}

/**
 * May AltScout connect to `address`, the IP an image's host name resolved to, for the page at
 * `pageUrl`? Runtimes that see the address a connection goes to (Node, for the command line) ask
 * this as they connect, so a public name that resolves to this computer or the local network is
 * refused as that address itself would be.
 */
export function addressAccess(pageUrl: string | null | undefined, address: string): { allowed: true } | { allowed: false; reason: string } {
  const place = hostPlace(address);
  if (place === 'public' || pageIsLocal(parse(pageUrl))) return { allowed: true };
  return { allowed: false, reason: `This image's host resolves to ${PLACE_WORDS[place]} (${bareHost(address)}) and the page is not: AltScout does not read such images for a page on a public site.` };
}

/**
 * May AltScout read `imageUrl` for the page at `pageUrl`, and with which credentials?
 * An unknown or unreadable page URL is treated as a public page: the strictest answer.
 */
export function imageAccess(pageUrl: string | null | undefined, imageUrl: string | null | undefined): ImageAccess {
  if (!imageUrl) return { allowed: false, code: 'no-source', reason: 'This image has no file AltScout can read (it may be a CSS background).' };
  const image = parse(imageUrl);
  if (!image) return { allowed: false, code: 'no-source', reason: `The image address "${imageUrl.slice(0, 80)}" is not a valid URL.` };
  const page = parse(pageUrl);
  if (image.protocol === 'data:' || image.protocol === 'blob:') return { allowed: true, url: image, credentials: 'omit' };
  if (image.protocol === 'file:') {
    if (page?.protocol === 'file:') return { allowed: true, url: image, credentials: 'omit' };
    return { allowed: false, code: 'refused', reason: 'AltScout reads image files from this computer only for a page that is itself a file on this computer.' };
  }
  if (!isHttp(image)) return { allowed: false, code: 'unsupported-scheme', reason: `AltScout cannot read ${image.protocol} images.` };
  const place = hostPlace(image.hostname);
  if (place !== 'public' && !pageIsLocal(page)) {
    return {
      allowed: false,
      code: 'refused',
      reason: `This image is on ${PLACE_WORDS[place]} (${bareHost(image.hostname)}) and the page is not: AltScout does not read such images for a page on a public site.`,
    };
  }
  const sameSite = page !== null && isHttp(page) && siteOf(page) === siteOf(image);
  return { allowed: true, url: image, credentials: sameSite ? 'include' : 'omit' };
}
