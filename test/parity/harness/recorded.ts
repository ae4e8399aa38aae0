/** Metaflow's results as recorded in the repository (test/parity/metaflow/<case>.json). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult } from './model';
import { testRoot } from './systems';

export const recordedDir = join(testRoot, 'parity', 'metaflow');

export function recordedPath(caseName: string): string {
  return join(recordedDir, `${caseName}.json`);
}

export function readRecorded(caseName: string): CaseResult | undefined {
  const p = recordedPath(caseName);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as CaseResult) : undefined;
}

export function writeRecorded(result: CaseResult): void {
  mkdirSync(recordedDir, { recursive: true });
  writeFileSync(recordedPath(result.case), `${JSON.stringify(result, null, 1)}\n`);
}
