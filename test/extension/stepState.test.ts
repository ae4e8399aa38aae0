/** One step-state derivation: its precedence, and the explorer and the preview agreeing on real runs. */
import * as assert from 'node:assert/strict';
import { ExplorerModel, type ExplorerNode } from '../../client/src/explorer/model';
import { runOverlay } from '../../client/src/state/runs';
import { stepStateOf, type StepCounts } from '../../client/src/state/stepState';
import { explorerDatastore } from './datastore';

const none: StepCounts = { tasks: 0, done: 0, cloned: 0, running: 0, failed: 0, killed: 0 };
const counts = (c: Partial<StepCounts>): StepCounts => ({ ...none, ...c });

describe('step state (one derivation for the explorer and the preview)', function () {
  this.timeout(1_800_000);

  it('ranks failed, then killed, above running', () => {
    assert.equal(stepStateOf(counts({ tasks: 3, running: 1, failed: 1, killed: 1 }), 'running'), 'failed');
    assert.equal(stepStateOf(counts({ tasks: 3, done: 1, running: 1, killed: 1 }), 'running'), 'killed');
    assert.equal(stepStateOf(counts({ tasks: 2, done: 1, running: 1 }), 'running'), 'running');
  });

  it("reads the run's status: a task left running in a killed run, a step short of its tasks", () => {
    assert.equal(stepStateOf(counts({ tasks: 1, running: 1 }), 'killed'), 'killed');
    assert.equal(stepStateOf(counts({ tasks: 2, done: 2 }), 'running', 5), 'running');
    assert.equal(stepStateOf(counts({ tasks: 2, done: 2 }), 'failed', 5), 'not-run');
    assert.equal(stepStateOf(counts({ tasks: 2, done: 2 }), 'killed', 5), 'killed');
    assert.equal(stepStateOf(counts({ tasks: 2, done: 2, cloned: 2 }), 'succeeded'), 'cloned');
    assert.equal(stepStateOf(counts({ tasks: 2, done: 2, cloned: 1 }), 'succeeded'), 'succeeded');
    assert.equal(stepStateOf(none, 'succeeded'), 'not-run');
  });

  it('gives every step of real runs the same state in the explorer tree and the preview overlay', async () => {
    const ds = await explorerDatastore();
    const model = new ExplorerModel(ds.root);
    let compared = 0;
    for (const flow of await model.roots()) {
      if (flow.kind !== 'flow') continue;
      for (const run of await model.children(flow)) {
        if (run.kind !== 'run') continue;
        const overlay = await runOverlay(ds.root, flow.flow, run.runId);
        const steps = (await model.children(run)).filter((s): s is Extract<ExplorerNode, { kind: 'step' }> => s.kind === 'step');
        assert.ok(steps.length > 0);
        for (const s of steps) {
          assert.equal(s.status, overlay?.steps[s.step]?.state, `${run.flow}/${run.runId}/${s.step}`);
          compared++;
        }
      }
    }
    assert.ok(compared >= 8, `only ${compared} steps compared`);
  });
});
