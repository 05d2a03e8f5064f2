import { lookup as systemLookup, promises as dnsPromises, type LookupAddress } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { isIP, type LookupFunction } from 'node:net';

/**
 * Name lookups for the requests Node makes on Chromium's behalf (the scripts, stylesheets and
 * frame documents that hold a page back) and for `describe`'s images.
 *
 * - DNS names go through c-ares (Node's `dns.Resolver`), in queries of its own retried after a
 *   second. The system resolver (glibc `getaddrinfo`) sends A and AAAA together and waits five
 *   seconds for an answer a busy resolver dropped; it also runs on libuv's four shared threads, so
 *   a burst of lookups for dead ad hosts queues everything behind it. Measured on the 30 saved
 *   pages' hosts here: 60 lookups 16 at a time, the system resolver 10 s (90th percentile 5 s
 *   each), c-ares 1 s.
 * - Names only the system knows go through it as before: `localhost`, single-label names (search
 *   domains), `.local` (mDNS), anything in the hosts file, and any name c-ares could not get an
 *   answer for (no DNS server it can reach, a timeout): "no such name" from DNS is final.
 * - Each name is looked up once per run, failures included: a dead ad host named on every page
 *   costs one lookup, not one per request.
 * - `refuse(address)` is asked about every address a connection would use, and the connection
 *   is refused with its reason: the check is on the very address connected to, with no second
 *   lookup to rebind.
 */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export interface DnsOptions {
  /** A reason to refuse connecting to `address`, or null. */
  refuse?: (address: string) => string | null;
  /** How names are resolved (tests map names to addresses); the default is described above. */
  resolve?: Resolve;
}

/** The error a refused address gives: its message is the refusal's reason. */
export const REFUSED_ADDRESS = 'EREFUSED_ADDRESS';

const notFound = (hostname: string) => Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });

function system(hostname: string): Promise<LookupAddress[]> {
  return new Promise((ok, fail) => systemLookup(hostname, { all: true }, (error, addresses) => (error ? fail(error) : ok(addresses))));
}

let hostsFile: Promise<Set<string>> | null = null;

/** Names the hosts file maps (lower case), read once. */
function hostsFileNames(): Promise<Set<string>> {
  const path = process.platform === 'win32' ? `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32\\drivers\\etc\\hosts` : '/etc/hosts';
  hostsFile ??= readFile(path, 'utf8').then(
    (text) => new Set(text.split('\n').flatMap((line) => line.replace(/#.*/, '').trim().split(/\s+/).slice(1)).map((n) => n.toLowerCase())),
    () => new Set<string>(),
  );
  return hostsFile;
}

/** Answers DNS gives when the name (or the record) does not exist: final, no need to ask the system. */
const FINAL = new Set(['ENOTFOUND', 'ENODATA']);

let resolver: InstanceType<typeof dnsPromises.Resolver> | null = null;

/** The default resolution described above. */
export async function resolveHost(hostname: string): Promise<LookupAddress[]> {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  if (isIP(name)) return [{ address: name, family: isIP(name) }];
  if (name === 'localhost' || name.endsWith('.localhost') || !name.includes('.') || name.endsWith('.local') || (await hostsFileNames()).has(name)) {
    return system(hostname);
  }
  resolver ??= new dnsPromises.Resolver({ timeout: 1000, tries: 3 });
  const [v4, v6] = await Promise.allSettled([resolver.resolve4(name), resolver.resolve6(name)]);
  const found = [
    ...(v4.status === 'fulfilled' ? v4.value.map((address) => ({ address, family: 4 })) : []),
    ...(v6.status === 'fulfilled' ? v6.value.map((address) => ({ address, family: 6 })) : []),
  ];
  if (found.length) return found;
  const codes = [v4, v6].map((r) => (r.status === 'rejected' ? (r.reason as NodeJS.ErrnoException).code ?? '' : 'ENODATA'));
  if (codes.every((code) => FINAL.has(code))) throw notFound(hostname);
  return system(hostname);
}

export class DnsCache {
  private readonly entries = new Map<string, Promise<LookupAddress[]>>();
  private readonly refuse: (address: string) => string | null;
  private readonly resolveName: Resolve;

  constructor(options: DnsOptions = {}) {
    this.refuse = options.refuse ?? (() => null);
    this.resolveName = options.resolve ?? resolveHost;
  }

  resolve(hostname: string): Promise<LookupAddress[]> {
    let entry = this.entries.get(hostname);
    if (!entry) {
      entry = this.resolveName(hostname);
      entry.catch(() => undefined);
      this.entries.set(hostname, entry);
    }
    return entry;
  }

  /** For http.request's `lookup` option. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (all) => {
        const family = typeof options === 'object' ? options.family : undefined;
        const usable = family === 4 || family === 6 ? all.filter((a) => a.family === family) : all;
        const refused = usable.map((a) => this.refuse(a.address)).find(Boolean);
        if (refused) {
          callback(Object.assign(new Error(refused), { code: REFUSED_ADDRESS }) as NodeJS.ErrnoException, '', 4);
          return;
        }
        if (!usable.length) {
          callback(notFound(hostname) as NodeJS.ErrnoException, '', 4);
          return;
        }
        if (typeof options === 'object' && options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}
