/**
 * Golden files under test/golden/: compared exactly; `UPDATE_GOLDEN=1 npx mocha …` rewrites
 * them (review the diff before committing).
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../support/cli';

export const goldenRoot = join(repoRoot, 'test', 'golden');

export function expectGolden(relPath: string, actual: string): void {
  const file = join(goldenRoot, relPath);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) assert.fail(`missing golden file test/golden/${relPath}: run the tests with UPDATE_GOLDEN=1 to create it`);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from test/golden/${relPath} (UPDATE_GOLDEN=1 rewrites it)`);
}
