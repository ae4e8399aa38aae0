/** The Debug Console gets flow text escaped, as a terminal does (issue 11). */
/* eslint-disable no-control-regex -- control characters are what this module matches */
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { fixtures } from '../support/cli';
import { assertNoRawControls } from '../support/terminal';
import { AdapterUnderTest } from './adapter';
import { scratch } from './workspace';

describe('debug adapter: terminal escapes in the Debug Console', function () {
  this.timeout(120_000);
  let adapter: AdapterUnderTest | undefined;
  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
  });

  it("task output, the failed task's line and the summary reach the Debug Console escaped; colours stay", async () => {
    const dir = scratch();
    cpSync(join(fixtures, 'runtime', 'escapes.ts'), join(dir, 'escapes.ts'));
    adapter = new AdapterUnderTest(dir);
    await adapter.launch({ flow: join(dir, 'escapes.ts'), tags: ['t\x1b]0;x\x07'] });
    const end = await adapter.runFinished();
    assert.equal(end.status, 'failed', adapter.text());
    const text = adapter.text();
    assertNoRawControls(text, 'Debug Console output');
    assert.match(text, /printed \\u001b\]52;c;.* and \x1b\[32mgreen\x1b\[0m/);
    assert.match(text, /Step failure: step boom \(task 2\) failed:\n\s+Error: bad input \\u001b\]52;c;/);
  });
});
