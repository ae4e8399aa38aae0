/** The explorer lists a loop's passes in order under its step, each named with its pass and the case its switch took. */
import * as assert from 'node:assert/strict';
import { ExplorerModel, type ExplorerNode } from '../../client/src/explorer/model';
import { Workspace } from '../support/workspace';

describe('explorer: loop passes', function () {
  this.timeout(240_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('lists the passes of a loop in order, with pass number and case', async () => {
    const file = ws.copy('runtime/switch_loop.ts');
    const r = await ws.cli(['run', file, '--passes', '3']);
    assert.equal(r.code, 0, r.stderr);
    const model = new ExplorerModel(ws.root, { pageSize: 100 });
    const [flow] = await model.roots();
    const [run] = await model.children(flow);
    const steps = await model.children(run);
    const refine = steps.find((s: ExplorerNode) => s.label === 'refine')!;
    const tasks = await model.children(refine);
    assert.deepEqual(
      tasks.map((t) => (t.description ?? '').split(' · ').slice(0, 3).join(' · ')),
      ['pass 1 · → again · succeeded', 'pass 2 · → again · succeeded', 'pass 3 · → done · succeeded'],
    );
    const start = (await model.children(steps.find((s: ExplorerNode) => s.label === 'start')!))[0];
    assert.match(start.description ?? '', /^→ small · succeeded/);
  });
});
