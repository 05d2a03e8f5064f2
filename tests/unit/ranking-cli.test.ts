// @vitest-environment node
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseArgs, run } from '@/lib/cli/models';

const SHARED = '../shared/data/openrouter-models-2026-08-19.json';
const dir = mkdtempSync(join(tmpdir(), 'altscout-models-'));
const ollama = join(dir, 'ollama.json');
writeFileSync(ollama, JSON.stringify({ object: 'list', data: [{ id: 'llava:13b', object: 'model' }] }));
const junk = join(dir, 'junk.json');
writeFileSync(junk, '{"data": "nope"}');

async function capture(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  const code = await run(args);
  vi.restoreAllMocks();
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url?.startsWith('/v1/models')) res.end(JSON.stringify({ data: [{ id: 'local/vision', object: 'model' }] }));
    else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise((ok) => server.close(ok)));

describe('altscout models', () => {
  it('parses its options and refuses bad ones with a reason', () => {
    expect(parseArgs(['--task', 'generation', '--json', '--limit=3', '--catalog', 'x.json'])).toEqual({ task: 'generation', json: true, limit: 3, catalog: 'x.json' });
    expect(parseArgs(['--task', 'poetry'])).toEqual({ error: '--task must be captioning or generation.' });
    expect(parseArgs(['--limit', '0'])).toEqual({ error: '--limit must be a whole number of at least 1.' });
    expect(parseArgs(['--frobnicate'])).toEqual({ error: 'Unknown option "--frobnicate".' });
    expect(parseArgs(['--help'])).toBe('help');
  });

  it.runIf(existsSync(SHARED))('prints JSON rows of rank, id, name, tier, quality, qualitySource, usdPer1kImages, reasons', async () => {
    const { code, out } = await capture(['--catalog', SHARED, '--json', '--limit', '5']);
    expect(code).toBe(0);
    const rows = JSON.parse(out);
    expect(rows).toHaveLength(5);
    expect(Object.keys(rows[0])).toEqual(['rank', 'id', 'name', 'tier', 'quality', 'qualitySource', 'usdPer1kImages', 'reasons']);
    // Every top-5 model is scored by the Artificial Analysis index alone today.
    expect(rows.map((r: { qualitySource: string }) => r.qualitySource)).toEqual(Array(5).fill('general benchmark'));
    expect(rows.map((r: { rank: number }) => r.rank)).toEqual([1, 2, 3, 4, 5]);
  });

  it.runIf(existsSync(SHARED))('prints the tier picks and a table for people', async () => {
    const { code, out } = await capture(['--catalog', SHARED, '--task', 'generation']);
    expect(code).toBe(0);
    expect(out).toMatch(/^Image generation models from .*: 9 candidates of 409, 5 unreadable entries skipped\./);
    expect(out).toMatch(/Best quality\s+google\//);
    expect(out).toMatch(/openai\/gpt-5-image .*image elo 1211/);
    expect(out).toMatch(/quality\s+quality from\s+USD\/1k img/);
    expect(out).toMatch(/openai\/gpt-5-image .*\s+vision benchmark\s+\$/);
  });

  it('lists a bare OpenAI-style server unranked, from a file or a URL', async () => {
    const file = await capture(['--catalog', ollama]);
    expect(file.code).toBe(0);
    expect(file.out).toMatch(/ids only: unranked/);
    expect(file.out).toMatch(/llava:13b/);
    const url = await capture(['--catalog', `${base}/v1`, '--json']);
    expect(url.code).toBe(0);
    expect(JSON.parse(url.out)[0]).toMatchObject({ id: 'local/vision', quality: null, usdPer1kImages: null });
  });

  it('fails with a plain sentence and exit code 1 on an unusable catalog', async () => {
    expect(await capture(['--catalog', join(dir, 'missing.json')])).toMatchObject({ code: 1, err: expect.stringMatching(/Cannot read .*missing\.json: no such file\./) });
    expect(await capture(['--catalog', junk])).toMatchObject({ code: 1, err: expect.stringMatching(/no "data" array/) });
    expect(await capture(['--catalog', `${base}/nothing/models`])).toMatchObject({ code: 1, err: expect.stringMatching(/answered 404/) });
    expect((await capture(['--task', 'poetry'])).code).toBe(2);
  });
});
