/** The one user-name lookup: its order, and that runs and `current.username` use it. */
import { strict as assert } from 'node:assert';
import { userInfo } from 'node:os';
import { USER_VARIABLES, username } from '../../runtime/src/util/username';
import { Workspace, taskLines } from '../support/workspace';

/** Every variable the lookup reads, unset: a test sets only what it names. */
const none = Object.fromEntries(USER_VARIABLES.map((v) => [v, '']));

describe('the user-name lookup', () => {
  it('reads STEPWISE_USER, then METAFLOW_USER, SUDO_USER, USERNAME, USER, then the OS account', () => {
    const all = { STEPWISE_USER: 'sw', METAFLOW_USER: 'mf', SUDO_USER: 'sudo', USERNAME: 'un', USER: 'u' };
    assert.equal(username(all), 'sw');
    assert.equal(username({ ...all, STEPWISE_USER: '' }), 'mf');
    assert.equal(username({ ...all, STEPWISE_USER: '', METAFLOW_USER: undefined }), 'sudo');
    assert.equal(username({ USERNAME: 'un', USER: 'u' }), 'un');
    assert.equal(username({ USER: 'u' }), 'u');
    assert.equal(username({}), userInfo().username);
  });

  it('passes over `root` in the variables Metaflow reads (as Metaflow does), but not in STEPWISE_USER', () => {
    assert.equal(username({ SUDO_USER: 'root', USERNAME: 'alice', USER: 'root' }), 'alice');
    assert.equal(username({ METAFLOW_USER: 'root', USER: 'bob' }), 'bob');
    assert.equal(username({ STEPWISE_USER: 'root', USERNAME: 'alice' }), 'root');
    assert.equal(username({ USER: '  carol ' }), 'carol');
  });

  describe('in a run', function () {
    this.timeout(120_000);
    let ws: Workspace;
    beforeEach(() => (ws = new Workspace()));
    afterEach(() => ws.dispose());

    it('the run record and current.username both follow it (USERNAME=someone, as in Metaflow)', async () => {
      const file = ws.copy('runtime/whoami.ts');
      const r = await ws.cli(['run', file], { ...none, USERNAME: 'someone', USER: 'root' });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(taskLines(r.stdout, 'end'), ['user someone']);
      const run = await ws.flow('WhoAmIFlow').latestRun();
      assert.equal(run.record.user, 'someone');
      assert.equal(await (await run.step('start').task()).data('user'), 'someone');
      const sw = await ws.cli(['run', file], { ...none, STEPWISE_USER: 'stepper', METAFLOW_USER: 'mf' });
      assert.deepEqual(taskLines(sw.stdout, 'end'), ['user stepper']);
    });
  });
});
