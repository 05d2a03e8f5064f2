import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * The one argument parser of every `altscout` command: node:util `parseArgs` (strict: unknown
 * options and missing values are refused), one help layout, one usage-error shape (exit code 2).
 */

/** Bad input on the command line: printed with the usage line, exit code 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** May be given more than once (values collected in order). */
  multiple?: boolean;
  /** Placeholder shown in the help, e.g. "N" for `--limit N`. */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** What follows the command name in the usage line, e.g. "[options] <url-or-file>...". */
  usage: string;
  /** A paragraph or two under the usage line. */
  description: string;
  options: Record<string, OptionSpec>;
  /** Closing lines: environment variables, exit codes, examples. */
  footer?: string;
}

export type OptionValues = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface Parsed {
  values: OptionValues;
  positionals: string[];
}

const HELP: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };

export function usageLine(spec: CommandSpec): string {
  return `Usage: npm run altscout -- ${spec.name} ${spec.usage}`;
}

/** Every command's help has this layout: usage, description, options in two columns, footer. */
export function helpText(spec: CommandSpec): string {
  const rows = Object.entries({ ...spec.options, help: HELP }).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`;
    return [flag, `${o.help}${o.multiple ? ' (repeatable)' : ''}`] as const;
  });
  const width = Math.min(30, Math.max(...rows.map(([flag]) => flag.length)));
  const lines = rows.map(([flag, text]) => {
    const wrapped = wrap(text, 100 - width - 4);
    const first = `  ${flag.padEnd(width)}  ${wrapped[0]}`;
    const rest = wrapped.slice(1).map((l) => `  ${' '.repeat(width)}  ${l}`);
    return flag.length > width ? [`  ${flag}`, `  ${' '.repeat(width)}  ${wrapped.join(' ')}`].join('\n') : [first, ...rest].join('\n');
  });
  return [usageLine(spec), '', spec.description, '', 'Options:', ...lines, ...(spec.footer ? ['', spec.footer] : [])].join('\n');
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  out.push(line);
  return out;
}

/** Parses `argv` for `spec`; 'help' when -h/--help is among them. Throws UsageError on bad input. */
export function parseCommand(spec: CommandSpec, argv: string[]): Parsed | 'help' {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, o] of Object.entries({ ...spec.options, help: HELP })) {
    options[name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(plainParseError(error));
  }
  if (parsed.values.help) return 'help';
  return { values: parsed.values as OptionValues, positionals: parsed.positionals };
}

/** node:util's messages name the option but read like a stack trace; these read like a sentence. */
function plainParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'(-[^'\s]+)/.exec(message)?.[1]?.replace(/^(--?[^\s<]+).*$/, '$1');
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `Unknown option "${option ?? message}".`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    if (/argument missing/.test(message)) return `${option ?? 'An option'} needs a value.`;
    return `${option ?? 'An option'} takes no value.`;
  }
  return message;
}

/**
 * Runs one command: help on -h/--help (exit 0); a UsageError thrown while parsing or checking the
 * arguments prints "altscout <name>: <sentence>", the usage line and where the help is (exit 2).
 */
export async function runCommand<T>(
  spec: CommandSpec,
  argv: string[],
  check: (parsed: Parsed) => T | Promise<T>,
  run: (args: T) => Promise<number>,
): Promise<number> {
  let args: T;
  try {
    const parsed = parseCommand(spec, argv);
    if (parsed === 'help') {
      console.log(helpText(spec));
      return 0;
    }
    args = await check(parsed);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(usageErrorText(spec, error.message));
    return 2;
  }
  return run(args);
}

export function usageErrorText(spec: CommandSpec, message: string): string {
  return `altscout ${spec.name}: ${message}\n${usageLine(spec)}\nRun "npm run altscout -- ${spec.name} --help" for every option.`;
}

// Value checks shared by the commands: each names the option in its message.

export function stringValue(values: OptionValues, name: string): string | undefined {
  const v = values[name];
  if (Array.isArray(v)) return v.at(-1) as string | undefined;
  return typeof v === 'string' ? v : undefined;
}

export function stringList(values: OptionValues, name: string): string[] {
  const v = values[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export function choice<C extends string>(values: OptionValues, name: string, choices: readonly C[], fallback: C): C {
  const v = stringValue(values, name);
  if (v === undefined) return fallback;
  if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} takes ${listOr(choices)} (got "${v}").`);
  return v as C;
}

export function intValue(values: OptionValues, name: string, range: { min: number; max?: number }, fallback: number): number;
export function intValue(values: OptionValues, name: string, range: { min: number; max?: number }, fallback?: undefined): number | undefined;
export function intValue(values: OptionValues, name: string, range: { min: number; max?: number }, fallback?: number): number | undefined {
  const v = stringValue(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\s*\d+\s*$/.test(v) || !Number.isSafeInteger(n) || n < range.min || (range.max !== undefined && n > range.max)) {
    throw new UsageError(`--${name} takes a whole number ${range.max === undefined ? `of at least ${range.min}` : `from ${range.min} to ${range.max}`} (got "${v}").`);
  }
  return n;
}

export function numberValue(values: OptionValues, name: string, range: { above: number; max: number }, fallback: number): number {
  const v = stringValue(values, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= range.above || n > range.max) throw new UsageError(`--${name} takes a number above ${range.above} and at most ${range.max} (got "${v}").`);
  return n;
}

export function listOr(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}
