/** A datastore made by real CLI runs, shared by the explorer tests: built once per mocha process. */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAYOUT_VERSION } from '../../runtime/src/datastore/types';
import { fixtures, repoRoot, runCli } from '../support/cli';

export const FAILING_FLOW = `import { FlowSpec, step } from 'stepwise';

export default class FailThenFixFlow extends FlowSpec {
  declare x: number;
  declare when: Date;
  declare lookup: Map<string, number>;

  @step start() {
    this.x = 1;
    this.when = new Date('2026-01-02T03:04:05.000Z');
    this.lookup = new Map([['a', 1], ['b', 2]]);
    console.log('starting');
    this.next(this.b);
  }

  @step b() {
    if (!process.env.STEPWISE_TEST_FIXED) throw new Error('boom');
    this.x = 2;
    this.next(this.end);
  }

  @step end() {}
}
`;

export interface ExplorerDatastore {
  dir: string;
  root: string;
  failedRunId: string;
  resumedRunId: string;
  foreachRunId: string;
  wideRunId: string;
  /** The task.json the tests damaged. */
  damagedFile: string;
}

function runIdOf(stdout: string): string {
  const m = /run-id (\d+)/.exec(stdout) ?? /"runId":"(\d+)"/.exec(stdout);
  if (!m) throw new Error(`no run id in CLI output:\n${stdout}`);
  return m[1];
}

let built: Promise<ExplorerDatastore> | undefined;

export function explorerDatastore(): Promise<ExplorerDatastore> {
  built ??= build();
  return built;
}

async function build(): Promise<ExplorerDatastore> {
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-explorer-'));
  const env = { STEPWISE_DATASTORE_ROOT: '' };
  const flowFile = join(dir, 'fail_then_fix.ts');
  writeFileSync(flowFile, FAILING_FLOW);

  const failed = await runCli(['run', flowFile], { cwd: dir, env });
  if (failed.code !== 1) throw new Error(`the failing run should exit 1, got ${failed.code}: ${failed.stderr}`);
  const failedRunId = runIdOf(failed.stdout + failed.stderr);
  const resumed = await runCli(['resume', flowFile, '--origin-run-id', failedRunId], {
    cwd: dir,
    env: { ...env, STEPWISE_TEST_FIXED: '1' },
  });
  if (resumed.code !== 0) throw new Error(`resume failed: ${resumed.stdout}${resumed.stderr}`);
  const resumedRunId = runIdOf(resumed.stdout + resumed.stderr);

  const fe = await runCli(['run', join(fixtures, 'flows', 'foreach.ts')], { cwd: dir, env });
  if (fe.code !== 0) throw new Error(`foreach run failed: ${fe.stderr}`);
  const foreachRunId = runIdOf(fe.stdout + fe.stderr);

  const root = join(dir, '.stepwise');
  const wideRunId = await copyWideRun(root);
  // A task record cut off half-way, as a crash or a full disk leaves it.
  const stepDir = join(root, 'ForeachFlow', 'runs', foreachRunId, 'analyzeCreatures');
  const victim = readdirSync(stepDir).sort((a, b) => Number(a) - Number(b))[1];
  const damagedFile = join(stepDir, victim, 'task.json');
  writeFileSync(damagedFile, '{"flow":"ForeachFlow","runId":"');
  return { dir, root, failedRunId, resumedRunId, foreachRunId, wideRunId, damagedFile };
}

/**
 * A real 1000-task foreach run (test/fixtures/flows/wide_foreach.ts, --max-num-splits 1000). It
 * takes minutes on a busy 2-core machine, so one run is kept in out/cache/, keyed by the flow's
 * text and the datastore layout version, and copied into each test datastore.
 */
export async function wideRunStore(): Promise<{ root: string; runId: string }> {
  const flow = join(fixtures, 'flows', 'wide_foreach.ts');
  const key = createHash('sha256').update(readFileSync(flow)).update(String(LAYOUT_VERSION)).digest('hex').slice(0, 12);
  const cache = join(repoRoot, 'out', 'cache', `explorer-wide-${key}`);
  const root = join(cache, '.stepwise');
  if (!existsSync(join(cache, 'COMPLETE'))) {
    const work = `${cache}.tmp-${process.pid}`;
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    const r = await runCli(['run', flow, '--max-num-splits', '1000', '--max-workers', '2'], {
      cwd: work,
      env: { STEPWISE_DATASTORE_ROOT: '' },
      timeoutMs: 1_800_000,
    });
    if (r.code !== 0) throw new Error(`wide foreach run failed: ${r.stderr}`);
    writeFileSync(join(work, 'COMPLETE'), runIdOf(r.stdout + r.stderr));
    rmSync(cache, { recursive: true, force: true });
    renameSync(work, cache);
  }
  return { root, runId: readFileSync(join(cache, 'COMPLETE'), 'utf8').trim() };
}

async function copyWideRun(root: string): Promise<string> {
  const wide = await wideRunStore();
  cpSync(join(wide.root, 'WideForeachFlow'), join(root, 'WideForeachFlow'), { recursive: true });
  return wide.runId;
}
