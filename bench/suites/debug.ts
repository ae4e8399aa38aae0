/**
 * Debugging figures (issues 6 and 15), on the real adapter (`node dist/cli.js dap` over stdio).
 * Under the debugger a task is attached only where a stop can happen (issue 15), so each figure
 * says which tasks js-debug (or the test's CDP client) attached.
 * - In a real VS Code (code-server + Chromium, js-debug), by the `F5 benchmark` suite
 *   (test/vscode/suite/f5bench.test.ts): F5 → stop at a breakpoint in the 1st and in the 3rd task,
 *   cold (the window's first F5) and warm; F5 → stop at a breakpoint in the join of a 100-task
 *   foreach against Ctrl+F5 up to that join (target ≤ 2×); whole runs vs Ctrl+F5 of
 *   HelloWorldFlow with no breakpoint (nothing attached) and of a 20-task foreach with a logpoint
 *   in its foreach step (20 tasks attached: the per-task cost of attaching).
 * - Over DAP alone, with a test-side CDP client standing in for js-debug: F5 → first breakpoint
 *   from the adapter's spawn to CDP's `Debugger.paused` on a source-mapped TypeScript line, and
 *   the adapter's own per-task cost (exception breakpoints on, so every task is attached, vs noDebug).
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import {
  ATTACH_EVENT,
  RUN_EVENT,
  type AttachEventBody,
  type RunEventBody,
  type StepwiseLaunchArguments,
} from '../../runtime/src/debug/protocol';
import { median, round, type BenchFigure, type BenchSuite } from '../report';

const root = join(__dirname, '..', '..', '..');
const cli = join(root, 'dist', 'cli.js');

// The test suite's CDP client and source-map lookup (test/dap), loaded from the compiled tests
// rather than copied here.
interface Cdp {
  send(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  on(method: string, listener: (p: Record<string, unknown>) => void): void;
  closed: Promise<void>;
}
const { CdpClient } = require(join(root, 'out', 'test', 'dap', 'cdp.js')) as { CdpClient: { connect(url: string): Promise<Cdp> } };
const { generatedPositionFor } = require(join(root, 'out', 'test', 'dap', 'sourceMap.js')) as {
  generatedPositionFor(bundle: string, file: string, line: number): { lineNumber: number; columnNumber: number };
};

class StdioClient extends DebugClient {
  attachTo(out: NodeJS.ReadableStream, inp: NodeJS.WritableStream): void {
    this.connect(out as never, inp as never);
  }
}

interface Outcome {
  spawnedAt: number;
  firstHitAt?: number;
  runMs: number;
  tasks: number;
  status: string;
}

function scratch(flowFile: string): { dir: string; flow: string } {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-debug-'));
  mkdirSync(join(dir, '.stepwise'));
  const flow = join(dir, flowFile.split('/').pop()!);
  cpSync(flowFile, flow);
  return { dir, flow };
}

/**
 * One adapter session. `breakAt` sets a breakpoint on that TypeScript line, told to the adapter
 * (which attaches the tasks of that step) and to each attached task; `attachAll` turns the
 * uncaught-exception filter on, as VS Code's checkbox does, which attaches every task.
 */
async function session(flowFile: string, args: Partial<StepwiseLaunchArguments>, breakAt?: string, attachAll = false): Promise<Outcome> {
  const { dir, flow } = scratch(flowFile);
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [cli, 'dap'], { cwd: dir, stdio: ['pipe', 'pipe', 'inherit'] });
  const dc = new StdioClient('node', cli, 'stepwise');
  dc.attachTo(child.stdout!, child.stdin!);
  const out: Outcome = { spawnedAt, runMs: 0, tasks: 0, status: '' };
  const line = breakAt
    ? readFileSync(flow, 'utf8')
        .split('\n')
        .findIndex((l) => l.includes(breakAt)) + 1
    : 0;
  const attached: Promise<void>[] = [];
  dc.on(ATTACH_EVENT, (e: DebugProtocol.Event) => {
    const body = e.body as AttachEventBody;
    attached.push(
      (async () => {
        const cdp = await CdpClient.connect(body.inspectorUrl);
        cdp.on('Debugger.paused', (p) => {
          if (((p.hitBreakpoints as string[] | undefined) ?? []).length) out.firstHitAt ??= Date.now();
          void cdp.send('Debugger.resume');
        });
        await cdp.send('Debugger.enable');
        if (line) {
          const cache = join(dir, '.stepwise', '.cache', 'bundles');
          const bundle = join(
            cache,
            readdirSync(cache).find((f) => /^flow-.*\.js$/.test(f))!,
          );
          const pos = generatedPositionFor(bundle, flow, line);
          await cdp.send('Debugger.setBreakpointByUrl', { urlRegex: 'flow-[0-9a-f]+\\.js$', ...pos });
        }
        await cdp.send('Runtime.runIfWaitingForDebugger');
        await cdp.closed;
      })(),
    );
  });
  const finished = new Promise<void>((resolve) => {
    let startedAt = 0;
    dc.on(RUN_EVENT, (e: DebugProtocol.Event) => {
      const ev = e.body as RunEventBody;
      if (ev.type === 'runStarted') startedAt = Date.now();
      if (ev.type === 'taskFinished') out.tasks++;
      if (ev.type === 'runFinished') {
        out.runMs = Date.now() - startedAt;
        out.status = ev.status;
        resolve();
      }
    });
  });
  await dc.initializeRequest({ adapterID: 'stepwise', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launched = dc.launchRequest({ flow, command: 'run', ...args } as DebugProtocol.LaunchRequestArguments);
  if (line) await dc.setBreakpointsRequest({ source: { path: flow }, breakpoints: [{ line }] });
  if (attachAll) await dc.setExceptionBreakpointsRequest({ filters: ['uncaught'] });
  await dc.configurationDoneRequest();
  await launched;
  await finished;
  await Promise.all(attached);
  await dc.disconnectRequest({}).catch(() => undefined);
  await new Promise((resolve) => child.once('close', resolve));
  rmSync(dir, { recursive: true, force: true });
  if (out.status !== 'succeeded') throw new Error(`bench run of ${flowFile} ${out.status}`);
  return out;
}

async function overhead(label: string, flowFile: string, times: number): Promise<BenchFigure[]> {
  const plain: number[] = [];
  const debug: number[] = [];
  let tasks = 0;
  for (let i = 0; i < times; i++) {
    plain.push((await session(flowFile, { noDebug: true })).runMs);
    const d = await session(flowFile, { __stepwiseAttach: true }, undefined, true);
    debug.push(d.runMs);
    tasks = d.tasks;
  }
  const p = median(plain);
  const d = median(debug);
  return [
    {
      group: 'debug',
      name: `${label} over DAP only: run without the debugger, 1 worker (median of ${times})`,
      value: round(p, 0),
      unit: 'ms',
      note: `${tasks} tasks`,
    },
    {
      group: 'debug',
      name: `${label} over DAP only: exception breakpoints on, so every task under the inspector and attached by a CDP client (median of ${times})`,
      value: round(d, 0),
      unit: 'ms',
    },
    { group: 'debug', name: `${label} over DAP only: the adapter's overhead per task`, value: round((d - p) / tasks, 0), unit: 'ms' },
  ];
}

interface F5Bench {
  thirdTask: number[];
  firstTask: number[];
  join100: { debug: Array<{ ms: number; attached: number }>; plain: Array<{ ms: number }> };
  runs: Record<string, { debug: Array<{ ms: number; tasks: number }>; plain: Array<{ ms: number }> }>;
  measuredAt: string;
}

/** One code-server window running the `F5 benchmark` suite (the launcher of `npm run test:vscode`). */
function benchWindow(env: Record<string, string>): F5Bench {
  const out = join(root, 'test-output', 'f5-bench.json');
  rmSync(out, { force: true });
  const r = spawnSync(process.execPath, [join(root, 'out', 'test', 'vscode', 'launch.js')], {
    cwd: root,
    env: { ...process.env, STEPWISE_VSCODE_GREP: 'F5 benchmark', ...env },
    encoding: 'utf8',
    timeout: 20 * 60_000,
  });
  if (r.status !== 0 || !existsSync(out)) {
    throw new Error(`the F5 benchmark in code-server failed (exit ${r.status}):\n${(r.stdout ?? '').split('\n').slice(-30).join('\n')}`);
  }
  return JSON.parse(readFileSync(out, 'utf8')) as F5Bench;
}

/**
 * F5 figures in a real VS Code. Two windows, so that each F5 figure has a cold sample (the
 * window's first F5): the first window starts with the 1st-task breakpoint and also times whole
 * runs; the second starts with the 3rd-task one.
 */
function inVsCode(): BenchFigure[] {
  const samples = Number(process.env.STEPWISE_F5_SAMPLES ?? 5);
  const a = benchWindow({ STEPWISE_F5_SAMPLES: String(samples), STEPWISE_F5_COLD: 'start' });
  const b = benchWindow({ STEPWISE_F5_SAMPLES: '1', STEPWISE_F5_COLD: 'b', STEPWISE_F5_RUNS: '0' });
  const where = "code-server + Chromium; js-debug attaches only the breakpoint's task";
  const f5 = (name: string, cold: number, warm: number[]): BenchFigure[] => {
    const w = median(warm);
    return [
      {
        group: 'debug',
        name: `F5 → stop at a breakpoint in ${name}, cold (the window's first F5)`,
        value: cold,
        unit: 'ms',
        target: '≤ 3 s',
        ok: cold <= 3000,
        note: where,
      },
      {
        group: 'debug',
        name: `F5 → stop at a breakpoint in ${name}, warm (median of ${warm.length})`,
        value: round(w, 0),
        unit: 'ms',
        target: '≤ 3 s',
        ok: w <= 3000,
        note: `min ${Math.min(...warm)}, max ${Math.max(...warm)}`,
      },
    ];
  };
  return [
    ...f5('the 1st task (debug.ts `start`)', a.firstTask[0], a.firstTask.slice(1)),
    ...f5('the 3rd task (debug.ts `b`, after `start` and `a`)', b.thirdTask[0], a.thirdTask),
    ...joinOf100(a.join100),
    ...wholeRuns(a.runs),
  ];
}

/** F5 to a breakpoint in the join of a 100-task foreach against Ctrl+F5 up to that join (issue 15). */
function joinOf100(r: F5Bench['join100']): BenchFigure[] {
  const d = median(r.debug.map((x) => x.ms));
  const p = median(r.plain.map((x) => x.ms));
  const ratio = d / p;
  return [
    {
      group: 'debug',
      name: `100-task foreach in VS Code: Ctrl+F5 (no debugger) → its join task starts (median of ${r.plain.length})`,
      value: round(p, 0),
      unit: 'ms',
      note: `101 tasks before the join (start, 100 split tasks), 1 worker; samples ${r.plain.map((x) => x.ms).join(', ')}`,
    },
    {
      group: 'debug',
      name: `100-task foreach in VS Code: F5 → stopped at a breakpoint in its join (median of ${r.debug.length})`,
      value: round(d, 0),
      unit: 'ms',
      note: `samples ${r.debug.map((x) => x.ms).join(', ')}; task sessions started: ${[...new Set(r.debug.map((x) => x.attached))].join(', ')} (the join only)`,
    },
    {
      group: 'debug',
      name: '100-task foreach in VS Code: F5 to the join ÷ Ctrl+F5 to the join, same window',
      value: round(ratio, 2),
      unit: 'ratio',
      target: '≤ 2×',
      ok: ratio <= 2,
    },
  ];
}

/**
 * Whole runs, F5 against Ctrl+F5: HelloWorldFlow with no breakpoint attaches no task (what the
 * debug session alone costs); the 20-task foreach with a logpoint in its foreach step attaches
 * those 20 tasks (what attaching js-debug costs per task).
 */
function wholeRuns(runs: F5Bench['runs']): BenchFigure[] {
  const figures: BenchFigure[] = [];
  for (const [label, key, how] of [
    ['HelloWorldFlow', 'hello', 'no breakpoint, so no task attached'],
    ['20-task foreach', 'foreach20', 'a logpoint in `square_it`, so its 20 tasks attached by js-debug'],
  ] as const) {
    const run = runs[key];
    const attached = run.debug[0].tasks;
    const d = median(run.debug.map((x) => x.ms));
    const p = median(run.plain.map((x) => x.ms));
    figures.push(
      {
        group: 'debug',
        name: `${label} in VS Code: Ctrl+F5 (no debugger) → run finished (median of ${run.plain.length})`,
        value: round(p, 0),
        unit: 'ms',
      },
      {
        group: 'debug',
        name: `${label} in VS Code: F5 with ${how} → run finished (median of ${run.debug.length})`,
        value: round(d, 0),
        unit: 'ms',
        note: `${attached} task sessions`,
      },
      attached
        ? {
            group: 'debug',
            name: `${label} in VS Code: cost per attached task (F5 − Ctrl+F5) ÷ ${attached}`,
            value: round((d - p) / attached, 0),
            unit: 'ms',
          }
        : { group: 'debug', name: `${label} in VS Code: F5 − Ctrl+F5 with nothing attached`, value: round(d - p, 0), unit: 'ms' },
    );
  }
  return figures;
}

export const suite: BenchSuite = {
  group: 'debug',
  async run() {
    const counter = join(root, 'test', 'fixtures', 'flows', 'counter.ts');
    const hits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const o = await session(counter, { __stepwiseAttach: true }, 'this.count += 1');
      if (!o.firstHitAt) throw new Error('the breakpoint in counter.ts was not hit');
      hits.push(o.firstHitAt - o.spawnedAt);
    }
    const f5 = median(hits);
    const figures: BenchFigure[] = [
      {
        group: 'debug',
        name: 'over DAP only: adapter spawn → CDP pause at counter.ts `add` (2nd task), test CDP client as debugger (median of 5)',
        value: round(f5, 0),
        unit: 'ms',
        target: '≤ 3 s',
        ok: f5 <= 3000,
      },
    ];
    figures.push(...inVsCode());
    figures.push(...(await overhead('HelloWorldFlow', join(root, 'test', 'fixtures', 'flows', 'hello.ts'), 3)));
    figures.push(...(await overhead('20-task foreach', join(root, 'bench', 'fixtures', 'foreach20.ts'), 3)));
    return figures;
  },
};
