// @vitest-environment node
import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../support/image-colour';
import { nodeCodec } from '../support/node-codec';
import { addressAccess, ImageSkip, loadJobImage, type LoadImageDeps } from '@/lib/image';
import { nodeImageFetch } from '@/lib/cli/describe-images';
import { DnsCache, resolveHost } from '@/lib/cli/dns';

/**
 * `describe`'s transport for the shared job-image loader: Node's HTTP with the address each
 * connection goes to judged by the shared policy, redirects left to the loader. Names are mapped
 * to the local test server by an injected resolver, as a public DNS name could point anywhere.
 */
let server: Server;
let port = 0;
const seen: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.headers.host}${req.url}`);
    if (req.url === '/to-file') return void res.writeHead(302, { location: 'file:///etc/passwd' }).end();
    if (req.url === '/to-loopback') return void res.writeHead(301, { location: `http://127.0.0.1:${port}/a.png` }).end();
    if (req.url === '/gz.png') return void res.writeHead(200, { 'content-type': 'image/png', 'content-encoding': 'gzip' }).end(gzipSync(solidPng(30, 20, [30, 60, 220])));
    res.writeHead(200, { 'content-type': 'image/png', 'set-cookie': 'a=1' }).end(solidPng(30, 20, [220, 30, 30]));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

/** Every name resolves to the loopback test server, as DNS rebinding or a hostile zone would make it. */
const toLoopback = async (): Promise<LookupAddress[]> => [{ address: '127.0.0.1', family: 4 }];

function deps(pageUrl: string, over: Partial<LoadImageDeps> = {}): LoadImageDeps {
  return {
    pageUrl,
    fetch: nodeImageFetch(pageUrl, { resolve: toLoopback }),
    codec: nodeCodec as LoadImageDeps['codec'],
    rasterise: async () => { throw new Error('no svg here'); },
    ...over,
  };
}
const img = (src: string) => ({ kind: 'img', src, selector: '#x' });

async function skipOf(p: Promise<unknown>): Promise<ImageSkip> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImageSkip);
  return e as ImageSkip;
}

describe('the address a name resolves to, judged by the shared policy', () => {
  it('refuses local and private addresses for a public page, allows them for a page on such a host', () => {
    const local = ['127.0.0.1', '127.9.9.9', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1'];
    for (const address of local) {
      const answer = addressAccess('https://shop.example.com/', address);
      expect(answer.allowed, address).toBe(false);
    }
    expect(addressAccess('https://shop.example.com/', '127.0.0.1')).toMatchObject({ reason: expect.stringMatching(/^This image's host resolves to this computer \(127\.0\.0\.1\)/) });
    for (const address of ['8.8.8.8', '172.32.0.1', '2606:4700::1111']) expect(addressAccess('https://shop.example.com/', address).allowed, address).toBe(true);
    expect(addressAccess('http://192.168.1.5/cms', '10.0.0.7').allowed).toBe(true);
    expect(addressAccess('file:///home/me/page.html', '127.0.0.1').allowed).toBe(true);
    expect(addressAccess(null, '127.0.0.1').allowed).toBe(false);
  });
});

describe("describe's image fetch in Node", () => {
  it('refuses a public name that resolves to this computer, before any request is made', async () => {
    const before = seen.length;
    const skip = await skipOf(loadJobImage(img(`http://images.example.net:${port}/a.png`), deps('https://shop.example.com/article')));
    expect(skip.code).toBe('refused');
    expect(skip.message).toMatch(/resolves to this computer \(127\.0\.0\.1\)/);
    expect(seen.length).toBe(before);
  });

  it('reads the same image when the page itself is on the local network, decompressing as it goes', async () => {
    const page = 'http://192.168.1.5/cms/post';
    const red = await loadJobImage(img(`http://images.lan.example:${port}/a.png`), deps(page));
    expect([red.width, red.height]).toEqual([30, 20]);
    const blue = await loadJobImage(img(`http://images.lan.example:${port}/gz.png`), deps(page));
    expect(blue.sourceWidth).toBe(30);
    expect(seen).toContain(`images.lan.example:${port}/gz.png`);
  });

  it('leaves redirects to the shared loader: a hop to file: or to loopback for a public page is refused', async () => {
    const local = `http://127.0.0.1:${port}/page.html`;
    const toFile = await skipOf(loadJobImage(img(`http://127.0.0.1:${port}/to-file`), deps(local)));
    expect(toFile.code).toBe('refused');
    expect(toFile.message).toMatch(/redirects elsewhere/);
    // Public page, public name (mapped to a public address for the first hop only), redirect to loopback.
    const publicPage = 'https://shop.example.com/article';
    const firstHopOnly = nodeImageFetch(publicPage, { resolve: toLoopback });
    const viaPublic: typeof fetch = (input, init) => firstHopOnly(String(input).replace('cdn.example.net', '127.0.0.1'), init);
    const hop = await skipOf(loadJobImage(img(`http://cdn.example.net:${port}/to-loopback`), deps(publicPage, { fetch: viaPublic })));
    expect(hop.code).toBe('refused');
    expect(hop.message).toMatch(/redirects elsewhere.*this computer \(127\.0\.0\.1\)/);
  });

  it('gives up on an image that does not arrive within its deadline', async () => {
    const hang = createServer(() => undefined);
    await new Promise<void>((ok) => hang.listen(0, '127.0.0.1', ok));
    const url = `http://127.0.0.1:${(hang.address() as { port: number }).port}/a.png`;
    const started = Date.now();
    const slow = nodeImageFetch('http://127.0.0.1/', { timeoutMs: 300 });
    const skip = await skipOf(loadJobImage(img(url), deps('http://127.0.0.1/', { fetch: slow })));
    expect(skip.code).toBe('network');
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    hang.closeAllConnections();
    await new Promise((ok) => hang.close(ok));
  });
});

describe('name lookups', () => {
  it('looks each name up once per run, failures included', async () => {
    const asked: string[] = [];
    const dns = new DnsCache({ resolve: async (name) => { asked.push(name); throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' }); } });
    const results = await Promise.allSettled([dns.resolve('dead.example'), dns.resolve('dead.example'), dns.resolve('other.example')]);
    await dns.resolve('dead.example').catch(() => undefined);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(asked).toEqual(['dead.example', 'other.example']);
  });

  it('answers IP literals and localhost without DNS, and a reserved name as not found', async () => {
    expect(await resolveHost('127.0.0.1')).toEqual([{ address: '127.0.0.1', family: 4 }]);
    expect((await resolveHost('localhost')).some((a) => a.address === '127.0.0.1' || a.address === '::1')).toBe(true);
    await expect(resolveHost('no-such-host.invalid')).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
  });
});
