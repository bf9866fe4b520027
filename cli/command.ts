// What a `kerasm` subcommand is: its options (which also make its --help), and the
// errors that map to exit codes (2: usage, 1: anything that fails while running).
import { parseArgs } from 'node:util';

/** One command-line option: parseArgs's type plus what --help says about it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** How the value is shown in --help (`N`, `FILE`, …). */
  value?: string;
  help: string;
}

/** A subcommand: `kerasm <name> …`. */
export interface Command {
  name: string;
  /** One line for `kerasm --help`. */
  summary: string;
  /** What `kerasm <name> --help` says, when more than the summary. */
  description?: string;
  /** The positional arguments, as --help shows them (e.g. `<model.kerasm>`). */
  args?: string;
  options: Record<string, OptionSpec>;
  /** Maps bare flags that may take an optional value (`--early-stopping` → `--early-stopping=3`). */
  optionalValues?: Record<string, string>;
  run(values: Values, positionals: string[]): Promise<void>;
}

export type Values = Record<string, string | boolean | undefined>;

/** A mistake in how the command was called: exit code 2, message and a pointer to --help. */
export class UsageError extends Error {}

/**
 * Parses a command's arguments strictly; unknown options and bad values become UsageErrors.
 * @example const { values, positionals } = parseCommand(train, ['--epochs', '3']);
 */
export function parseCommand(cmd: Command, argv: string[]): { values: Values; positionals: string[]; help: boolean } {
  const args = argv.map((a) => (cmd.optionalValues && Object.hasOwn(cmd.optionalValues, a) ? `${a}=${cmd.optionalValues[a]}` : a));
  const options = Object.fromEntries(
    Object.entries(cmd.options).map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }]),
  );
  try {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true, strict: true,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
    });
    const { help, ...rest } = values as Values;
    return { values: rest, positionals, help: help === true };
  } catch (e) {
    // parseArgs's messages are clear; drop its advice about '--' and positionals, which does not apply here
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new UsageError(msg[0].toLowerCase() + msg.slice(1));
  }
}

/**
 * The `kerasm <cmd> --help` text, from the command's option specs.
 * @example console.log(commandHelp(train));
 */
export function commandHelp(cmd: Command): string {
  const usage = `Usage: kerasm ${cmd.name}${cmd.args ? ' ' + cmd.args : ''} [options]`;
  const lines = [usage, '', ...wrap(cmd.description ?? cmd.summary, HELP_WIDTH), '', 'Options:'];
  const entries = Object.entries(cmd.options).map(([k, o]) => {
    const value = !o.value ? '' : o.value.startsWith('[') ? o.value : ' ' + o.value;
    return [`${o.short ? `-${o.short}, ` : ''}--${k}${value}`, o.help] as const;
  });
  entries.push(['-h, --help', 'Show this help.']);
  const width = Math.max(...entries.map(([f]) => f.length)) + 4;
  for (const [flag, help] of entries) {
    const [first, ...rest] = wrap(help, HELP_WIDTH - width);
    lines.push(`  ${flag.padEnd(width - 2)}${first}`, ...rest.map((l) => ' '.repeat(width) + l));
  }
  return lines.join('\n') + '\n';
}

const HELP_WIDTH = 100;

/** Words of `text` in lines of at most `width` characters. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) lines.push(line), (line = word);
    else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line];
}

/** A string option's value (undefined when absent); a boolean given where a value is needed is a usage error. */
export function str(values: Values, name: string): string | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new UsageError(`option '--${name}' needs a value`);
  return v;
}

/** A positive integer option, or `dflt`. */
export function positiveInt(values: Values, name: string, dflt: number): number;
export function positiveInt(values: Values, name: string, dflt?: number): number | undefined;
export function positiveInt(values: Values, name: string, dflt?: number): number | undefined {
  const v = str(values, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !(n > 0) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a positive integer, got '${v}'`);
  return n;
}

/** A non-negative integer option (e.g. a seed or a patience), or `dflt`. */
export function nonNegativeInt(values: Values, name: string, dflt?: number): number | undefined {
  const v = str(values, name);
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) throw new UsageError(`--${name} must be a non-negative integer, got '${v}'`);
  return n;
}

/** A number option, written as a decimal or a fraction (`1/255`), or undefined. */
export function number(values: Values, name: string): number | undefined {
  const v = str(values, name);
  if (v === undefined) return undefined;
  const m = /^([^/]+)\/([^/]+)$/.exec(v);
  const n = m ? Number(m[1]) / Number(m[2]) : Number(v);
  if (!Number.isFinite(n) || v.trim() === '') throw new UsageError(`--${name} must be a number (or a fraction like 1/255), got '${v}'`);
  return n;
}

/** The one value of a choice option, checked against its choices. */
export function choice<T extends string>(values: Values, name: string, choices: readonly T[], dflt: T): T {
  const v = str(values, name) ?? dflt;
  if (!choices.includes(v as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got '${v}'`);
  return v as T;
}

/** Checks the number of positional arguments. */
export function expectPositionals(cmd: Command, positionals: string[], min: number, max = min): void {
  if (positionals.length < min) throw new UsageError(`missing ${cmd.args ?? 'argument'}`);
  if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`);
}
