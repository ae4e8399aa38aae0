/** Run tags through the real CLI and the client API: system tags, `stepwise tag`, run.addTag/removeTag/replaceTag. */
import { strict as assert } from 'node:assert';
import { TagError } from '../../runtime/src/client';
import { Workspace, runIdOf } from '../support/workspace';

describe('run tags: system tags, stepwise tag, the client API', function () {
  this.timeout(180_000);
  let ws: Workspace;
  beforeEach(() => (ws = new Workspace()));
  afterEach(() => ws.dispose());

  it('every run carries user:<name> and runtime:stepwise; user tags change with stepwise tag; system tags are refused', async () => {
    const file = ws.copy('flows/hello.ts');
    const r = await ws.cli(['run', file, '--tag', 'nightly'], { STEPWISE_USER: 'tagger' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const id = runIdOf(r.stdout);
    const run = await ws.flow('HelloWorldFlow').run(id);
    assert.deepEqual(run.systemTags, ['user:tagger', 'runtime:stepwise']);
    assert.deepEqual(run.userTags, ['nightly']);
    assert.deepEqual(run.tags, ['nightly']);
    assert.deepEqual(run.allTags, ['user:tagger', 'runtime:stepwise', 'nightly']);
    assert.deepEqual(
      (await ws.flow('HelloWorldFlow').runs({ tag: 'user:tagger' })).map((x) => x.id),
      [id],
    );

    const add = await ws.cli(['tag', 'add', `HelloWorldFlow/${id}`, 'golden', 'v2']);
    assert.equal(add.code, 0, add.stderr);
    assert.match(add.stdout, /user tags: {3}nightly golden v2/);
    const replace = await ws.cli(['tag', 'replace', id, 'v2', 'v3']);
    assert.equal(replace.code, 0, replace.stderr);
    const remove = await ws.cli(['tag', 'remove', id, 'nightly']);
    assert.equal(remove.code, 0, remove.stderr);
    const list = await ws.cli(['tag', 'list', id]);
    assert.match(list.stdout, /system tags: user:tagger runtime:stepwise\n {2}user tags: {3}golden v3\n/);
    assert.deepEqual((await ws.flow('HelloWorldFlow').run(id)).userTags, ['golden', 'v3']);
    assert.deepEqual(
      (await ws.flow('HelloWorldFlow').runs({ tag: 'golden' })).map((x) => x.id),
      [id],
      'runs({ tag }) sees the changed tags',
    );

    const sys = await ws.cli(['tag', 'remove', id, 'runtime:stepwise']);
    assert.equal(sys.code, 2);
    assert.match(sys.stderr, /'runtime:stepwise' is a system tag .* cannot be added or removed/);
    const sysAdd = await ws.cli(['tag', 'add', id, 'user:someone']);
    assert.equal(sysAdd.code, 2);
    const atRun = await ws.cli(['run', file, '--tag', 'project:x']);
    assert.equal(atRun.code, 2);
    assert.match(atRun.stderr, /--tag project:x: 'project:x' is a system tag/);
    const noRun = await ws.cli(['tag', 'list', 'HelloWorldFlow/123']);
    assert.equal(noRun.code, 2);
    assert.match(noRun.stderr, /run HelloWorldFlow\/123 does not exist/);

    // resume keeps the origin's user tags as they are now
    const resumed = await ws.cli(['resume', file, 'hello', '--origin-run-id', id], { STEPWISE_USER: 'tagger' });
    assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
    assert.deepEqual((await ws.flow('HelloWorldFlow').latestRun()).userTags, ['golden', 'v3']);
  });

  it('run.addTag, removeTag and replaceTag store user tags; a system tag is a TagError', async () => {
    const file = ws.copy('flows/hello.ts');
    const r = await ws.cli(['run', file], { STEPWISE_USER: 'api' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const run = await ws.flow('HelloWorldFlow').latestRun();
    await run.addTag('a', 'b');
    await run.replaceTag('a', 'c');
    await run.removeTag('b');
    assert.deepEqual(run.userTags, ['c']);
    assert.deepEqual((await ws.flow('HelloWorldFlow').latestRun()).userTags, ['c']);
    await assert.rejects(run.removeTag('user:api'), TagError);
    await assert.rejects(run.addTag(''), /a tag cannot be empty/);
    assert.deepEqual((await ws.flow('HelloWorldFlow').latestRun()).allTags, ['user:api', 'runtime:stepwise', 'c']);
  });
});
