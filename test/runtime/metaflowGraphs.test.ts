/**
 * A peer's test suite: Metaflow's core test graphs, each generated into a Stepwise flow
 * (test/support/metaflowGraphs.ts) that must lint clean, run through the real CLI with the task
 * counts and paths Metaflow's semantics give (every case of every switch taken across runs), and
 * resume from a middle step.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskClient } from '../../runtime/src/client/task';
import { className, expectedCounts, generateFlow, loadGraphs, picks, type MetaflowGraph } from '../support/metaflowGraphs';
import { Workspace } from '../support/workspace';

const LOOPS = 3;
/** `parallel` needs gang-scheduled `num_parallel` tasks (Metaflow's @parallel): out of scope. */
const OUT_OF_SCOPE = new Set(['parallel']);

describe("Metaflow's core test graphs as Stepwise flows", function () {
  this.timeout(900_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  const graphs = loadGraphs();

  it('covers every graph of the suite', () => {
    assert.deepEqual(
      graphs.map((g) => g.file),
      [
        'branch',
        'branch_in_switch',
        'foreach',
        'foreach_in_switch',
        'linear',
        'nested_branches',
        'nested_foreach',
        'parallel',
        'recursive_switch',
        'recursive_switch_inside_foreach',
        'small_foreach',
        'switch_basic',
        'switch_in_branch',
        'switch_in_foreach',
        'switch_nested',
      ],
    );
  });

  for (const g of graphs.filter((x) => !OUT_OF_SCOPE.has(x.file))) {
    it(`${g.file}: lints clean, runs every case with Metaflow's task counts and paths, resumes from a middle step`, async () => {
      const file = join(ws.dir, `${g.file}.ts`);
      writeFileSync(file, generateFlow(g));
      const check = await ws.cli(['check', file]);
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /no problems/, check.stdout);

      let firstRun: string | undefined;
      for (const pick of picks(g)) {
        const r = await ws.cli(['run', file, '--pick', String(pick), '--loops', String(LOOPS), '--quiet']);
        assert.equal(r.code, 0, `pick ${pick}: ${r.stdout}${r.stderr}`);
        const run = await ws.flow(className(g)).latestRun();
        firstRun ??= run.id;
        const expected = expectedCounts(g, pick, LOOPS);
        const tasks = await tasksByStep(ws, g, run.id);
        assert.deepEqual(countsOf(tasks), sorted(expected), `pick ${pick}`);
        await checkPaths(tasks);
      }

      const expected = expectedCounts(g, 0, LOOPS);
      const ran = Object.keys(g.graph).filter((s) => expected.has(s) && s !== 'start' && s !== 'end');
      const middle = ran[Math.floor(ran.length / 2)];
      const resumed = await ws.cli(['resume', file, middle, '--origin-run-id', firstRun!, '--quiet']);
      assert.equal(resumed.code, 0, `resume ${middle}: ${resumed.stdout}${resumed.stderr}`);
      const run = await ws.flow(className(g)).latestRun();
      const tasks = await tasksByStep(ws, g, run.id);
      assert.deepEqual(countsOf(tasks), sorted(expected), `resume from ${middle}`);
      assert.ok(tasks.get('start')![0].clonedFrom, 'start is cloned');
      assert.ok(
        tasks.get(middle)!.every((t) => !t.clonedFrom),
        `${middle} runs again`,
      );
      await checkPaths(tasks);
    });
  }
});

async function tasksByStep(ws: Workspace, g: MetaflowGraph, runId: string): Promise<Map<string, TaskClient[]>> {
  const run = await ws.flow(className(g)).run(runId);
  const out = new Map<string, TaskClient[]>();
  for (const step of await run.steps()) out.set(step.name, await step.tasks());
  return out;
}

function countsOf(tasks: Map<string, TaskClient[]>): Array<[string, number]> {
  return sorted(new Map([...tasks].map(([s, ts]) => [s, ts.length])));
}

function sorted(m: Map<string, number>): Array<[string, number]> {
  return [...m].sort((a, b) => a[0].localeCompare(b[0]));
}

/** Each task's path is its parent's plus its step (a join: its inputs' paths), its counter one more. */
async function checkPaths(tasks: Map<string, TaskClient[]>): Promise<void> {
  const byPathspec = new Map<string, TaskClient>();
  for (const ts of tasks.values()) for (const t of ts) byPathspec.set(t.pathspec, t);
  for (const t of byPathspec.values()) {
    assert.ok(t.successful, t.pathspec);
    const path = (await t.data('path')) as string[];
    const counter = (await t.data('counter')) as number;
    const parents = t.parents.map((p) => byPathspec.get(p)!);
    if (parents.length === 0) {
      assert.deepEqual(path, ['start']);
      assert.equal(counter, 1);
    } else if (t.parents.length === 1 && !(await hasBranches(t))) {
      assert.deepEqual(path, [...((await parents[0].data('path')) as string[]), t.stepName], t.pathspec);
      assert.equal(counter, ((await parents[0].data('counter')) as number) + 1, t.pathspec);
    } else {
      const branches = (await t.data('branches')) as string[];
      const parentPaths = await Promise.all(parents.map(async (p) => ((await p.data('path')) as string[]).join('>')));
      assert.deepEqual(branches, parentPaths, t.pathspec);
      const counters = await Promise.all(parents.map(async (p) => (await p.data('counter')) as number));
      assert.equal(counter, Math.max(...counters) + 1, t.pathspec);
    }
  }
}

/** A join task (it set `branches` and starts its path afresh). */
async function hasBranches(t: TaskClient): Promise<boolean> {
  const path = (await t.data('path')) as string[];
  return path.length === 1 && path[0] === t.stepName;
}
