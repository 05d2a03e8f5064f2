// @vitest-environment node
import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { LookupAddress } from 'node:dns';
import type { CDPSession } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DnsCache } from '@/lib/cli/dns';
import { HeldRequests } from '@/lib/cli/held-requests';

/**
 * The audit's request holding, against a stand-in for the page's CDP session (what Chromium
 * would be told) and a local server; names resolve through an injected resolver.
 */
let server: Server;
let port = 0;
const hanging: Array<() => void> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return void hanging.push(() => res.destroy());
    res.writeHead(200, { 'content-type': 'text/css' }).end('img { outline: 1px solid red }');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => {
  hanging.forEach((end) => end());
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
});

class FakeSession extends EventEmitter {
  readonly sent: Array<{ method: string; params: Record<string, unknown> }> = [];
  private waiters: Array<() => void> = [];
  async send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    this.sent.push({ method, params });
    this.waiters.forEach((w) => w());
    if (method === 'Page.getFrameTree') return { frameTree: { frame: { id: 'top' } } };
    if (method === 'Network.getCookies') return { cookies: [] };
    return {};
  }
  /** What Chromium was told about `requestId`, once it was told. */
  async answer(requestId: string): Promise<{ method: string; params: Record<string, unknown> }> {
    for (;;) {
      const found = this.sent.find((s) => s.method.startsWith('Fetch.') && s.method !== 'Fetch.enable' && s.params.requestId === requestId);
      if (found) return found;
      await new Promise<void>((ok) => this.waiters.push(ok));
    }
  }
  pause(requestId: string, url: string, resourceType: string, frameId = 'child'): void {
    this.emit('Fetch.requestPaused', { requestId, request: { url, method: 'GET', headers: {} }, frameId, resourceType });
  }
}

const names: Record<string, LookupAddress[]> = { 'cdn.example.org': [{ address: '127.0.0.1', family: 4 }] };
const dns = () =>
  new DnsCache({
    resolve: async (name) => {
      if (names[name]) return names[name];
      if (name === '127.0.0.1') return [{ address: name, family: 4 }];
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    },
  });

async function held(timeoutMs = 300) {
  const session = new FakeSession();
  const requests = await HeldRequests.start(session as unknown as CDPSession, { timeoutMs, dns: dns(), isBlocked: (u) => u.includes('/blocked') });
  return { session, requests };
}

describe('requests the page does not wait for', () => {
  it('fails an image on a name that does not exist at once, and lets the others go their way', async () => {
    const { session, requests } = await held();
    session.pause('dead', 'http://img.dead.example/a.png', 'Image');
    session.pause('live', `http://cdn.example.org:${port}/a.png`, 'Image');
    session.pause('font', 'https://fonts.dead.example/a.woff2', 'Font');
    expect(await session.answer('dead')).toEqual({ method: 'Fetch.failRequest', params: { requestId: 'dead', errorReason: 'NameNotResolved' } });
    expect(await session.answer('live')).toEqual({ method: 'Fetch.continueRequest', params: { requestId: 'live' } });
    expect((await session.answer('font')).method).toBe('Fetch.failRequest');
    expect(requests.pending).toBe(0);
  });

  it('never requests what --block names, and counts it', async () => {
    const { session, requests } = await held();
    session.pause('b', `http://127.0.0.1:${port}/blocked.js`, 'Script');
    expect(await session.answer('b')).toEqual({ method: 'Fetch.failRequest', params: { requestId: 'b', errorReason: 'BlockedByClient' } });
    expect(requests.snapshot().blocked).toBe(1);
  });
});

describe('requests that hold the page', () => {
  it('answers a stylesheet from Node, and abandons one that does not answer in time; the page is pending until then', async () => {
    const { session, requests } = await held(300);
    session.pause('ok', `http://127.0.0.1:${port}/site.css`, 'Stylesheet');
    session.pause('hang', `http://127.0.0.1:${port}/hang.css`, 'Stylesheet');
    const ok = await session.answer('ok');
    expect(ok.method).toBe('Fetch.fulfillRequest');
    expect(Buffer.from(String(ok.params.body), 'base64').toString()).toContain('outline');
    await new Promise((done) => setImmediate(done)); // Chromium has acknowledged the answer
    expect(requests.pending).toBe(1);
    expect(requests.snapshot().abandoned).toEqual([]);
    // Drained only once the hanging one is abandoned, and by then the figures say so.
    expect(await requests.drained(10_000)).toBe(true);
    expect(requests.snapshot().abandoned).toEqual([`http://127.0.0.1:${port}/hang.css`]);
    expect(await session.answer('hang')).toEqual({ method: 'Fetch.failRequest', params: { requestId: 'hang', errorReason: 'TimedOut' } });
  });

  it('says when it is still pending at a deadline of its own', async () => {
    const { session, requests } = await held(5_000);
    session.pause('hang', `http://127.0.0.1:${port}/hang2.css`, 'Script');
    await new Promise((ok) => setTimeout(ok, 50));
    expect(requests.pending).toBe(1);
    expect(await requests.drained(100)).toBe(false);
    // The page closed: what Node still fetched for it is dropped, neither counted nor answered.
    requests.stop();
    expect(await requests.drained(5_000)).toBe(true);
    expect(requests.snapshot()).toEqual({ abandoned: [], blocked: 0, failed: 0 });
    expect(session.sent.some((s) => s.params.requestId === 'hang' && s.method !== 'Fetch.enable')).toBe(false);
  });

  it("passes the page's own navigation to Chromium", async () => {
    const { session } = await held();
    session.pause('nav', 'http://img.dead.example/', 'Document', 'top');
    expect(await session.answer('nav')).toEqual({ method: 'Fetch.continueRequest', params: { requestId: 'nav' } });
  });
});
