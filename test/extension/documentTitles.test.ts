/**
 * Artifact and log tabs are titled with their step and task (`items · train∕3`), so two of them
 * tell themselves apart; the address still names the datastore, the task and the artifact.
 */
import * as assert from 'node:assert/strict';
import { basename } from 'node:path';
import { ARTIFACT_SCHEME, LOG_SCHEME, refToUri, uriToRef } from '../../client/src/explorer/documents';

describe('artifact and log tab titles', () => {
  it('the last path segment (the tab title) is name · step∕task, and the address reads back', () => {
    const ref = { root: '/w/.stepwise', pathspec: 'TrainFlow/1712/train/3', name: 'items' };
    const uri = refToUri(ARTIFACT_SCHEME, ref);
    assert.equal(basename(uri.path), 'items · train\u22153');
    assert.equal(uri.path, '/TrainFlow/1712/train/3/items · train\u22153');
    assert.deepEqual(uriToRef(uri.path, uri.query), ref);
    const log = refToUri(LOG_SCHEME, { ...ref, name: 'stdout' });
    assert.equal(basename(log.path), 'stdout · train\u22153');
    assert.equal(uriToRef(log.path, log.query).name, 'stdout');
  });

  it('an address without the title (older links) still reads', () => {
    assert.deepEqual(uriToRef('/F/1/s/2/x', 'root=%2Fw'), { root: '/w', pathspec: 'F/1/s/2', name: 'x' });
  });
});
