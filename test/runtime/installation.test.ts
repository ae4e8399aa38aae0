/**
 * Which Stepwise serves a folder (runtime/src/installation.ts): a project's node_modules/stepwise
 * found upwards from the folder, used only when trusted, complete and speaking the extension's
 * editor protocol; otherwise the bundled copy, with the reason and one message naming the fix.
 * Folders are laid out on disk as npm would (a package.json and the dist/ entries).
 */
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProjectStepwise, rejectionMessage, selectInstallation, describeInstallation } from '../../runtime/src/installation';

function writePackage(root: string, manifest: Record<string, unknown>, files = ['dist/cli.js', 'dist/tooling.js', 'dist/task.js']): void {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify(manifest));
  for (const f of files) writeFileSync(join(root, f), '');
}

describe('which Stepwise installation serves a folder', () => {
  let dir: string;
  let bundled: string;
  let project: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-installation-'));
    bundled = join(dir, 'extension');
    writePackage(bundled, { name: 'stepwise', version: '0.3.0', stepwise: { editorProtocol: 2 } });
    project = join(dir, 'project');
    mkdirSync(join(project, 'flows', 'deep'), { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const install = (manifest: Record<string, unknown>, files?: string[]) =>
    writePackage(join(project, 'node_modules', 'stepwise'), { name: 'stepwise', ...manifest }, files);

  it('uses the bundled copy when the project has none', () => {
    const s = selectInstallation(join(project, 'flows'), bundled, true);
    assert.deepEqual(s, {
      use: {
        kind: 'bundled',
        root: bundled,
        version: '0.3.0',
        cli: join(bundled, 'dist', 'cli.js'),
        tooling: join(bundled, 'dist', 'tooling.js'),
      },
    });
    assert.equal(describeInstallation(s), 'Stepwise 0.3.0 (bundled with the extension)');
  });

  it('prefers a compatible node_modules/stepwise found upwards from the flow’s folder', () => {
    install({ version: '0.2.5', stepwise: { editorProtocol: 2 } });
    const root = join(project, 'node_modules', 'stepwise');
    assert.equal(findProjectStepwise(join(project, 'flows', 'deep')), root);
    const s = selectInstallation(join(project, 'flows', 'deep'), bundled, true);
    assert.equal(s.use.kind, 'workspace');
    assert.equal(s.use.root, root);
    assert.equal(s.use.version, '0.2.5');
    assert.equal(s.use.cli, join(root, 'dist', 'cli.js'));
    assert.equal(s.rejected, undefined);
    assert.equal(describeInstallation(s), `Stepwise 0.2.5 (this project's ${root})`);
  });

  it('never uses it in an untrusted folder (it is the project’s code), and says nothing about it', () => {
    install({ version: '0.2.5', stepwise: { editorProtocol: 2 } });
    const s = selectInstallation(join(project, 'flows'), bundled, false);
    assert.equal(s.use.kind, 'bundled');
    assert.equal(s.rejected?.reason, 'untrusted');
    assert.equal(rejectionMessage(s.rejected!, s.use), undefined);
  });

  it('too old (an older protocol, or none): the bundled copy, and a message with the install command', () => {
    install({ version: '0.1.0' });
    const s = selectInstallation(project, bundled, true);
    assert.equal(s.use.kind, 'bundled');
    assert.deepEqual(s.rejected, {
      root: join(project, 'node_modules', 'stepwise'),
      version: '0.1.0',
      reason: 'too-old',
      detail: undefined,
    });
    const m = rejectionMessage(s.rejected!, s.use)!;
    assert.match(m, /Stepwise 0\.1\.0 .* is too old for this extension/);
    assert.match(m, /npm i -D stepwise@0\.3\.0/);
    assert.match(m, /use the extension's own Stepwise 0\.3\.0/);
  });

  it('too new (a later protocol): the bundled copy, and a message saying to update the extension', () => {
    install({ version: '1.0.0', stepwise: { editorProtocol: 3 } });
    const s = selectInstallation(project, bundled, true);
    assert.equal(s.rejected?.reason, 'too-new');
    assert.match(rejectionMessage(s.rejected!, s.use)!, /newer than this extension supports\. Update the Stepwise extension/);
  });

  it('an incomplete installation is named with what is missing', () => {
    install({ version: '0.3.0', stepwise: { editorProtocol: 2 } }, ['dist/cli.js']);
    const s = selectInstallation(project, bundled, true);
    assert.equal(s.rejected?.reason, 'broken');
    assert.match(rejectionMessage(s.rejected!, s.use)!, /incomplete: dist\/tooling\.js is missing\. Reinstall it/);
  });
});
