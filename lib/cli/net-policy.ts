import { isIP } from 'node:net';
import { DnsCache, fetchWithDeadline, FetchTimeout, TooLarge } from './fetcher';

/**
 * What `describe` may read on a page's say, in Node (no cookies ever): `file:` images only when
 * the page itself is a local file, and no loopback, private, link-local or .local hosts unless the
 * page is on one. Addresses are checked when the connection is made, redirects hop by hop.
 */

/** Loopback, private (RFC 1918, unique local), link-local, CGNAT, unspecified and similar. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isPrivateAddress(mapped[1]);
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    return a === 0 || a === 10 || a === 127 || (a === 169 && b === 254) || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 198 && (b === 18 || b === 19)) || a >= 224;
  }
  if (isIP(ip) === 6) {
    return ip === '::' || ip === '::1' || /^f[cd][0-9a-f]{2}:/.test(ip) || /^fe[89ab][0-9a-f]:/.test(ip) || /^ff[0-9a-f]{2}:/.test(ip);
  }
  return false;
}

/** By name alone: localhost and .localhost, .local (mDNS), .internal, and private IP literals. */
export function isPrivateHostname(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase().replace(/\.$/, '');
  if (isIP(host)) return isPrivateAddress(host);
  return host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.local') || host.endsWith('.internal') || host.endsWith('.home.arpa');
}

export interface ImageAccess {
  /** The page is a local file: its file: images may be read. */
  files: boolean;
  /** The page is on a private-network host: so may its neighbours be. */
  privateHosts: boolean;
}

export function accessFor(pageUrl: string): ImageAccess {
  const url = new URL(pageUrl);
  return { files: url.protocol === 'file:', privateHosts: url.protocol === 'file:' ? false : isPrivateHostname(url.hostname) };
}

export class Refused extends Error {}

const PRIVATE_REFUSAL = 'is on this computer or a private network, and the page is not: a public page cannot make AltScout read it.';

/**
 * A `fetch` for lib/image's readImageSource: no cookies, no private addresses unless allowed
 * (checked on the address connected to), redirects followed by hand with the same checks.
 */
export function imageFetch(access: ImageAccess, options: { timeoutMs?: number; maxBytes?: number; onRefused?: (url: string, why: string) => void } = {}): typeof fetch {
  const dns = new DnsCache((address) => (!access.privateHosts && isPrivateAddress(address) ? `The image's server ${PRIVATE_REFUSAL}` : null));
  const refuse = (first: URL, why: string) => {
    options.onRefused?.(first.href, why);
    return new Refused(why);
  };
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const first = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    let url = first;
    const headers: Record<string, string> = { accept: 'image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8', 'user-agent': 'AltScout (describe)' };
    for (let hop = 0; hop <= 5; hop += 1) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refuse(first, `The image redirects to ${url.protocol} addresses, which AltScout does not read.`);
      if (!access.privateHosts && isPrivateHostname(url.hostname)) throw refuse(first, `The image's host ${url.hostname} ${PRIVATE_REFUSAL}`);
      init?.signal?.throwIfAborted();
      let res;
      try {
        res = await fetchWithDeadline(url.href, headers, options.timeoutMs ?? 30_000, dns, options.maxBytes ?? Infinity);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EREFUSED_PRIVATE') throw refuse(first, (error as Error).message);
        if (error instanceof TooLarge) return new Response(null, { status: 200, headers: { 'content-length': String((options.maxBytes ?? 0) + 1) } });
        if (error instanceof FetchTimeout) throw new TypeError('timed out');
        throw new TypeError((error as Error).message);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.location) {
        url = new URL(res.headers.location, url);
        continue;
      }
      return new Response(res.status === 204 || res.status === 304 ? null : new Uint8Array(res.body), { status: res.status, headers: res.headers });
    }
    throw new TypeError('too many redirects');
  }) as typeof fetch;
}
