/**
 * The editor's warning for a flow importing a package that is not installed (SW100, the same
 * finding as `stepwise check`): at the import's specifier, naming the package and the install
 * command for the flow's project; gone once the package is there. Real server over stdio.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from './lspSession';

const text = `import { FlowSpec, step } from 'stepwise';
import { chunk } from 'not-installed-lib';

export default class ImportsFlow extends FlowSpec {
  @step start() {
    void chunk;
    this.next(this.end);
  }

  @step end() {}
}
`;

describe('language server: packages a flow imports that are not installed', function () {
  this.timeout(60_000);
  let dir: string;
  let lsp: LspSession;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-lsp-missing-'));
    writeFileSync(join(dir, 'package.json'), '{"name":"scratch","version":"1.0.0"}');
    writeFileSync(join(dir, 'yarn.lock'), '');
    lsp = await LspSession.start();
  });
  after(async () => {
    await lsp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('warns SW100 at the specifier with the project’s install command, and stops once it is installed', async () => {
    const file = join(dir, 'flow.ts');
    writeFileSync(file, text);
    const uri = pathToFileURL(file).href;
    await lsp.open(uri, text);
    const first = await lsp.diagnosticsFor(uri, 1);
    const found = first.diagnostics.filter((d) => d.code === 'SW100');
    assert.equal(found.length, 1, JSON.stringify(first.diagnostics));
    assert.equal(found[0].severity, 2); // Warning
    assert.deepEqual(found[0].range, { start: { line: 1, character: 23 }, end: { line: 1, character: 40 } });
    assert.equal(
      found[0].message,
      `The package 'not-installed-lib' is not installed, so a run would fail to load this flow. Install it in ${dir}: yarn add not-installed-lib`,
    );

    mkdirSync(join(dir, 'node_modules', 'not-installed-lib'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'not-installed-lib', 'package.json'), '{"name":"not-installed-lib","version":"1.0.0"}');
    await lsp.change(uri, 2, [{ text }]);
    const second = await lsp.diagnosticsFor(uri, 2);
    assert.deepEqual(
      second.diagnostics.filter((d) => d.code === 'SW100'),
      [],
    );
  });
});
