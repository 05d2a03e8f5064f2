import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';

/**
 * A plain HTTP(S) GET with one deadline for the whole answer, for the requests that hold back a
 * page (scripts, stylesheets, frames): what does not answer in time is abandoned.
 *
 * Name lookups are shared and remembered for the run, failures included: a dead ad host named
 * on every page is looked up once, not once per request (a burst of lookups is what makes a
 * resolver drop queries and each of them wait out its timeout).
 */
export interface FetchedResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export class FetchTimeout extends Error {}

export class DnsCache {
  private readonly entries = new Map<string, Promise<LookupAddress[]>>();

  /** `refuse(address)`: a reason to refuse connecting to it (a private address), or null. */
  constructor(private readonly refuse: (address: string) => string | null = () => null) {}

  resolve(hostname: string): Promise<LookupAddress[]> {
    let entry = this.entries.get(hostname);
    if (!entry) {
      entry = new Promise((ok, fail) => dnsLookup(hostname, { all: true }, (error, addresses) => (error ? fail(error) : ok(addresses))));
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
        // Checked on the very addresses the connection will use: no second lookup to rebind.
        const refused = usable.map((a) => this.refuse(a.address)).find(Boolean);
        if (refused) {
          callback(Object.assign(new Error(refused), { code: 'EREFUSED_PRIVATE' }) as NodeJS.ErrnoException, '', 4);
          return;
        }
        if (!usable.length) {
          const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          callback(error as NodeJS.ErrnoException, '', 4);
          return;
        }
        if (typeof options === 'object' && options.all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 4),
    );
  };
}

export class TooLarge extends Error {}

/**
 * GET `url` with `headers`; rejects with FetchTimeout when the whole answer takes over
 * `timeoutMs`, with TooLarge past `maxBytes`. Redirects are answered as they are, not followed.
 */
export function fetchWithDeadline(url: string, headers: Record<string, string>, timeoutMs: number, dns: DnsCache, maxBytes = Infinity): Promise<FetchedResponse> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const sent: Record<string, string> = { ...headers, 'accept-encoding': 'gzip, deflate, br' };
  for (const name of Object.keys(sent)) if (/^(host|connection|content-length|:)/i.test(name)) delete sent[name];
  return new Promise((ok, fail) => {
    const req = request(target, { method: 'GET', headers: sent, lookup: dns.lookup, agent: false });
    const timer = setTimeout(() => {
      req.destroy(new FetchTimeout(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const finish = (fn: () => void) => {
      clearTimeout(timer);
      fn();
    };
    req.on('error', (error) => finish(() => fail(error)));
    req.on('response', (res: IncomingMessage) => {
      readBody(res, maxBytes).then(
        (body) => finish(() => ok({ status: res.statusCode ?? 0, headers: plainHeaders(res), body })),
        (error: unknown) => finish(() => fail(error)),
      );
    });
    req.end();
  });
}

/** The body as the page would see it: decompressed, so the headers that describe encoding go. */
async function readBody(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : new PassThrough();
  const chunks: Buffer[] = [];
  let total = 0;
  decoder.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > maxBytes) decoder.destroy(new TooLarge(`over ${maxBytes} bytes`));
    else chunks.push(chunk);
  });
  await pipeline(res, decoder);
  return Buffer.concat(chunks);
}

function plainHeaders(res: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value === undefined || /^(content-encoding|content-length|transfer-encoding|connection|keep-alive)$/i.test(name)) continue;
    out[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '\n' : ', ') : value;
  }
  return out;
}
