/**
 * The F5 figures of `npm run bench -- debug`, measured in this real VS Code with js-debug. Runs
 * only when the benchmark asks for it (STEPWISE_F5_SAMPLES=N), never in `npm test`:
 * - F5 → stop at a breakpoint in the 1st task (`start`) and in the 3rd task (`b`) of debug.ts;
 *   the window's first F5 (in `start`, or in `b` with STEPWISE_F5_COLD=b) is the cold figure,
 *   then N more of each give the warm medians;
 * - F5 → stop at a breakpoint in the join of a 100-task foreach (only the join is attached) vs
 *   Ctrl+F5 (noDebug) up to the join's start, alternately in the same window: the issue's ≤ 2×;
 * - whole runs vs Ctrl+F5: HelloWorldFlow under F5 with no breakpoint (no task attached: the cost
 *   of the debug session alone), and a 20-task foreach with a logpoint in its foreach step (its 20
 *   tasks attached): the per-task cost of attaching js-debug in VS Code.
 * Results go to <repo>/test-output/f5-bench.json.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { RUN_EVENT, type RunEventBody } from '../../../runtime/src/debug/protocol';
import { nextRun, nextStop, noSessionLeft, taskSessionNames } from './debugging';
import { activateStepwise, openInEditor, workspaceFile } from './support';

const samples = Number(process.env.STEPWISE_F5_SAMPLES ?? 0);
/** Which F5 comes first in the window, and so is the cold one: `start` (1st task) or `b` (3rd). */
const coldStep = process.env.STEPWISE_F5_COLD === 'b' ? 'b' : 'start';
/** Whole runs of each flow, debugged and not (0: skip them). */
const wholeRuns = Number(process.env.STEPWISE_F5_RUNS ?? Math.max(2, Math.ceil(samples / 2)));
const repo = process.env.STEPWISE_TEST_REPO ?? '';

interface RunTiming {
  ms: number;
  /** Task sessions js-debug started (tasks attached). */
  tasks: number;
  status: string;
}

interface JoinTiming {
  /** F5 → stopped in the join; Ctrl+F5 → the join task started. */
  ms: number;
  /** Task sessions js-debug started. */
  attached: number;
}

async function copyInto(relative: string, source: Uint8Array): Promise<vscode.Uri> {
  const uri = workspaceFile(relative);
  await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(uri, '..'));
  await vscode.workspace.fs.writeFile(uri, source);
  return uri;
}

function lineOf(uri: vscode.Uri, text: string): number {
  const line = readFileSync(uri.fsPath, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(text));
  assert.ok(line >= 0, `no line with ${text} in ${uri.fsPath}`);
  return line;
}

/** When each F5 was pressed (epoch ms), to line up with the adapter's and js-debug's traces. */
const pressedAt: number[] = [];

/** F5 with one breakpoint; ms until the debugger stops in `step`; then lets the run end. */
async function f5ToStop(file: vscode.Uri, line: number, step: string, timeoutMs = 90_000): Promise<number> {
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);
  const run = nextRun(timeoutMs);
  const stopped = nextStop(step, timeoutMs);
  const t0 = Date.now();
  pressedAt.push(t0);
  assert.ok(
    await vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), {
      type: 'stepwise',
      request: 'launch',
      name: 'F5 bench',
      flow: file.fsPath,
    }),
  );
  const stop = await stopped;
  const ms = Date.now() - t0;
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  await stop.session.customRequest('continue', { threadId: stop.threadId });
  await run.finished;
  await run.terminated;
  return ms;
}

/**
 * A whole run, under the debugger or not; ms from F5 to the run's end. `logAt`: a logpoint on that
 * line, so that the tasks of its step are attached (none is without one).
 */
async function wholeRun(file: vscode.Uri, noDebug: boolean, logAt?: number): Promise<RunTiming> {
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  if (logAt !== undefined) {
    const where = new vscode.Location(file, new vscode.Position(logAt, 0));
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(where, true, undefined, undefined, 'bench {this.index}')]);
  }
  await noSessionLeft();
  const run = nextRun(300_000);
  const sessions = taskSessionNames();
  const t0 = Date.now();
  try {
    assert.ok(
      await vscode.debug.startDebugging(
        vscode.workspace.getWorkspaceFolder(file),
        { type: 'stepwise', request: 'launch', name: 'F5 bench', flow: file.fsPath },
        { noDebug },
      ),
    );
    const end = await run.finished;
    const ms = Date.now() - t0;
    await run.terminated;
    return { ms, tasks: sessions.names.length, status: end.status };
  } finally {
    sessions.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  }
}

/** Ctrl+F5: ms from the key to the start of the task of `step` (the same point F5 stops at). */
async function noDebugUpTo(file: vscode.Uri, step: string): Promise<JoinTiming> {
  vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  await noSessionLeft();
  const run = nextRun(300_000);
  let t0 = 0;
  const reached = new Promise<number>((resolve) => {
    const sub = vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      const body = e.body as RunEventBody;
      if (e.event === RUN_EVENT && body.type === 'taskStarted' && body.step === step) {
        sub.dispose();
        resolve(Date.now() - t0);
      }
    });
  });
  t0 = Date.now();
  assert.ok(
    await vscode.debug.startDebugging(
      vscode.workspace.getWorkspaceFolder(file),
      { type: 'stepwise', request: 'launch', name: 'F5 bench', flow: file.fsPath },
      { noDebug: true },
    ),
  );
  const ms = await reached;
  assert.equal((await run.finished).status, 'succeeded');
  await run.terminated;
  return { ms, attached: 0 };
}

/** F5 with a breakpoint in `step`: ms to the stop, and how many task sessions were started. */
async function debugUpTo(file: vscode.Uri, line: number, step: string): Promise<JoinTiming> {
  await noSessionLeft();
  const sessions = taskSessionNames();
  try {
    const ms = await f5ToStop(file, line, step, 300_000);
    return { ms, attached: sessions.names.length };
  } finally {
    sessions.dispose();
  }
}

if (samples > 0) {
  describe('F5 benchmark', () => {
    it(`measures F5 to a breakpoint and the per-task cost of debugging (${samples} samples)`, async function () {
      this.timeout(0);
      await activateStepwise();
      const debugFlow = await copyInto('f5bench/debug.ts', await vscode.workspace.fs.readFile(workspaceFile('flows/debug.ts')));
      const hello = workspaceFile('flows/hello.ts');
      const foreach = await copyInto('f5bench/foreach20.ts', readFileSync(join(repo, 'bench', 'fixtures', 'foreach20.ts')));
      const inB = lineOf(debugFlow, 'JSON.parse');
      const inStart = lineOf(debugFlow, 'this.next(this.a, this.b)');
      const foreach100 = await copyInto('f5bench/foreach100.ts', readFileSync(join(repo, 'bench', 'fixtures', 'foreach100.ts')));
      const inJoin = lineOf(foreach100, 'this.total = inputs');
      const inSquare = lineOf(foreach, 'this.square =');

      // As a user meets F5: the flow open in an editor of a window that has finished starting.
      await openInEditor('f5bench/debug.ts');
      await new Promise((r) => setTimeout(r, Number(process.env.STEPWISE_F5_SETTLE_MS ?? 5_000)));

      const thirdTask: number[] = [];
      const firstTask: number[] = [];
      for (let i = 0; i <= samples; i++) {
        if (coldStep === 'start') firstTask.push(await f5ToStop(debugFlow, inStart, 'start'));
        thirdTask.push(await f5ToStop(debugFlow, inB, 'b'));
        if (coldStep === 'b') firstTask.push(await f5ToStop(debugFlow, inStart, 'start'));
      }
      const runs: Record<string, { debug: RunTiming[]; plain: RunTiming[] }> = {
        hello: { debug: [], plain: [] },
        foreach20: { debug: [], plain: [] },
      };
      const join100: { debug: JoinTiming[]; plain: JoinTiming[] } = { debug: [], plain: [] };
      for (let i = 0; i < wholeRuns; i++) {
        runs.hello.plain.push(await wholeRun(hello, true));
        runs.hello.debug.push(await wholeRun(hello, false));
        runs.foreach20.plain.push(await wholeRun(foreach, true));
        runs.foreach20.debug.push(await wholeRun(foreach, false, inSquare));
        join100.plain.push(await noDebugUpTo(foreach100, 'join'));
        join100.debug.push(await debugUpTo(foreach100, inJoin, 'join'));
      }
      for (const r of Object.values(runs)) for (const t of [...r.debug, ...r.plain]) assert.equal(t.status, 'succeeded');
      for (const t of join100.debug) assert.equal(t.attached, 1, 'F5 to the join of the 100-task foreach attaches the join only');
      mkdirSync(join(repo, 'test-output'), { recursive: true });
      writeFileSync(
        join(repo, 'test-output', 'f5-bench.json'),
        JSON.stringify({ coldStep, thirdTask, firstTask, runs, join100, pressedAt, measuredAt: new Date().toISOString() }, null, 1) + '\n',
      );
    });
  });
}
