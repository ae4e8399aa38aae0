import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Parses a command's fixed options; an unknown flag or a missing value becomes a UsageError
 * naming the flag and pointing at `--help`.
 */
export interface ParsedOptions {
  values: Record<string, string | boolean | Array<string | boolean> | undefined>;
  positionals: string[];
}

export function parseOptions(command: string, args: string[], options: Options): ParsedOptions {
  try {
    return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message.replace(/\.?\s*$/, '') : String(err);
    throw new UsageError(`${msg}. See: stepwise ${command} --help`);
  }
}

/** Parses an integer option such as `--max-workers 2`, naming the option when it is wrong. */
export function intOption(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError(`--${name} expects a whole number ≥ ${min}, got '${value}'.`);
  }
  return n;
}
