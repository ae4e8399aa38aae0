/**
 * `@project` through the real CLI: the branch each command line gives (Metaflow's naming),
 * `current.projectName/branchName/isProduction/projectFlowName` inside steps, the project system
 * tags on the run (which `stepwise tag` cannot remove), and the mistakes that stop a run early.
 */
import { strict as assert } from 'node:assert';
import { Workspace, runIdOf } from '../support/workspace';

describe('@project: branches, current, project tags', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  async function placeOf(args: string[], user = 'alice') {
    const file = ws.copy('runtime/production/project.ts');
    const r = await ws.cli(['run', file, ...args], { STEPWISE_USER: user });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const run = await ws.flow('ProjectFlow').run(runIdOf(r.stdout));
    return { r, run, place: await (await run.step('start').task()).data('place') };
  }

  it('runs on user.<name> by default; current and the system tags say so', async () => {
    const { r, run, place } = await placeOf([]);
    assert.deepEqual(place, {
      projectName: 'demo_project',
      branchName: 'user.alice',
      isProduction: false,
      isUserBranch: true,
      projectFlowName: 'demo_project.user.alice.ProjectFlow',
    });
    assert.match(r.stdout, /Project: demo_project, Branch: user\.alice/);
    assert.deepEqual(run.systemTags, ['user:alice', 'runtime:stepwise', 'project:demo_project', 'project_branch:user.alice']);
    assert.equal(run.project?.branch, 'user.alice');
    assert.deepEqual(
      (await ws.flow('ProjectFlow').runs({ tag: 'project_branch:user.alice' })).map((x) => x.id),
      [run.id],
    );

    const remove = await ws.cli(['tag', 'remove', run.pathspec, 'project_branch:user.alice']);
    assert.equal(remove.code, 2);
    assert.match(remove.stderr, /'project_branch:user\.alice' is a system tag/);
  });

  it('--branch NAME runs on test.NAME, --production on prod, both on prod.NAME', async () => {
    const test = await placeOf(['--branch', 'new_model']);
    assert.equal((test.place as Record<string, unknown>).branchName, 'test.new_model');
    assert.equal((test.place as Record<string, unknown>).isUserBranch, false);
    assert.equal((test.place as Record<string, unknown>).projectFlowName, 'demo_project.test.new_model.ProjectFlow');
    assert.ok(test.run.systemTags.includes('project_branch:test.new_model'));

    const prod = await placeOf(['--production']);
    assert.deepEqual(prod.place, {
      projectName: 'demo_project',
      branchName: 'prod',
      isProduction: true,
      isUserBranch: false,
      projectFlowName: 'demo_project.prod.ProjectFlow',
    });
    assert.ok(prod.run.systemTags.includes('project_branch:prod'));

    const both = await placeOf(['--branch=hotfix', '--production']);
    assert.equal((both.place as Record<string, unknown>).branchName, 'prod.hotfix');

    // resume takes its branch from its own options, as Metaflow's: no flag, the user's branch
    const file = ws.copy('runtime/production/project.ts');
    const resumed = await ws.cli(['resume', file, 'end', '--origin-run-id', prod.run.id], { STEPWISE_USER: 'bob' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    const latest = await ws.flow('ProjectFlow').run(runIdOf(resumed.stdout));
    assert.equal(latest.project?.branch, 'user.bob');
    assert.match(resumed.stdout, /branch user\.bob/);
  });

  it('a bad branch name, or --branch on a flow without @project, stops before any run', async () => {
    const file = ws.copy('runtime/production/project.ts');
    const bad = await ws.cli(['run', file, '--branch', 'New-Model']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--branch New-Model: a branch name may contain only lowercase letters, digits and underscores/);
    const twice = await ws.cli(['run', file, '--production=yes']);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /--production is a flag/);
    const hello = ws.copy('flows/hello.ts');
    const plain = await ws.cli(['run', hello, '--production']);
    assert.equal(plain.code, 2);
    assert.match(plain.stderr, /unknown option --production \(--production is an option of flows with @project\)/);
    assert.deepEqual(
      await ws
        .flow('ProjectFlow')
        .runIds()
        .catch(() => []),
      [],
    );
  });
});
