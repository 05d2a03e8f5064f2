import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DnsCache } from './dns';

/**
 * A plain HTTP(S) GET from Node with one deadline for the whole answer, headers and body: what
 * does not answer in time is abandoned. Redirects are answered as they are, never followed (the
 * caller judges each hop). No cookie jar: only the cookies the caller puts in `headers` are sent.
 * Names are looked up through `dns` (one lookup per name per run; see lib/cli/dns.ts).
 */
export interface Answer {
  status: number;
  /** Response headers as sent, minus the ones that describe the transfer (the body is decoded). */
  headers: Array<{ name: string; value: string }>;
  /** The body, decompressed. Errors with FetchTimeout if the deadline passes while it streams. */
  body: Readable;
}

export class FetchTimeout extends Error {}

const TRANSFER_HEADERS = /^(content-encoding|content-length|transfer-encoding|connection|keep-alive)$/i;

export function get(url: string, headers: Record<string, string>, options: { dns: DnsCache; timeoutMs: number; signal?: AbortSignal }): Promise<Answer> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (!/^(host|connection|content-length|accept-encoding|:)/i.test(name)) sent[name] = value;
  sent['accept-encoding'] = 'gzip, deflate, br';
  return new Promise((ok, fail) => {
    options.signal?.throwIfAborted();
    const req = request(target, { method: 'GET', headers: sent, lookup: options.dns.lookup, agent: false });
    const stop = (error: Error) => req.destroy(error);
    const timer = setTimeout(() => stop(new FetchTimeout(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    const onAbort = () => stop(options.signal!.reason as Error);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    };
    req.on('error', (error) => {
      done();
      fail(error);
    });
    req.on('response', (res: IncomingMessage) => {
      const encoding = String(res.headers['content-encoding'] ?? '').trim().toLowerCase();
      const body = encoding === 'gzip' || encoding === 'x-gzip' ? createGunzip() : encoding === 'deflate' ? createInflate() : encoding === 'br' ? createBrotliDecompress() : new PassThrough();
      // The deadline covers the body too; the request's own errors (timeout, abort) end the body.
      pipeline(res, body).then(done, (error: Error) => {
        done();
        body.destroy(error);
      });
      req.on('error', (error) => body.destroy(error));
      const list: Answer['headers'] = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) {
        if (!TRANSFER_HEADERS.test(res.rawHeaders[i])) list.push({ name: res.rawHeaders[i], value: res.rawHeaders[i + 1] });
      }
      ok({ status: res.statusCode ?? 0, headers: list, body });
    });
    req.end();
  });
}

/** `get`, read whole: for the small answers that hold a page (scripts, stylesheets, frame documents). */
export async function fetchWithDeadline(url: string, headers: Record<string, string>, options: { dns: DnsCache; timeoutMs: number; signal?: AbortSignal }): Promise<{ status: number; headers: Answer['headers']; body: Buffer }> {
  const answer = await get(url, headers, options);
  const chunks: Buffer[] = [];
  for await (const chunk of answer.body) chunks.push(chunk as Buffer);
  return { status: answer.status, headers: answer.headers, body: Buffer.concat(chunks) };
}
