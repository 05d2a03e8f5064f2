import { readFile } from 'node:fs/promises';
import { choice, runCommand, stringValue, UsageError, type CommandSpec, type Parsed } from './args';
import { formatResult } from './audit';
import { compareWithBaseline } from './baseline';
import { exitCode, EXIT, FAIL_ON, FORMATS, summaryLine, type FailOn, type Format } from './formats';
import { fileSink, processIo, readAll, streamSink, type Io } from './io';
import { auditResult, parseResultText, ResultError, type PageResult } from './result';

export const MERGE_SPEC: CommandSpec = {
  name: 'merge',
  usage: '[options] <result>...',
  description: `Combines audit results (the JSON or JSON Lines files that "audit --format json|jsonl" wrote,
for example one per CI shard) into one report, in any format. With one result it converts it.
A page found in more than one result is kept once (the last one given wins) and named on stderr.`,
  options: {
    format: { type: 'string', value: 'FORMAT', help: `${FORMATS.join(', ')} (default json)` },
    json: { type: 'boolean', help: 'same as --format json' },
    out: { type: 'string', value: 'FILE', help: 'write the report to FILE instead of stdout' },
    'fail-on': { type: 'string', value: 'WHAT', help: 'exit 1 when the merged pages have images missing alt (missing), missing or poor alt (suspicious), or never (none, the default)' },
    baseline: { type: 'string', value: 'FILE', help: 'a previous result: --fail-on counts only new problems; the report lists new, fixed and unchanged' },
  },
  footer: `"-" reads a result from stdin.
Exit codes: 0 clean, 1 --fail-on found something, 2 usage error or an unreadable result,
3 a page in the results could not be audited.`,
};

interface MergeArgs {
  files: string[];
  format: Format;
  out: string | null;
  failOn: FailOn;
  baseline: string | null;
}

function checkMergeArgs({ values, positionals }: Parsed): MergeArgs {
  const explicit = stringValue(values, 'format');
  if (values.json === true && explicit && explicit !== 'json') throw new UsageError(`--json and --format ${explicit} ask for different formats: give one.`);
  if (!positionals.length) throw new UsageError('Give the result files to merge.');
  return {
    files: positionals,
    format: values.json === true ? 'json' : choice(values, 'format', FORMATS, 'json'),
    out: stringValue(values, 'out') ?? null,
    failOn: choice(values, 'fail-on', FAIL_ON, 'none'),
    baseline: stringValue(values, 'baseline') ?? null,
  };
}

export function run(argv: string[], io: Io = processIo()): Promise<number> {
  return runCommand(MERGE_SPEC, argv, checkMergeArgs, (args) => merge(args, io));
}

async function readResult(file: string, io: Io): Promise<PageResult[]> {
  const text = file === '-' ? await readAll(io.stdin) : await readFile(file, 'utf8').catch(() => {
    throw new ResultError(`Cannot read ${file}.`);
  });
  return parseResultText(text, file === '-' ? 'stdin' : file).pages;
}

/** Pages in the order of the files, each URL once (the last file wins); duplicates named. */
export function mergePages(results: PageResult[][]): { pages: PageResult[]; duplicates: string[] } {
  const byUrl = new Map<string, PageResult>();
  const duplicates: string[] = [];
  for (const pages of results) {
    for (const page of pages) {
      if (byUrl.has(page.url)) duplicates.push(page.url);
      byUrl.delete(page.url);
      byUrl.set(page.url, page);
    }
  }
  return { pages: [...byUrl.values()], duplicates };
}

async function merge(args: MergeArgs, io: Io): Promise<number> {
  const warn = (line: string) => void io.stderr.write(`${line}\n`);
  let results: PageResult[][];
  let baseline: PageResult[] | null = null;
  try {
    results = [];
    for (const file of args.files) results.push(await readResult(file, io));
    if (args.baseline) baseline = await readResult(args.baseline, io);
  } catch (error) {
    if (!(error instanceof ResultError)) throw error;
    warn(`altscout merge: ${error.message}`);
    return EXIT.usage;
  }
  const merged = mergePages(results);
  if (merged.duplicates.length) warn(`altscout merge: ${merged.duplicates.length} page${merged.duplicates.length === 1 ? '' : 's'} in more than one result, kept once: ${merged.duplicates.slice(0, 5).join(', ')}${merged.duplicates.length > 5 ? ', …' : ''}`);
  // A result that carried a baseline diff is diffed again against the baseline given here, if any.
  let pages = merged.pages;
  let totals = null;
  if (baseline) {
    const plain = pages.map(({ fixed: _fixed, ...p }) => ({ ...p, images: p.images.map(({ change: _change, ...i }) => i) }));
    const compared = compareWithBaseline(plain, baseline);
    pages = compared.pages;
    totals = compared.totals;
  }
  const result = auditResult(pages, totals ? { baseline: { file: args.baseline!, ...totals } } : {});
  const sink = args.out ? await fileSink(args.out) : streamSink(io.stdout);
  try {
    await sink.write(formatResult(result, args.format, args.failOn));
  } finally {
    await sink.close();
  }
  warn(`altscout merge: ${args.files.length} result${args.files.length === 1 ? '' : 's'}, ${summaryLine(result)}`);
  return exitCode(pages, args.failOn, Boolean(baseline));
}
