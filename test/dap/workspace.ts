/** A scratch folder per test with copies of conformance flows; its own `.stepwise` datastore. */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtures } from '../support/cli';

export function scratch(...flows: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-dap-'));
  mkdirSync(join(dir, '.stepwise'));
  for (const f of flows) cpSync(join(fixtures, 'flows', f), join(dir, f));
  return dir;
}

/** 1-based line of the first line of `file` that contains `needle`. */
export function lineOf(file: string, needle: string): number {
  const i = readFileSync(file, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} is not in ${file}`);
  return i + 1;
}

/** The compiled bundles of the scratch datastore (the runtime caches one per flow content). */
export function bundles(dir: string): string[] {
  const cache = join(dir, '.stepwise', '.cache', 'bundles');
  return readdirSync(cache)
    .filter((f) => /^flow-.*\.js$/.test(f))
    .map((f) => join(cache, f));
}
