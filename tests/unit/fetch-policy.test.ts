// @vitest-environment node
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { solidPng } from '../support/image-colour';
import { hostPlace, imageAccess, ImageSkip, parseIPv6, readImageSource, siteOf } from '@/lib/image';

const PUBLIC_PAGE = 'https://news.example.com/article';

function refused(page: string | null, image: string | null) {
  const answer = imageAccess(page, image);
  return answer.allowed ? null : answer;
}

describe('which images a page may make AltScout read', () => {
  it('refuses loopback, private, CGNAT, link-local, unspecified and local names for a public page', () => {
    const local = [
      'http://127.0.0.1/a.png', 'http://127.8.9.10/a.png', 'http://10.0.0.1/a.png', 'http://172.16.0.1/a.png', 'http://172.31.255.255/a.png',
      'http://192.168.1.1/a.png', 'http://100.64.0.1/a.png', 'http://100.127.255.254/a.png', 'http://169.254.169.254/latest/meta-data',
      'http://0.0.0.0/a.png', 'http://[::1]/a.png', 'http://[::]/a.png', 'http://[fd12:3456::1]/a.png', 'http://[fc00::1]/a.png',
      'http://[fe80::1]/a.png', 'http://[febf::1]/a.png',
      'http://localhost/a.png', 'http://localhost:8080/a.png', 'http://app.localhost/a.png', 'http://printer.local/a.png',
      'http://router.home.arpa/a.png', 'http://db.internal/a.png', 'http://intranet/a.png', 'https://nas/a.png',
    ];
    for (const url of local) {
      const answer = refused(PUBLIC_PAGE, url);
      expect(answer, url).not.toBeNull();
      expect(answer!.code).toBe('refused');
      expect(answer!.reason).toMatch(/AltScout does not read such images for a page on a public site/);
    }
    expect(refused(PUBLIC_PAGE, 'http://127.0.0.1/a.png')!.reason).toMatch(/^This image is on this computer \(127\.0\.0\.1\)/);
    expect(refused(PUBLIC_PAGE, 'http://app.localhost/a.png')!.reason).toMatch(/^This image is on this computer \(app\.localhost\)/);
    expect(refused(PUBLIC_PAGE, 'http://printer.local/a.png')!.reason).toMatch(/^This image is on a local network name \(printer\.local\)/);
    expect(refused(PUBLIC_PAGE, 'http://192.168.1.1/a.png')!.reason).toMatch(/a private network \(192\.168\.1\.1\)/);
  });

  it('judges an IP literal in every spelling a browser accepts as the address it names', () => {
    const spellings = [
      'http://2130706433/', 'http://0x7f000001/', 'http://017700000001/', 'http://0x7f.1/', 'http://0177.0.0.1/', 'http://127.1/',
      'http://127.0.1/', 'http://0x7F.0x0.0x0.0x1/', 'http://[::ffff:127.0.0.1]/', 'http://[::ffff:7f00:1]/', 'http://[0:0:0:0:0:ffff:7f00:1]/',
      'http://[::127.0.0.1]/', 'http://[64:ff9b::127.0.0.1]/', 'http://[2002:7f00:1::]/', 'http://[::ffff:10.1.2.3]/', 'http://[::ffff:a9fe:a9fe]/',
      'http://0/', 'http://0x0/', 'http://167772161/', 'http://3232235777/', 'http://0xc0.0xa8.1.1/',
      'http://LOCALHOST/', 'http://localhost./', 'http://LocalHost.:81/', 'http://%6c%6fcalhost/', 'http://ｌｏｃａｌｈｏｓｔ/', 'http://printer.local./',
      'http://user:pw@127.0.0.1/', 'HTTP://127.0.0.1/',
    ];
    for (const url of spellings) expect(refused(PUBLIC_PAGE, url)?.code, url).toBe('refused');
  });

  it('lets public addresses through, including ones that only look local', () => {
    for (const url of [
      'https://cdn.example.net/a.png', 'http://8.8.8.8/a.png', 'http://172.32.0.1/a.png', 'http://100.128.0.1/a.png', 'http://192.169.0.1/a.png',
      'http://[2001:4860:4860::8888]/a.png', 'http://[::ffff:8.8.8.8]/a.png', 'https://localhost.example.com/a.png', 'https://local.example/a.png',
    ]) {
      expect(imageAccess(PUBLIC_PAGE, url).allowed, url).toBe(true);
    }
  });

  it('lets a page on this computer or the local network read local images', () => {
    for (const page of ['http://localhost:3000/', 'http://127.0.0.1:8080/x.html', 'http://192.168.1.20/', 'http://[::1]:5173/', 'http://dev.local/', 'file:///home/me/page.html']) {
      for (const image of ['http://127.0.0.1:9000/a.png', 'http://10.0.0.5/a.png', 'http://localhost/a.png', 'https://cdn.example.net/a.png']) {
        expect(imageAccess(page, image).allowed, `${page} → ${image}`).toBe(true);
      }
    }
  });

  it('judges an unknown or unreadable page as public', () => {
    for (const page of [null, '', 'not a url', 'about:blank', 'chrome-extension://abc/popup.html']) {
      expect(refused(page, 'http://127.0.0.1/a.png')?.code, String(page)).toBe('refused');
      expect(imageAccess(page, 'https://cdn.example.net/a.png')).toMatchObject({ allowed: true, credentials: 'omit' });
    }
  });

  it('sends cookies only to an image on the same site as its page (scheme + registrable domain)', () => {
    const credentials = (page: string, image: string) => {
      const answer = imageAccess(page, image);
      if (!answer.allowed) throw new Error(answer.reason);
      return answer.credentials;
    };
    expect(credentials('https://www.example.com/', 'https://img.example.com/a.png')).toBe('include');
    expect(credentials('https://example.com/', 'https://example.com:8443/a.png')).toBe('include');
    expect(credentials('https://shop.example.co.uk/', 'https://static.example.co.uk/a.png')).toBe('include');
    expect(credentials('http://127.0.0.1:3000/', 'http://127.0.0.1:4000/a.png')).toBe('include');
    expect(credentials('http://localhost:3000/', 'http://localhost:4000/a.png')).toBe('include');
    // Another registrable domain, another scheme, a public suffix shared by strangers: no cookies.
    expect(credentials('https://example.com/', 'https://example.net/a.png')).toBe('omit');
    expect(credentials('https://example.com/', 'http://example.com/a.png')).toBe('omit');
    expect(credentials('https://a.example.co.uk/', 'https://b.co.uk/a.png')).toBe('omit');
    expect(credentials('https://alice.github.io/', 'https://mallory.github.io/a.png')).toBe('omit');
    expect(credentials('http://127.0.0.1:3000/', 'http://localhost:3000/a.png')).toBe('omit');
    expect(credentials('http://localhost:3000/', 'http://127.0.0.1:3000/a.png')).toBe('omit');
    expect(credentials('file:///home/me/page.html', 'http://localhost/a.png')).toBe('omit');
    expect(credentials('https://example.com/', 'data:image/png;base64,AAAA')).toBe('omit');
  });

  it('reads file: images only for a page that is itself a local file', () => {
    expect(imageAccess('file:///home/me/page.html', 'file:///home/me/a.png')).toMatchObject({ allowed: true });
    expect(refused(PUBLIC_PAGE, 'file:///etc/passwd')).toMatchObject({ code: 'refused', reason: expect.stringMatching(/only for a page that is itself a file/) });
    expect(refused('http://localhost:3000/', 'file:///etc/passwd')?.code).toBe('refused');
    expect(refused(PUBLIC_PAGE, 'ftp://example.com/a.png')?.code).toBe('unsupported-scheme');
    expect(refused(PUBLIC_PAGE, 'http://[fe80::1%25eth0]/')?.code).toBe('no-source');
    expect(refused(PUBLIC_PAGE, null)?.code).toBe('no-source');
  });

  it('reads IPv6 and names places and sites', () => {
    expect(parseIPv6('::ffff:127.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1]);
    expect(parseIPv6('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIPv6('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseIPv6('1::2::3')).toBeNull();
    expect(hostPlace('[fd00::1]')).toBe('private');
    expect(hostPlace('169.254.1.1')).toBe('link-local');
    expect(siteOf(new URL('https://a.b.example.co.uk:8443/x'))).toBe('https://example.co.uk');
    expect(siteOf(new URL('http://127.0.0.1:9/'))).toBe('http://127.0.0.1');
  });
});

describe('the worker reader under the policy', () => {
  let server: Server;
  let base = '';
  const seen: Array<{ path: string; host: string }> = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ path: req.url ?? '', host: req.headers.host ?? '' });
      if (req.url === '/a.png') return void res.writeHead(200, { 'content-type': 'image/png' }).end(solidPng(8, 8, [1, 2, 3]));
      if (req.url?.startsWith('/to?')) return void res.writeHead(302, { location: decodeURIComponent(req.url.slice(4)) }).end();
      res.writeHead(404).end();
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((ok) => server.close(() => ok())));

  async function skip(p: Promise<unknown>): Promise<ImageSkip> {
    const e = await p.then(() => null, (err: unknown) => err);
    expect(e).toBeInstanceOf(ImageSkip);
    return e as ImageSkip;
  }

  /** Records what each request asked for, then lets the real fetch make it. */
  function recordingFetch() {
    const calls: Array<{ url: string; credentials?: RequestCredentials; redirect?: RequestRedirect }> = [];
    const f = ((url: string, init?: RequestInit) => {
      calls.push({ url, credentials: init?.credentials, redirect: init?.redirect });
      return fetch(url, init);
    }) as typeof fetch;
    return { f, calls };
  }

  it('never requests a loopback image for a public page, in any spelling', async () => {
    seen.length = 0;
    const { f, calls } = recordingFetch();
    const port = new URL(base).port;
    for (const src of [`${base}/a.png`, `http://2130706433:${port}/a.png`, `http://[::ffff:7f00:1]:${port}/a.png`, `http://localhost:${port}/a.png`]) {
      const e = await skip(readImageSource(src, { pageUrl: PUBLIC_PAGE, fetch: f }));
      expect(e.code).toBe('refused');
    }
    expect(calls).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('reads the same image for a local page, with cookies only for the same site', async () => {
    const { f, calls } = recordingFetch();
    const got = await readImageSource(`${base}/a.png`, { pageUrl: `${base.replace(/:\d+$/, ':1')}/page.html`, fetch: f });
    expect(got.type).toBe('image/png');
    await readImageSource(`${base.replace('127.0.0.1', 'localhost')}/a.png`, { pageUrl: `${base}/page.html`, fetch: f });
    expect(calls.map((c) => c.credentials)).toEqual(['include', 'omit']);
  });

  it('checks every redirect: no cookies carried to another site, no hop to a local host for a public page', async () => {
    const { f, calls } = recordingFetch();
    const cross = `${base.replace('127.0.0.1', 'localhost')}/a.png`;
    // Same-site first hop (cookies), then a hop to another site: that request goes without them.
    await readImageSource(`${base}/to?${encodeURIComponent(cross)}`, { pageUrl: `${base}/page.html`, fetch: f });
    expect(calls.map((c) => [new URL(c.url).hostname, c.credentials])).toEqual([['127.0.0.1', 'include'], ['localhost', 'omit']]);
    expect(calls.every((c) => c.redirect === 'manual')).toBe(true);
  });

  it('refuses a redirect to a local host for a public page before requesting it', async () => {
    seen.length = 0;
    // The first hop is a public page's own (pretend) server redirecting into the local network.
    const redirecting = (async (url: string, init?: RequestInit) => {
      if (url.startsWith('https://news.example.com/')) return new Response(null, { status: 302, headers: { location: `${base}/a.png` } });
      return fetch(url, init);
    }) as typeof fetch;
    const e = await skip(readImageSource('https://news.example.com/img/1.png', { pageUrl: PUBLIC_PAGE, fetch: redirecting }));
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/redirects elsewhere.*this computer/);
    expect(seen).toEqual([]);
    const toData = (async () => new Response(null, { status: 301, headers: { location: 'data:image/png;base64,AAAA' } })) as typeof fetch;
    expect((await skip(readImageSource('https://news.example.com/img/2.png', { pageUrl: PUBLIC_PAGE, fetch: toData }))).message).toMatch(/only to http and https/);
    let hops = 0;
    const endless = (async (url: string) => { hops++; return new Response(null, { status: 302, headers: { location: url } }); }) as typeof fetch;
    expect((await skip(readImageSource('https://news.example.com/loop.png', { pageUrl: PUBLIC_PAGE, fetch: endless }))).message).toMatch(/redirected the image more than 10 times/);
    expect(hops).toBe(11);
  });

  it('where the runtime hides a redirect (browsers), follows it without cookies and refuses a local end', async () => {
    seen.length = 0;
    const calls: Array<{ credentials?: RequestCredentials; redirect?: RequestRedirect }> = [];
    // What a browser answers to redirect: 'manual': an opaque redirect with no Location.
    const browserLike = (async (url: string, init?: RequestInit) => {
      calls.push({ credentials: init?.credentials, redirect: init?.redirect });
      if (init?.redirect === 'manual') return Object.defineProperty(new Response(null, { status: 200 }), 'type', { value: 'opaqueredirect' });
      const res = await fetch(`${base}/a.png`, init);
      return Object.defineProperty(res, 'url', { value: `${base}/a.png` });
    }) as typeof fetch;
    const e = await skip(readImageSource('https://news.example.com/r.png', { pageUrl: PUBLIC_PAGE, fetch: browserLike }));
    expect(e.code).toBe('refused');
    // The first hop is on the page's own site (cookies); the followed request, whose end is unknown, has none.
    expect(calls).toEqual([{ credentials: 'include', redirect: 'manual' }, { credentials: 'omit', redirect: 'follow' }]);
    calls.length = 0;
    const ok = await readImageSource(`${base}/r.png`, { pageUrl: `${base}/page.html`, fetch: browserLike });
    expect(ok.type).toBe('image/png');
    expect(calls).toEqual([{ credentials: 'include', redirect: 'manual' }, { credentials: 'omit', redirect: 'follow' }]);
  });
});
