import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { runDir, taskDir } from '../../runtime/src/datastore/local/layout';
import { LocalDatastore } from '../../runtime/src/datastore/local/store';
import { formatTaskPathspec, parseTaskPathspec, pathspecParts, taskInRun, taskInStep, taskPathspecOf } from '../../runtime/src/pathspec';

describe('pathspecs: one parser, one writer', () => {
  it('reads a task pathspec into its parts and writes it back unchanged', () => {
    const p = parseTaskPathspec('TrainFlow/1769000000000/train/7');
    assert.deepEqual(p, { flow: 'TrainFlow', runId: '1769000000000', step: 'train', taskId: '7' });
    assert.equal(formatTaskPathspec(p!), 'TrainFlow/1769000000000/train/7');
    assert.equal(taskInRun(p!), '1769000000000/train/7');
    assert.equal(taskInStep(p!), 'train/7');
  });

  it('ignores stray slashes, as typed on a command line', () => {
    assert.deepEqual(pathspecParts('/TrainFlow/12//train/'), ['TrainFlow', '12', 'train']);
    assert.equal(formatTaskPathspec(parseTaskPathspec('TrainFlow/12/train/3/')!), 'TrainFlow/12/train/3');
  });

  it('refuses anything that is not exactly Flow/run/step/task', () => {
    for (const bad of ['', 'TrainFlow', 'TrainFlow/12', 'TrainFlow/12/train', 'TrainFlow/12/train/3/extra']) {
      assert.equal(parseTaskPathspec(bad), undefined, bad);
      assert.throws(() => taskPathspecOf(bad), /is not a task pathspec \(Flow\/run\/step\/task\)/);
    }
  });

  it('the local layout is the store’s own: the extension’s paths are the folders the store writes', () => {
    const root = '/tmp/some-store';
    const store = new LocalDatastore(root);
    assert.equal(runDir(root, 'F', '12'), store.runDir('F', '12'));
    assert.equal(taskDir(root, { flow: 'F', runId: '12', step: 's', taskId: '3' }), store.taskDir('F', '12', 's', '3'));
    assert.equal(taskDir(root, { flow: 'F', runId: '12', step: 's', taskId: '3' }), join(root, 'F', 'runs', '12', 's', '3'));
  });
});
