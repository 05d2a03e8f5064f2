import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../../lib/cli/browser';
import { run as audit } from '../../lib/cli/audit';
import { run as merge } from '../../lib/cli/merge';
import { AuditResultSchema, type AuditResult } from '../../lib/cli/result';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { axeSource } from '../support/scan-oracle';

/** `npm run altscout -- audit` and `merge` against local fixture sites, in one shared Chromium. */
let browser: Browser;
let site: StaticServer;
let slow: Server;
let slowUrl = '';
let dir: string;
const hanging: Array<() => void> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'altscout-audit-'));
  site = await startStaticServer('tests/fixtures/site', 'tests/fixtures');
  // Images, a stylesheet and a parser-blocking script that never answer; a page that never goes
  // quiet; a script that adds an image unless blocked; a page whose own script tampers with the
  // DOM API in its world.
  slow = createServer((req, res) => {
    if (req.url?.startsWith('/hang')) {
      hanging.push(() => res.destroy());
      return;
    }
    res.setHeader('content-type', req.url?.endsWith('.js') ? 'text/javascript' : 'text/html');
    if (req.url === '/inject.js') return res.end("const i = document.createElement('img'); i.src = '/x.png'; i.id = 'injected'; document.body.append(i);");
    if (req.url === '/slow.html') {
      return res.end(`<!doctype html><html lang="en"><head><title>Slow</title><link rel="stylesheet" href="/hang.css"></head><body>${Array.from({ length: 50 }, (_, i) => `<img src="/hang/${i}.png">`).join('')}</body></html>`);
    }
    if (req.url === '/blocking.html') {
      return res.end('<!doctype html><html lang="en"><head><title>Blocking</title><script src="/hang.js"></script></head><body><img src="/1.png"><img src="/2.png"><img src="/3.png"></body></html>');
    }
    if (req.url === '/busy.html') {
      return res.end(`<!doctype html><html lang="en"><head><title>Busy</title></head><body><img src="/p.png"><p id="t"></p><script>
        setInterval(() => { document.getElementById('t').append(document.createElement('span')); }, 50);
      </script></body></html>`);
    }
    if (req.url === '/blocked.html') return res.end('<!doctype html><html lang="en"><head><title>B</title></head><body><img src="/a.png" alt="A"><script src="/inject.js"></script></body></html>');
    if (req.url === '/tamper.html') {
      return res.end(`<!doctype html><html lang="en"><head><title>T</title><script>
        Element.prototype.getAttribute = function () { return 'tampered'; };
        Document.prototype.querySelectorAll = function () { return []; };
        Object.defineProperty(window, '__altscoutCli', { value: { audit: () => ({ scan: { findings: [] } }) } });
      </script></head><body><img src="/1.png"><img src="/2.png"><img src="/3.png" alt="Fine"></body></html>`);
    }
    res.end('<!doctype html><html lang="en"><head><title>Plain</title></head><body><img src="/p.png"></body></html>');
  });
  await new Promise<void>((ok) => slow.listen(0, '127.0.0.1', ok));
  slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}`;
  browser = await launchChromium();
});
afterAll(async () => {
  hanging.forEach((end) => end());
  await browser?.close();
  await site?.close();
  slow?.closeAllConnections();
  await new Promise((ok) => slow?.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

async function cli(command: typeof audit, argv: string[], stdin = '') {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errs: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  err.on('data', (c: Buffer) => errs.push(c));
  // The fixture pages are static: a short quiet period keeps the file fast; the load policy tests set their own.
  const args = command === audit && !argv.includes('--settle-ms') ? [...argv, '--settle-ms', '100'] : argv;
  const code = await command(args, { stdout: out, stderr: err, stdin: Readable.from([stdin]) }, { browser });
  return { code, out: Buffer.concat(chunks).toString(), err: Buffer.concat(errs).toString() };
}
const json = (out: string): AuditResult => AuditResultSchema.parse(JSON.parse(out));
const paths = (r: AuditResult) => r.pages.map((p) => new URL(p.url).pathname + new URL(p.url).search).sort();

describe('finding pages', () => {
  it('crawls same-origin links breadth first, keeping robots.txt, depth and patterns', async () => {
    const all = await cli(audit, ['--crawl', `${site.url}/`, '--format', 'json', '-q']);
    expect(all.code).toBe(0);
    expect(paths(json(all.out))).toEqual(['/', '/about.html', '/blog/', '/blog/deep.html', '/blog/deeper.html']);
    expect(all.err).toMatch(/1 link not followed: robots.txt disallows/);
    const shallow = await cli(audit, ['--crawl', `${site.url}/`, '--max-depth', '1', '--exclude', '/about', '--json', '-q']);
    expect(paths(json(shallow.out))).toEqual(['/', '/blog/']);
    const everything = await cli(audit, ['--crawl', `${site.url}/`, '--ignore-robots', '--max-pages', '3', '--json', '-q']);
    expect(paths(json(everything.out))).toEqual(['/', '/about.html', '/blog/']);
    const secret = await cli(audit, ['--crawl', `${site.url}/`, '--ignore-robots', '--max-depth', '1', '--list', '-q']);
    expect(secret.out).toContain('/private/secret.html');
  });

  it('reads a sitemap index and its sitemap, leaving out what robots.txt disallows', async () => {
    const listed = await cli(audit, ['--sitemap', `${site.url}/sitemap.xml`, '--list']);
    expect(listed.code).toBe(0);
    expect(listed.out.trim().split('\n').map((u) => u.replace(site.url, ''))).toEqual(['/', '/blog/deep.html?a=1&b=2', '/about.html']);
    expect(listed.err).toMatch(/1 sitemap page left out: robots.txt disallows/);
    const ignored = await cli(audit, ['--sitemap', `${site.url}/sitemap.xml`, '--list', '--ignore-robots']);
    expect(ignored.out).toContain('/private/secret.html');
  });

  it('takes URLs from stdin, and shards them: disjoint, together the whole list', async () => {
    const urls = Array.from({ length: 40 }, (_, i) => `${site.url}/page-${i}.html`);
    const shards = await Promise.all([1, 2, 3].map((i) => cli(audit, ['--urls', '-', '--shard', `${i}/3`, '--list'], `# list\n${urls.join('\n')}\n`)));
    const lists = shards.map((s) => s.out.trim().split('\n').filter(Boolean));
    expect(lists.flat().sort()).toEqual([...urls].sort());
    expect(new Set(lists.flat()).size).toBe(urls.length);
    expect(lists.every((l) => l.length > 5)).toBe(true);
  });
});

describe('formats', () => {
  const pages = () => [`${site.url}/`, `${site.url}/blog/deep.html`];

  it('json, its alias, jsonl per page, csv, table; progress on stderr only; --out', async () => {
    const viaJson = await cli(audit, [...pages(), '--json', '--concurrency', '2']);
    const result = json(viaJson.out);
    expect(result.pages.map((p) => p.url)).toEqual(pages());
    expect(result.pages.map((p) => p.counts.missing)).toEqual([1, 1]);
    expect(viaJson.err).toMatch(/altscout audit: 2\/2 pages, 0 failed, [\d.]+ pages\/s/);
    const lines = (await cli(audit, [...pages(), '--format', 'jsonl', '-q'])).out.trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).url).sort()).toEqual(pages().sort());
    const csv = (await cli(audit, [...pages(), '--format', 'csv', '-q'])).out;
    expect(csv.split('\r\n')[0]).toBe('page_url,frame,selector,kind,status,reasons,alt,image_url,change');
    expect((await cli(audit, pages())).out).toMatch(/2 pages: missing 2, suspicious 0/);
    const file = join(dir, 'out.json');
    const written = await cli(audit, [...pages(), '--json', '-q', '--out', file]);
    expect(written.out).toBe('');
    expect(json(readFileSync(file, 'utf8')).pages).toHaveLength(2);
  });

  it('html: self-contained, accessible (axe-core finds nothing), sortable and filterable by keyboard', async () => {
    const file = join(dir, 'report.html');
    const res = await cli(audit, [`${site.url}/`, `${site.url}/blog/`, `${site.url}/blog/deep.html`, '--format', 'html', '--out', file, '-q']);
    expect(res.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<(link|script)[^>]+(src|href)=/);
    expect(html).toMatch(/<img class="thumb" src="data:image\/png;base64,/);
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pathToFileURL(file).href);
    await page.evaluate(axeSource());
    const violations = await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run(o: unknown): Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }> } }).axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa', 'best-practice'] } });
      return r.violations.map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
    const status = page.getByRole('status');
    await expect.poll(() => status.textContent()).toMatch(/Showing 2 of 3 images/);
    await page.getByRole('checkbox', { name: 'OK' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(() => status.textContent()).toMatch(/Showing 3 of 3 images/);
    await page.getByRole('button', { name: 'Status' }).focus();
    await page.keyboard.press('Enter');
    expect(await page.getByRole('columnheader', { name: 'Status' }).getAttribute('aria-sort')).toBe('ascending');
    await expect.poll(() => status.textContent()).toMatch(/Sorted by status, ascending\. Showing 3 of 3/);
    const order = await page.locator('#findings tbody tr:not([hidden]) td.status').allTextContents();
    expect(order).toEqual(['Missing', 'Missing', 'OK']);
    await page.getByRole('searchbox', { name: /Search/ }).fill('input');
    await expect.poll(() => status.textContent()).toMatch(/Showing 1 of 3 images/);
    await context.close();
  });
});

describe('across runs and machines', () => {
  it('merges shard results into one report in any format, and diffs against a baseline', async () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.jsonl');
    await cli(audit, [`${site.url}/`, '--json', '--out', a, '-q']);
    await cli(audit, [`${site.url}/blog/deep.html`, `${site.url}/about.html`, '--format', 'jsonl', '--out', b, '-q']);
    const merged = await cli(merge, [a, b]);
    expect(merged.code).toBe(0);
    expect(paths(json(merged.out))).toEqual(['/', '/about.html', '/blog/deep.html']);
    const failing = await cli(merge, [a, b, '--format', 'junit', '--fail-on', 'missing']);
    expect(failing.code).toBe(1);
    expect(failing.out.match(/<testcase /g)).toHaveLength(3);
    expect(failing.out.match(/<failure /g)).toHaveLength(2);
    expect((await cli(merge, [join(dir, 'nope.json')])).code).toBe(2);

    // Baseline: the same pages again: nothing new, --fail-on passes; a page's problem fixed shows as fixed.
    const again = await cli(audit, [`${site.url}/`, `${site.url}/blog/deep.html`, '--json', '--baseline', a, '--fail-on', 'missing', '-q']);
    const diff = json(again.out);
    expect(diff.summary.baseline).toMatchObject({ new: 1, fixed: 0, unchanged: 1 });
    expect(again.code).toBe(1); // deep.html was not in the baseline: its missing image is new
    const both = join(dir, 'both.json');
    writeFileSync(both, again.out);
    const fixedOne = JSON.parse(again.out) as AuditResult;
    fixedOne.pages[0].images.push({ ...fixedOne.pages[0].images.find((i) => i.status === 'missing')!, selector: '#removed-since', src: `${site.url}/img/gone.png` });
    writeFileSync(both, JSON.stringify(fixedOne));
    const steady = await cli(audit, [`${site.url}/`, `${site.url}/blog/deep.html`, '--format', 'table', '--baseline', both, '--fail-on', 'missing', '-q']);
    expect(steady.code).toBe(0);
    expect(steady.out).toMatch(/fixed +img +#removed-since/);
    expect(steady.out).toMatch(/since the baseline: 0 new, 1 fixed, 2 unchanged/);
  });
});

describe('load policy', () => {
  it('audits pages whose images, stylesheet or script never answer: abandons what holds them, settles, and says they were scanned before load', async () => {
    const res = await cli(audit, [`${slowUrl}/slow.html`, `${slowUrl}/blocking.html`, '--json', '--wait-ms', '15000', '--request-timeout-ms', '2000', '-q']);
    const [slowPage, blocking] = json(res.out).pages;
    for (const page of [slowPage, blocking]) {
      expect(page.error).toBeUndefined();
      expect(page.settled).toBe(true);
      expect(page.loadMs).toBeLessThan(15_000);
      // Each request is abandoned at the timeout counted from its own start, after navigation started.
      expect(page.loadMs).toBeGreaterThanOrEqual(2000);
    }
    // The images never arrive, so `load` never came before the scan.
    expect(slowPage.counts.missing).toBe(50);
    expect(slowPage.scannedBeforeLoad).toBe(true);
    // A stylesheet on its way could still hide images: the page was scanned only once it was abandoned.
    expect(slowPage.requests?.abandoned).toEqual([`${slowUrl}/hang.css`]);
    // The parser waited for the script; once it was abandoned, the DOM behind it was scanned.
    expect(blocking.requests?.abandoned).toEqual([`${slowUrl}/hang.js`]);
    expect(blocking.counts.missing).toBe(3);
  });

  it('scans a page that never goes quiet at its cap, as it is, and says it did not settle', async () => {
    const res = await cli(audit, [`${slowUrl}/busy.html`, '--json', '--wait-ms', '1500', '--settle-ms', '1000', '-q']);
    const [page] = json(res.out).pages;
    expect(page.error).toBeUndefined();
    expect(page.settled).toBe(false);
    expect(page.loadMs).toBeGreaterThanOrEqual(1500);
    expect(page.counts.missing).toBe(1);
  });

  it('an unreachable page is an error for that page only (exit 3)', async () => {
    const closed = createServer();
    await new Promise<void>((ok) => closed.listen(0, '127.0.0.1', ok));
    const deadUrl = `http://127.0.0.1:${(closed.address() as { port: number }).port}/`;
    await new Promise((ok) => closed.close(ok));
    const res = await cli(audit, [`${slowUrl}/plain.html`, deadUrl, '--json', '-q']);
    expect(res.code).toBe(3);
    const [ok, dead] = json(res.out).pages;
    expect(ok.counts.missing).toBe(1);
    expect(dead.error).toMatch(/ERR_CONNECTION_REFUSED|refused/i);
    expect(res.err).toContain(`could not audit ${deadUrl}`);
  });

  it('never requests --block patterns', async () => {
    const open = json((await cli(audit, [`${slowUrl}/blocked.html`, '--json', '-q'])).out).pages[0];
    expect(open.images.some((i) => i.selector === '#injected')).toBe(true);
    const blocked = json((await cli(audit, [`${slowUrl}/blocked.html`, '--json', '-q', '--block', '*/inject.js'])).out).pages[0];
    expect(blocked.images.some((i) => i.selector === '#injected')).toBe(false);
    expect(blocked.requests?.blocked).toBe(1);
  });

  it("scans in an isolated world: the page's own script cannot tamper with it", async () => {
    const [page] = json((await cli(audit, [`${slowUrl}/tamper.html`, '--json', '-q'])).out).pages;
    expect(page.counts).toMatchObject({ missing: 2, ok: 1 });
  });
});

describe('output that arrives whole', () => {
  it('pipes a 5,000-image page through --json into a consumer that parses it', async () => {
    const page = join(dir, 'big.html');
    writeFileSync(page, `<!doctype html><html lang="en"><head><title>Big</title></head><body>${Array.from({ length: 5000 }, (_, i) => `<img src="img/${i}.png" width="4" height="4">`).join('')}</body></html>`);
    const consumer = `let s='';process.stdin.setEncoding('utf8');process.stdin.on('data',(d)=>s+=d);process.stdin.on('end',()=>{const r=JSON.parse(s);console.log(JSON.stringify({bytes:Buffer.byteLength(s),images:r.pages[0].images.length}));});`;
    const child = spawn('sh', ['-c', `node_modules/.bin/tsx lib/cli/altscout.ts audit ${JSON.stringify(page)} --json -q | node -e ${JSON.stringify(consumer)}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const code = await new Promise((ok) => child.on('close', ok));
    expect(err).toBe('');
    expect(code).toBe(0);
    const seen = JSON.parse(out) as { bytes: number; images: number };
    expect(seen.images).toBe(5000);
    expect(seen.bytes).toBeGreaterThan(131_072 * 4);
  }, 120_000);
});
