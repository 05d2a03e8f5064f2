// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import Ajv from 'ajv-draft-04';
import { validateXML } from 'xmllint-wasm';
import { checkAuditArgs, AUDIT_SPEC } from '@/lib/cli/audit';
import { helpText, parseCommand, UsageError } from '@/lib/cli/args';
import { compareWithBaseline } from '@/lib/cli/baseline';
import { csvText, exitCode, tableText } from '@/lib/cli/formats';
import { junitText } from '@/lib/cli/junit';
import { sarifLog } from '@/lib/cli/sarif';
import { inShard, parseShard, parseUrlList, shardOf, Crawl } from '@/lib/cli/pages';
import { auditResult, parseResultText, type ImageResult, type PageResult } from '@/lib/cli/result';
import { Robots } from '@/lib/cli/robots';
import { launchFailure, launchOptions, NO_SANDBOX_ENV } from '@/lib/cli/browser';
import { blockMatcher } from '@/lib/cli/scan-pages';
import { MODELS_SPEC } from '@/lib/cli/models';
import { MERGE_SPEC } from '@/lib/cli/merge';
import { DESCRIBE_SPEC } from '@/lib/cli/describe';

const img = (over: Partial<ImageResult> = {}): ImageResult => ({
  selector: 'main > img:nth-of-type(1)', kind: 'img', status: 'missing', reasons: [{ code: 'no-alt', text: 'No alt' }], alt: null, src: 'https://a.test/1.png', frame: 0, ...over,
});
const page = (url: string, images: ImageResult[], over: Partial<PageResult> = {}): PageResult => {
  const counts = { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 };
  for (const i of images) counts[i.status] += 1;
  return { url, title: '', scanMs: 1, loadMs: 10, readyState: 'complete', scannedBeforeLoad: false, settled: true, frames: 1, counts, images, ...over };
};
const parse = (argv: string[]) => {
  const parsed = parseCommand(AUDIT_SPEC, argv);
  if (parsed === 'help') throw new Error('help');
  return checkAuditArgs(parsed);
};

describe('one argument parser for every command', () => {
  it.each([AUDIT_SPEC, MODELS_SPEC, MERGE_SPEC, DESCRIBE_SPEC])('$name --help has the shared layout', (spec) => {
    const text = helpText(spec);
    expect(text).toMatch(new RegExp(`^Usage: npm run altscout -- ${spec.name} `));
    expect(text).toContain('\nOptions:\n');
    expect(text).toMatch(/ {2}-h, --help {2,}show this help/);
    expect(parseCommand(spec, ['--help'])).toBe('help');
  });

  it('refuses bad audit input with a sentence naming the option', () => {
    expect(() => parse([])).toThrow(/at least one URL/);
    expect(() => parse(['https://a.test/', '--verbose'])).toThrow(/Unknown option "--verbose"/);
    expect(() => parse(['https://a.test/', '--format', 'pdf'])).toThrow(/--format takes table, json, jsonl, csv, junit, sarif or html \(got "pdf"\)/);
    expect(() => parse(['https://a.test/', '--json', '--format', 'csv'])).toThrow(/different formats/);
    expect(() => parse(['https://a.test/', '--concurrency', '0'])).toThrow(/--concurrency takes a whole number from 1 to 64/);
    expect(() => parse(['https://a.test/', '--wait-ms', 'soon'])).toThrow(/--wait-ms takes a whole number/);
    expect(() => parse(['https://a.test/', '--shard', '4/3'])).toThrow(/--shard takes i\/n/);
    expect(() => parse(['--crawl', 'https://a.test/', '--shard', '1/2'])).toThrow(/list them first/);
    expect(() => parse(['https://a.test/', '--fail-on'])).toThrow(/--fail-on needs a value/);
    expect(() => parse(['no/such/file.html'])).toThrow(/neither a URL/);
  });

  it('reads every audit option', () => {
    const args = parse(['https://a.test/', '--json', '--fail-on=suspicious', '--concurrency', '3', '--wait-ms', '2000', '--block', '*.ads.test', '--block', 'tracker', '--shard', '2/5', '-q']);
    expect(args).toMatchObject({ targets: ['https://a.test/'], format: 'json', failOn: 'suspicious', concurrency: 3, waitMs: 2000, block: ['*.ads.test', 'tracker'], shard: { index: 2, total: 5 }, quiet: true, thumbnails: false });
    expect(parse(['https://a.test/', '--format', 'html']).thumbnails).toBe(true);
  });
});

describe('shards', () => {
  const urls = Array.from({ length: 500 }, (_, i) => `https://site.test/page/${i}`);

  it('are disjoint, together the whole list, and the same whatever order the list came in', () => {
    const shards = [1, 2, 3, 4, 5].map((index) => inShard(urls, parseShard(`${index}/5`)));
    expect(shards.flat().sort()).toEqual([...urls].sort());
    expect(new Set(shards.flat()).size).toBe(urls.length);
    for (const s of shards) expect(s.length).toBeGreaterThan(60); // roughly even
    expect(inShard([...urls].reverse(), { index: 2, total: 5 }).sort()).toEqual([...shards[1]].sort());
    expect(shardOf(urls[7], 5)).toBe(shardOf(urls[7], 5));
  });
});

describe('robots.txt', () => {
  const robots = Robots.parse(`
User-agent: *
Disallow: /private/
Allow: /private/open.html
Disallow: /*.pdf$

User-agent: AltScout
Disallow: /no-scouts/
Disallow: /private/
Allow: /private/open.html
`);

  it('keeps the group for altscout, the longest match winning', () => {
    expect(robots.allows('https://s.test/no-scouts/a.html')).toBe(false);
    expect(robots.allows('https://s.test/private/x.html')).toBe(false);
    expect(robots.allows('https://s.test/private/open.html')).toBe(true);
    expect(robots.allows('https://s.test/doc.pdf')).toBe(true); // only in the * group
    expect(Robots.parse('User-agent: *\nDisallow: /*.pdf$').allows('https://s.test/doc.pdf')).toBe(false);
    expect(Robots.parse('User-agent: *\nDisallow: /*.pdf$').allows('https://s.test/doc.pdf?x')).toBe(true);
    expect(Robots.parse('User-agent: *\nDisallow:').allows('https://s.test/any')).toBe(true);
    expect(Robots.disallowAll().allows('https://s.test/')).toBe(false);
  });

  it('keeps a crawl inside the site, its depth, its patterns and robots.txt', () => {
    const crawl = new Crawl(['https://s.test/'], { maxPages: 4, maxDepth: 1, include: [], exclude: ['/tag/'], robots });
    crawl.offer('https://other.test/a', 1);
    crawl.offer('https://s.test/a#top', 1);
    crawl.offer('https://s.test/a', 1);
    crawl.offer('https://s.test/tag/x', 1);
    crawl.offer('https://s.test/private/x.html', 1);
    crawl.offer('https://s.test/deep', 2);
    crawl.offer('https://s.test/b', 1);
    crawl.offer('https://s.test/c', 1);
    crawl.offer('https://s.test/d', 1);
    const taken = [];
    for (let t = crawl.take(); t; t = crawl.take()) taken.push(t.url);
    expect(taken).toEqual(['https://s.test/', 'https://s.test/a', 'https://s.test/b', 'https://s.test/c']);
    expect(crawl.robotsSkipped).toBe(1);
  });
});

describe('lists and patterns', () => {
  it('reads URL lists with comments and says which line is wrong', () => {
    expect(parseUrlList('# pages\nhttps://a.test/\n\n  https://a.test/b  \n', 'list.txt')).toEqual(['https://a.test/', 'https://a.test/b']);
    expect(() => parseUrlList('https://a.test/\nnot a url', 'list.txt')).toThrow(/list.txt line 2: "not a url" is neither a URL/);
  });

  it('blocks like Lighthouse: contains, with * wildcards', () => {
    const blocked = blockMatcher(['*.doubleclick.net', 'tracker.js', 'https://cdn.test/*/ads/']);
    expect(blocked('https://ad.doubleclick.net/x')).toBe(true);
    expect(blocked('https://s.test/js/tracker.js?v=1')).toBe(true);
    expect(blocked('https://cdn.test/v2/ads/a.js')).toBe(true);
    expect(blocked('https://cdn.test/v2/img/a.png')).toBe(false);
    expect(blockMatcher([])('https://x.test/')).toBe(false);
  });
});

describe('baseline', () => {
  it('lists new, fixed and unchanged; a moved image is still the same problem; --fail-on counts new ones', () => {
    const before = [page('https://s.test/', [img(), img({ selector: 'main > img:nth-of-type(2)', src: 'https://a.test/2.png' }), img({ selector: '#gone', src: 'https://a.test/3.png' })])];
    const now = [page('https://s.test/', [
      img(),
      img({ selector: 'main > div > img:nth-of-type(1)', src: 'https://a.test/2.png' }),
      img({ selector: '#fresh', src: 'https://a.test/4.png' }),
      img({ selector: '#fine', status: 'ok', reasons: [], alt: 'A kite', src: 'https://a.test/5.png' }),
    ])];
    const { pages, totals } = compareWithBaseline(now, before);
    expect(totals).toEqual({ new: 1, fixed: 1, unchanged: 2 });
    expect(pages[0].images.map((i) => i.change)).toEqual(['unchanged', 'unchanged', 'new', undefined]);
    expect(pages[0].fixed?.map((i) => i.selector)).toEqual(['#gone']);
    expect(exitCode(pages, 'missing', true)).toBe(1);
    const noneNew = compareWithBaseline([page('https://s.test/', [img()])], before).pages;
    expect(exitCode(noneNew, 'missing', true)).toBe(0);
    expect(exitCode(noneNew, 'missing', false)).toBe(1);
  });
});

describe('exit codes', () => {
  it('1 for what --fail-on names, 3 when a page could not be audited, else 0', () => {
    const suspicious = page('https://s.test/', [img({ status: 'suspicious', reasons: [{ code: 'file-name', text: 'x' }] })]);
    expect(exitCode([suspicious], 'missing', false)).toBe(0);
    expect(exitCode([suspicious], 'suspicious', false)).toBe(1);
    expect(exitCode([page('https://s.test/', [img()])], 'none', false)).toBe(0);
    expect(exitCode([page('https://s.test/x', [], { error: 'HTTP 404' })], 'none', false)).toBe(3);
  });
});

describe('reports', () => {
  const hostile = img({ selector: '#a <b>&\u0007', alt: '=HYPERLINK("http://evil.test")\u0007 <b>&', status: 'suspicious', reasons: [{ code: 'placeholder', text: 'a "placeholder" <x>' }] });
  const result = auditResult([
    page('https://s.test/', [img(), hostile, img({ selector: '#ok', status: 'ok', reasons: [], alt: 'A kite' })], { scannedBeforeLoad: true, readyState: 'interactive' }),
    page('https://s.test/broken', [], { error: 'HTTP 500 Internal Server Error', counts: { missing: 0, decorative: 0, suspicious: 0, ok: 0, ignored: 0 } }),
    page('https://t.test/other', [img({ kind: 'input-image', selector: 'form > input' })]),
  ]);

  it('JSON reads back through the result schema, and JSON Lines too', () => {
    const json = JSON.stringify(result);
    expect(parseResultText(json, 'r.json').pages).toEqual(result.pages);
    expect(parseResultText(result.pages.map((p) => JSON.stringify(p)).join('\n'), 'r.jsonl').pages).toEqual(result.pages);
    expect(() => parseResultText('{"pages": 3}', 'x.json')).toThrow(/x.json is not an AltScout audit result/);
    expect(() => parseResultText('{}\nnope', 'x.jsonl')).toThrow(/line 1 is not an AltScout page result/);
  });

  it('CSV: one row per image and per failed page, formula-safe through lib/csv.ts', () => {
    const [header, ...rows] = csvText(result).trimEnd().split('\r\n');
    expect(header).toBe('page_url,frame,selector,kind,status,reasons,alt,image_url,change');
    expect(rows).toHaveLength(5);
    expect(rows[1]).toContain(`"'=HYPERLINK(""http://evil.test"")`);
    expect(rows.find((r) => r.startsWith('https://s.test/broken'))).toContain(',error,HTTP 500');
  });

  it('table says which pages were scanned before load and sums up', () => {
    const text = tableText(result);
    expect(text).toMatch(/https:\/\/s.test\/ .*scanned before load \(interactive\)/);
    expect(text).toMatch(/could not be audited: HTTP 500/);
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 pages, 1 could not be audited, 1 scanned before load: missing 2, suspicious 1, decorative 0, ok 1, ignored 0');
  });

  it('SARIF 2.1.0: valid against the OASIS schema, one result per problem, rule per kind or reason, URL + selector', () => {
    const log = sarifLog(result);
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const validate = ajv.compile(JSON.parse(readFileSync('tests/fixtures/schemas/sarif-2.1.0.json', 'utf8')));
    expect(validate(JSON.parse(JSON.stringify(log))) ? [] : validate.errors).toEqual([]);
    const run = log.runs[0];
    expect(run.results.map((r) => r.ruleId)).toEqual(['image-alt', 'placeholder', 'input-image-alt']);
    expect(run.results[2].locations[0]).toEqual({ physicalLocation: { artifactLocation: { uri: 'https://t.test/other' } }, logicalLocations: [{ fullyQualifiedName: 'form > input', kind: 'element' }] });
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toMatch(/broken: HTTP 500/);
    // A broken log fails the same check (the check can fail).
    expect(validate({ version: '2.1.0', runs: [{ results: [] }] })).toBe(false);
  });

  it('JUnit: valid against the JUnit schema CI reads, one test case per page, failing per --fail-on', async () => {
    const xsd = readFileSync('tests/fixtures/schemas/junit.xsd', 'utf8');
    const check = async (xml: string) => (await validateXML({ xml: [{ fileName: 'r.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: xsd }] })).errors;
    const missingOnly = junitText(result, 'missing');
    expect(await check(missingOnly)).toEqual([]);
    expect(missingOnly.match(/<testcase /g)).toHaveLength(3);
    expect(missingOnly.match(/<failure /g)).toHaveLength(2);
    expect(missingOnly.match(/<error /g)).toHaveLength(1);
    expect(junitText(result, 'none').match(/<failure /g)).toBeNull();
    const withSuspicious = junitText(result, 'suspicious');
    expect(await check(withSuspicious)).toEqual([]);
    expect(withSuspicious).not.toContain('\u0007');
    expect(withSuspicious).toContain('#a &lt;b&gt;&amp;');
    expect((await check('<testsuites><testsuite tests="1"><testcase/></testsuite></testsuites>')).length).toBeGreaterThan(0);
  });
});

describe('Chromium sandbox', () => {
  it('keeps the sandbox unless the environment asks, and says what to do when it cannot start', () => {
    expect(launchOptions({}).chromiumSandbox).toBe(true);
    expect(launchOptions({ [NO_SANDBOX_ENV]: '1' }).chromiumSandbox).toBe(false);
    expect(launchOptions({ [NO_SANDBOX_ENV]: '1' }).args).not.toContain('--no-sandbox');
    expect(launchFailure('[FATAL] Running as root without --no-sandbox is not supported.', true)).toMatch(/set ALTSCOUT_CHROMIUM_NO_SANDBOX=1/);
  });

  it('rejects a usage error as UsageError', () => {
    expect(new UsageError('x')).toBeInstanceOf(Error);
  });
});
