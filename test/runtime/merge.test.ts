/** mergeArtifacts options as Metaflow's merge_artifacts takes them (issue 21, item 1). */
import { strict as assert } from 'node:assert';
import { Workspace, taskLines } from '../support/workspace';

describe('mergeArtifacts options, as in Metaflow', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let file: string;
  beforeEach(() => {
    ws = new Workspace();
    file = ws.copy('runtime/merge_options.ts');
  });
  afterEach(() => ws.dispose());
  const run = (options: object) => ws.cli(['run', file], { MERGE_OPTIONS: JSON.stringify(options) });

  it('include and exclude together fail the join, saying they are mutually exclusive', async () => {
    const r = await run({ include: ['y'], exclude: ['x'] });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /Step failure: step join/);
    assert.match(r.stdout, /include and exclude are mutually exclusive/);
  });

  it('an empty include means no include: everything not divergent merges (Metaflow: `include or []`)', async () => {
    const r = await run({ include: [], exclude: ['x'] });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(taskLines(r.stdout, 'end'), ['merged total y']);
  });

  it('include may name an artifact the join set itself, as Metaflow allows', async () => {
    const r = await run({ include: ['y', 'total'] });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(taskLines(r.stdout, 'end'), ['merged total y']);
  });

  it('include naming what neither a branch nor the join has still fails, naming it', async () => {
    const r = await run({ include: ['y', 'nope'] });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /include names 'nope', which no branch has/);
  });
});
