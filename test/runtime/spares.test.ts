/**
 * Spare tasks (task/spare.ts): a task process or thread is started before its task is known and
 * then given exactly one. Through the real CLI: every task still has its own process (or thread),
 * module state and the run's environment; a step with another heap limit gets a process of its
 * own; no spare outlives its run.
 */
import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allGone } from '../support/background';
import { earlyProcesses, spareProcesses } from '../support/early';
import { describeIsolations } from '../support/isolation';
import { Workspace } from '../support/workspace';

const FLOW = `import { FlowSpec, resources, step } from 'stepwise';

let loads = 0;
loads++;

export default class SpareFlow extends FlowSpec {
  declare seen: Array<{ pid: number; loads: number; value: string | undefined; heapMb: number; early: boolean }>;

  private note(): void {
    const heap = require('node:v8').getHeapStatistics().heap_size_limit / 2 ** 20;
    // The process the CLI's boot started (boot/earlyTask.ts) keeps its command line.
    const early = require('node:fs').readFileSync('/proc/self/cmdline', 'utf8').split('\0').includes('--stepwise-early');
    this.seen = [...(this.seen ?? []), { pid: process.pid, loads, value: process.env.RUN_VALUE, heapMb: heap, early }];
  }

  @step start() {
    this.note();
    this.next(this.small);
  }

  @resources({ memoryMb: 96 })
  @step small() {
    this.note();
    this.next(this.again);
  }

  @step again() {
    this.note();
    this.next(this.end);
  }

  @step end() {
    this.note();
    console.log('seen', JSON.stringify(this.seen));
    // No task can follow the end step's: no spare process was started for one.
    const root = process.env.STEPWISE_DATASTORE_ROOT!;
    const fs = require('node:fs');
    const spares = fs.readdirSync('/proc').filter((p: string) => /^\\d+$/.test(p)).filter((p: string) => {
      try {
        const argv = fs.readFileSync('/proc/' + p + '/cmdline', 'utf8');
        return Number(p) !== process.pid && argv.includes('--stepwise-spare') && argv.includes(root);
      } catch {
        return false;
      }
    });
    console.log('spares at the end', spares.length);
  }
}
`;

/** Live spare processes started from this datastore's runtime copy, and early task processes of its CLIs. */
function spares(root: string): number[] {
  return [...spareProcesses(root), ...earlyProcesses(root)];
}

type Seen = Array<{ pid: number; loads: number; value: string; heapMb: number; early: boolean }>;

describeIsolations('spare task processes and threads', function (isolation) {
  this.timeout(120_000);
  let ws: Workspace;
  beforeEach(() => {
    ws = new Workspace();
    writeFileSync(join(ws.dir, 'spare.ts'), FLOW);
  });
  afterEach(() => ws.dispose());

  it('each task fresh, with the run’s environment and its own heap limit; no spare left after the run', async () => {
    const r = await ws.cli(['run', 'spare.ts'], { RUN_VALUE: 'from-the-run' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const seen = JSON.parse(/seen (.*)$/m.exec(r.stdout)![1]) as Seen;
    assert.equal(seen.length, 4);
    for (const s of seen) {
      assert.equal(s.loads, 1, 'the flow module is loaded once per task');
      assert.equal(s.value, 'from-the-run');
    }
    // @resources({ memoryMb: 96 }) is the heap limit of `small` only (the next step's is the default again).
    assert.ok(seen[1].heapMb < 200, `small's heap limit is ${seen[1].heapMb} MB`);
    assert.ok(seen[2].heapMb > 200, `again's heap limit is ${seen[2].heapMb} MB`);
    const pids = new Set(seen.map((s) => s.pid));
    assert.equal(pids.size, isolation === 'process' ? 4 : 1, `pids ${[...pids].join(', ')}`);
    // The first task ran in the process the CLI's boot started; as processes, the later ones did not.
    assert.deepEqual(
      seen.map((s) => s.early),
      isolation === 'process' ? [true, false, false, false] : [true, true, true, true],
    );
    assert.match(r.stdout, /spares at the end 0$/m);
    await allGone(spares(ws.root), 2000);
  });

  it('STEPWISE_TASK_SPARES=0: no early process either; every task starts its own process or thread', async () => {
    const r = await ws.cli(['run', 'spare.ts'], { RUN_VALUE: 'v', STEPWISE_TASK_SPARES: '0' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const seen = JSON.parse(/seen (.*)$/m.exec(r.stdout)![1]) as Seen;
    assert.deepEqual(
      seen.map((s) => s.early),
      [false, false, false, false],
    );
  });
});
