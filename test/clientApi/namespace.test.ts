/**
 * Namespaces, as Metaflow's: runs made by two users (and a production branch) through the real
 * CLI; the client API sees only the runs carrying its namespace tag, null sees all, an explicit
 * pathspec outside the namespace says so; the CLI reads without a namespace, and resume's default
 * origin is the user's own latest run.
 */
import { strict as assert } from 'node:assert';
import { Flow, Metaflow, Run, Task, NamespaceMismatchError, defaultNamespace, getNamespace, namespace } from '../../runtime/src/client';
import { username } from '../../runtime/src/util/username';
import { Workspace, runIdOf } from '../support/workspace';

describe('client namespaces', function () {
  this.timeout(180_000);
  let ws: Workspace;
  let file: string;
  const ids: Record<string, string> = {};

  before(async () => {
    ws = new Workspace();
    file = ws.copy('runtime/production/project.ts');
    for (const [key, user, extra] of [
      ['alice1', 'alice', []],
      ['bobProd', 'bob', ['--production']],
      ['alice2', 'alice', []],
    ] as const) {
      const r = await ws.cli(['run', file, ...extra], { STEPWISE_USER: user });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      ids[key] = runIdOf(r.stdout);
    }
  });
  after(() => ws.dispose());
  afterEach(() => defaultNamespace());

  const root = () => ({ root: ws.root });

  it('defaults to user:<current user>; namespace() switches, null is global', async () => {
    assert.equal(defaultNamespace(), `user:${username()}`);
    assert.equal(getNamespace(), `user:${username()}`);
    await assert.rejects(
      Flow('ProjectFlow', root()).latestRun(),
      /ProjectFlow has no runs in the namespace 'user:.*' .*namespace\(null\) sees every run/,
    );
    assert.deepEqual(await Metaflow(root()).flows(), [], 'no flow has a run in my namespace');

    assert.equal(namespace('user:alice'), 'user:alice');
    assert.deepEqual(
      (await Flow('ProjectFlow', root()).runs()).map((r) => r.id),
      [ids.alice2, ids.alice1],
    );
    assert.equal((await Flow('ProjectFlow', root()).latestRun()).id, ids.alice2);
    assert.equal((await Flow('ProjectFlow', root()).latestSuccessfulRun()).id, ids.alice2);
    assert.deepEqual(
      (await Metaflow(root()).flows()).map((f) => f.name),
      ['ProjectFlow'],
    );

    namespace('project_branch:prod');
    assert.equal((await Flow('ProjectFlow', root()).latestRun()).id, ids.bobProd);

    assert.equal(namespace(null), null);
    assert.equal(getNamespace(), null);
    assert.equal((await Flow('ProjectFlow', root()).runs()).length, 3);
    assert.throws(() => namespace(''), /namespace\(\) takes a tag/);
  });

  it('a pathspec outside the namespace says so and how to widen it; options override per call', async () => {
    namespace('user:alice');
    const bobs = `ProjectFlow/${ids.bobProd}`;
    await assert.rejects(Run(bobs, root()), (err: Error) => {
      assert.ok(err instanceof NamespaceMismatchError);
      assert.match(
        err.message,
        new RegExp(
          `run ${bobs} is not in the namespace 'user:alice' \\(its tags: user:bob, runtime:stepwise, project:demo_project, project_branch:prod\\)`,
        ),
      );
      assert.match(err.message, /namespace\(null\) for every run, or namespace\('user:bob'\)/);
      return true;
    });
    await assert.rejects(Task(`${bobs}/start/1`, root()), NamespaceMismatchError);
    await assert.rejects(Flow('ProjectFlow', root()).run(ids.bobProd), NamespaceMismatchError);
    assert.equal((await Run(bobs, { ...root(), namespace: null })).id, ids.bobProd);
    assert.equal((await Run(bobs, { ...root(), namespace: 'user:bob' })).id, ids.bobProd);
    assert.equal((await Run(`ProjectFlow/${ids.alice1}`, root())).id, ids.alice1);
  });

  it('the CLI reads every run (as Metaflow commands do); runs --namespace filters; resume defaults to your own latest run', async () => {
    const runs = await ws.cli(['runs', 'ProjectFlow', '--json']);
    assert.equal(runs.code, 0, runs.stderr);
    assert.equal((JSON.parse(runs.stdout) as unknown[]).length, 3);
    const bobs = await ws.cli(['runs', 'ProjectFlow', '--json', '--namespace', 'user:bob']);
    assert.deepEqual(
      (JSON.parse(bobs.stdout) as Array<{ runId: string }>).map((r) => r.runId),
      [ids.bobProd],
    );
    const none = await ws.cli(['runs', 'ProjectFlow', '--namespace', 'user:carol']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no runs in the namespace 'user:carol'/);
    const dump = await ws.cli(['dump', `ProjectFlow/${ids.bobProd}/start/1`], { STEPWISE_USER: 'alice' });
    assert.equal(dump.code, 0, dump.stderr);

    const resumed = await ws.cli(['resume', file, 'end', '--production'], { STEPWISE_USER: 'bob' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`resuming ProjectFlow/${ids.bobProd}`), "bob resumes his run, not alice's newer one");
    const carol = await ws.cli(['resume', file], { STEPWISE_USER: 'carol' });
    assert.equal(carol.code, 2);
    assert.match(carol.stderr, /no finished run of ProjectFlow by carol to resume .*--origin-run-id/);
  });
});
