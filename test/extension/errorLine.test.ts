/**
 * The one line a failed run's notification carries (client/src/runs/errorLine.ts), from what
 * the real CLI prints: its own error when no task ran (the flow does not lint, a package is
 * missing), a task exception's first line otherwise.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliError, firstLine } from '../../client/src/runs/errorLine';
import { fixtures, runCli } from '../support/cli';

const lines = (s: string) => s.split('\n').filter((l) => l !== '');

describe('the run-failed notification’s error line', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'stepwise-errorline-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a flow that does not lint: the CLI’s refusal with its first finding', async () => {
    const file = join(fixtures, 'invalid', 'no_end.ts');
    const r = await runCli(['run', file, '--json-events'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    const line = cliError(lines(r.stderr)) ?? '';
    assert.ok(line.startsWith('the flow has 2 errors; fix them first'), line);
    assert.match(line, /no_end\.ts:3:22: error SW002: The flow `NoEndFlow` has no `end` step/);
    assert.ok(!line.includes('\n'));
  });

  it('a package that is not installed: the CLI’s one line, naming it and the install command', async () => {
    const file = join(dir, 'needs.ts');
    writeFileSync(
      file,
      `import _ from 'lodash-not-here';\nimport { FlowSpec, step } from 'stepwise';\nexport default class NeedsFlow extends FlowSpec {\n  @step start() { this.next(this.end); }\n  @step end() {}\n}\n`,
    );
    const r = await runCli(['run', file, '--json-events'], { cwd: dir });
    assert.equal(r.code, 2, r.stderr);
    assert.equal(
      cliError(lines(r.stderr)),
      `cannot run ${file}: the package 'lodash-not-here' it imports is not installed (npm install lodash-not-here in ${dir})`,
    );
  });

  it('no CLI error line: nothing; a task exception: its name and first message line', () => {
    assert.equal(cliError(['some output', '']), undefined);
    assert.equal(firstLine({ name: 'Error', message: 'held failure\nsecond line' }), 'Error: held failure');
    assert.equal(firstLine({ name: 'TypeError', message: 'TypeError: x is not a function' }), 'TypeError: x is not a function');
    assert.equal(firstLine(undefined), undefined);
  });
});
