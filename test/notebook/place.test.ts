/** Where a notebook's kernel runs (client/src/notebook/place.ts, pure). */
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { kernelPlace, taskNotebookMeta } from '../../client/src/notebook/place';

const meta = {
  pathspec: 'F/1/a/2',
  flow: 'F',
  runId: '1',
  step: 'a',
  taskId: '2',
  status: 'failed',
  flowFile: '/ws/flows/f.ts',
  datastore: { type: 'local' as const, root: '/ws/.stepwise' },
};

describe('notebook kernel place', () => {
  it('runs a task notebook in the project folder, with its store, importing from the notebook’s folder', () => {
    const p = kernelPlace(join('/ws', '.stepwise', 'notebooks', 'F-1-a-2.ipynb'), '/ws', meta);
    assert.deepEqual(p, {
      notebookDir: join('/ws', '.stepwise', 'notebooks'),
      cwd: '/ws',
      env: { STEPWISE_DATASTORE: 'local', STEPWISE_DATASTORE_ROOT: '/ws/.stepwise' },
    });
  });

  it('runs any other notebook in its own folder, an untitled one in the workspace folder', () => {
    assert.deepEqual(kernelPlace('/ws/analysis/a.ipynb', '/ws', undefined), { notebookDir: '/ws/analysis', cwd: '/ws/analysis', env: {} });
    assert.deepEqual(kernelPlace(undefined, '/ws', undefined), { notebookDir: '/ws', cwd: '/ws', env: {} });
  });

  it('reads metadata.stepwise as VS Code hands the .ipynb metadata over, old and new shapes', () => {
    assert.deepEqual(taskNotebookMeta({ metadata: { stepwise: meta } }), meta);
    assert.deepEqual(taskNotebookMeta({ custom: { metadata: { stepwise: meta } } }), meta);
    assert.equal(taskNotebookMeta({ metadata: { kernelspec: {} } }), undefined);
    assert.equal(taskNotebookMeta(undefined), undefined);
  });
});
