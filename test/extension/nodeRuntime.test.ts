/** Which Node runs the adapter and the CLI from the extension (client/src/nodeRuntime.ts). */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeRuntime } from '../../client/src/nodeRuntime';

describe('nodeRuntime', () => {
  let dir: string;
  const electron = '/opt/VS Code/code';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-node-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', process.platform === 'win32' ? 'node.exe' : 'node'), '');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the setting wins when it names an executable', () => {
    assert.deepEqual(nodeRuntime('/usr/local/bin/node22', electron, join(dir, 'bin')), { command: '/usr/local/bin/node22', env: {} });
  });

  it("the extension host's own executable when it is Node (code-server)", () => {
    assert.deepEqual(nodeRuntime('node', '/srv/code-server/lib/node', ''), { command: '/srv/code-server/lib/node', env: {} });
  });

  it('node on PATH in a desktop editor', () => {
    assert.deepEqual(nodeRuntime('node', electron, join(dir, 'bin')), { command: 'node', env: {} });
  });

  it("with no node on PATH, the editor's runtime in Node mode", () => {
    assert.deepEqual(nodeRuntime(undefined, electron, join(dir, 'empty')), { command: electron, env: { ELECTRON_RUN_AS_NODE: '1' } });
  });
});
