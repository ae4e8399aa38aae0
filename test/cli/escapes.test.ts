/**
 * Terminal escape sequences from flow code or tags never reach the terminal raw (issue 11):
 * the run console (task output, the failed task's lines, the summary), dump, runs, logs.
 * Colours stay; everything else is shown escaped (`\u001b]52;…`).
 */
/* eslint-disable no-control-regex -- control characters are what this module matches */
import { strict as assert } from 'node:assert';
import { escapeControls, escapeInline } from '../../runtime/src/terminalText';
import { assertNoRawControls } from '../support/terminal';
import { Workspace, runIdOf } from '../support/workspace';

const TAG = 'nightly\x1b]0;retitled\x07\x1b[2J';

describe('terminal escapes from flows and tags', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let runId: string;
  let run: { code: number | null; stdout: string; stderr: string };
  before(async () => {
    ws = new Workspace();
    const file = ws.copy('runtime/escapes.ts');
    run = await ws.cli(['run', file, '--tag', TAG]);
    runId = runIdOf(run.stdout);
  });
  after(() => ws.dispose());

  it('run: task output, the failed task and the summary are escaped; colours are kept', () => {
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assertNoRawControls(run.stdout, 'run stdout');
    assertNoRawControls(run.stderr, 'run stderr');
    assert.match(
      run.stdout,
      /printed \\u001b\]52;c;Y3VybCBldmlsIHwgc2g=\\u0007\\u001b\]0;owned\\u0007\\u001b\[2J\\u001b\[H\\u009b2J\\u000d and \x1b\[32mgreen\x1b\[0m/,
    );
    assert.match(run.stdout, /warned \\u001b\]52;c;/);
    assert.match(run.stdout, /Step failure: step boom \(task 2\) failed:\n\s+Error: bad input \\u001b\]52;c;/);
  });

  it('dump: the exception and string artifacts are escaped', async () => {
    const boom = await ws.cli(['dump', `${runId}/boom/2`]);
    assert.equal(boom.code, 0, boom.stderr);
    assertNoRawControls(boom.stdout, 'dump');
    assert.match(boom.stdout, /exception: Error: bad input \\u001b\]52;c;/);
    const start = await ws.cli(['dump', `${runId}/start/1`]);
    assertNoRawControls(start.stdout, 'dump of a string artifact');
    const json = await ws.cli(['dump', `${runId}/boom/2`, '--json']);
    assertNoRawControls(json.stdout, 'dump --json');
    assert.match(
      (JSON.parse(json.stdout) as { exception: { message: string } }).exception.message,
      /\x1b\]52;c;/,
      'JSON keeps the exact text',
    );
  });

  it('runs: a tag with escapes is shown escaped, on one line', async () => {
    const r = await ws.cli(['runs', 'EscapesFlow']);
    assert.equal(r.code, 0, r.stderr);
    assertNoRawControls(r.stdout, 'runs');
    assert.match(r.stdout, /nightly\\u001b\]0;retitled\\u0007\\u001b\[2J/);
    const json = await ws.cli(['runs', 'EscapesFlow', '--json']);
    assert.deepEqual((JSON.parse(json.stdout) as Array<{ tags: string[] }>)[0].tags, [TAG]);
  });

  it("logs: the task's stdout and stderr are escaped", async () => {
    const r = await ws.cli(['logs', `${runId}/start/1`]);
    assert.equal(r.code, 0, r.stderr);
    assertNoRawControls(r.stdout + r.stderr, 'logs');
    assert.match(r.stdout, /printed \\u001b\]52;c;/);
    assert.match(r.stderr, /warned \\u001b\]52;c;/);
  });
});

describe('escapeControls', () => {
  it('keeps newlines, tabs, colours and CR + erase-line; escapes the rest, C1 included', () => {
    assert.equal(escapeControls('a\tb\nc \x1b[1;31mred\x1b[0m'), 'a\tb\nc \x1b[1;31mred\x1b[0m');
    assert.equal(escapeControls('\r\x1b[Kstatus'), '\r\x1b[Kstatus');
    assert.equal(escapeControls('x\ry'), 'x\\u000dy');
    assert.equal(escapeControls('\x1b]52;c;QQ==\x07'), '\\u001b]52;c;QQ==\\u0007');
    assert.equal(escapeControls('\x1b[2J\u009b2J\x7f\x00'), '\\u001b[2J\\u009b2J\\u007f\\u0000');
    assert.equal(escapeControls('ends in \x1b'), 'ends in \\u001b');
    assert.equal(escapeControls('plain text, ünïcödé ✓'), 'plain text, ünïcödé ✓');
  });

  it('leaves a JSON line valid JSON with the same value', () => {
    const value = { s: 'a\u009b\x7fb\x1b]0;t\x07' };
    const line = escapeControls(JSON.stringify(value));
    assertNoRawControls(line, 'json');
    assert.deepEqual(JSON.parse(line), value);
  });

  it('escapeInline escapes newlines, tabs and colours too (one table cell)', () => {
    assert.equal(escapeInline('a\nb\tc\x1b[31m'), 'a\\u000ab\\u0009c\\u001b[31m');
  });
});
