import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startFakeOpenRouter, type FakeOpenRouter } from '../support/fake-openrouter';
import { startStaticServer, type StaticServer } from '../support/static-server';
import { colourName, solidPng, toHex } from '../support/image-colour';
import { run, parseDescribeArgs } from '../../lib/cli/describe';

/** `npm run altscout -- describe`: the same scanner and pipeline, from a command line, against the fake. */
let fake: FakeOpenRouter;
let site: StaticServer;
let dir: string;
const MODEL = 'google/gemini-2.5-flash';
const caption = (rgb: [number, number, number]) => `A ${colourName(rgb)} swatch (${toHex(rgb)})`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'altscout-cli-'));
  writeFileSync(join(dir, 'red.png'), solidPng(40, 30, [220, 30, 30]));
  writeFileSync(join(dir, 'blue.png'), solidPng(40, 30, [30, 60, 220]));
  writeFileSync(join(dir, 'page.html'), `<!doctype html><html lang="en"><head><title>CLI</title></head><body>
    <img id="r" src="red.png" width="40" height="30"><a href="/shop"><img id="b" src="blue.png" width="40" height="30"></a>
    <img id="ok" src="red.png" alt="Already described" width="40" height="30">
    <svg id="icon" role="img" width="30" height="30"><rect width="30" height="30" fill="#8c32b4"/></svg></body></html>`);
  // A web page that names a file on this computer as an image, and patches what a decoder in its
  // own world would call: neither may reach it (its beacon would show up in the server's log).
  writeFileSync(join(dir, 'sneaky.html'), `<!doctype html><html lang="en"><head><title>Sneaky</title><script>
    const tell = (what) => navigator.sendBeacon('/touched?' + what);
    for (const name of ['createImageBitmap', 'fetch', 'FileReader', 'OffscreenCanvas']) {
      const real = window[name];
      window[name] = function (...a) { tell(name); return new.target ? new real(...a) : real.apply(this, a); };
    }
    Object.defineProperty(window, '__altscoutCli', { get() { tell('cli'); return undefined; }, set() { tell('cli-set'); } });
    Object.defineProperty(window, '__altscout', { get() { tell('scanner'); return undefined; }, set() { tell('scanner-set'); } });
    </script></head><body>
    <img id="local" src="file://${join(dir, 'blue.png')}" width="40" height="30">
    <img id="r" src="red.png" width="40" height="30"></body></html>`);
  fake = await startFakeOpenRouter();
  site = await startStaticServer(dir);
  process.env.ALTSCOUT_API_BASE = fake.apiBase;
  process.env.OPENROUTER_API_KEY = 'sk-or-v1-test';
});
afterAll(async () => {
  await fake?.close();
  await site?.close();
  delete process.env.ALTSCOUT_API_BASE;
  delete process.env.OPENROUTER_API_KEY;
  rmSync(dir, { recursive: true, force: true });
});

async function capture(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    return { code: await run(args), out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

describe('altscout describe', () => {
  it('describes the missing images of a served page as JSON, each with its own caption and cost', async () => {
    const { code, out } = await capture([`${site.url}/page.html`, '--model', MODEL, '--json']);
    expect(code).toBe(0);
    const result = JSON.parse(out) as { images: Array<{ src: string; selector: string; alt: string; costUsd: number; state: string }>; costUsd: number };
    const bySrc = (s: string) => result.images.find((i) => i.src.endsWith(s));
    expect(result.images).toHaveLength(3);
    expect(bySrc('red.png')?.alt).toBe(caption([220, 30, 30]));
    expect(bySrc('blue.png')?.alt).toBe(caption([30, 60, 220]));
    expect(result.images.find((i) => i.src === '')?.alt).toMatch(/^A purple swatch/);
    expect(result.costUsd).toBeCloseTo(3 * 0.00002, 10);
    // The link's target reached the model as context.
    const linkCall = fake.completions().find((r) => r.caption?.startsWith('A blue'));
    expect(JSON.stringify(linkCall?.body)).toContain('/shop');
  });

  it('prints CSV for a local file, quoting cells', async () => {
    const { code, out } = await capture([join(dir, 'page.html'), '--model', MODEL, '--csv', '--lang', 'fr']);
    expect(code).toBe(0);
    const [header, ...rows] = out.trimEnd().split(/\r?\n/);
    expect(header).toBe('image_url,selector,alt,long_description,state,error,cost_usd');
    expect(rows).toHaveLength(3);
    expect(rows.some((r) => r.startsWith('file://') && r.includes(caption([220, 30, 30])))).toBe(true);
    expect(JSON.stringify(fake.completions().at(-1)?.body)).toContain('French');
  });

  it("never reads a web page's file: images, and decodes outside the page's reach", async () => {
    const before = fake.completions().length;
    const { code, out } = await capture([`${site.url}/sneaky.html`, '--model', MODEL, '--json']);
    const result = JSON.parse(out) as { images: Array<{ src: string; alt: string; state: string; error: string }> };
    const local = result.images.find((i) => i.src.startsWith('file:'));
    expect(local).toMatchObject({ state: 'skipped', alt: '' });
    expect(local?.error).toMatch(/reads image files from this computer only for a page that is itself a file/);
    expect(result.images.find((i) => i.src.endsWith('red.png'))?.alt).toBe(caption([220, 30, 30]));
    // Only the readable image reached the model; the page's patched globals were never called.
    expect(fake.completions().length - before).toBe(1);
    expect(code).toBe(0);
    expect(site.requests().filter((u) => u.startsWith('/touched'))).toEqual([]);
  });

  it('explains a bad key and exits 1', async () => {
    process.env.OPENROUTER_API_KEY = 'sk-or-v1-wrong';
    const { code, err } = await capture([`${site.url}/page.html`, '--model', MODEL]);
    process.env.OPENROUTER_API_KEY = 'sk-or-v1-test';
    expect(code).toBe(1);
    expect(err).toMatch(/did not accept the API key/);
  });

  it('rejects bad arguments with usage and exit code 2', async () => {
    expect(() => parseDescribeArgs(['page.html'])).toThrow(/--model/);
    expect(() => parseDescribeArgs(['a', '--model', 'm', '--json', '--csv'])).toThrow(/one of --json, --csv and --format/);
    expect(() => parseDescribeArgs(['a', '--model'])).toThrow(/--model needs a value/);
    expect(() => parseDescribeArgs(['a', '--model', 'm', '--budget', '0'])).toThrow(/--budget takes a number above 0/);
    expect(() => parseDescribeArgs(['a', '--model', 'm', '--frobnicate'])).toThrow(/Unknown option "--frobnicate"/);
    expect((await capture(['nope-not-a-file.html', '--model', MODEL])).code).toBe(2);
    process.env.ALTSCOUT_API_BASE = 'http://example.com/api/v1';
    const insecure = await capture([`${site.url}/page.html`, '--model', MODEL]);
    process.env.ALTSCOUT_API_BASE = fake.apiBase;
    expect(insecure.code).toBe(2);
    expect(insecure.err).toMatch(/https/);
  });
});
