/**
 * The language server lints with the Stepwise of the flow's project: a project that installed
 * Stepwise (the packed tarball, repacked under a version of its own) gets its flows parsed and
 * linted by that installation's dist/tooling.js once the client says the workspace is trusted,
 * and never before (a project's node_modules is its code). Findings are the same either way.
 */
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packRepository, projectWithTarball, repackAsVersion } from '../support/pack';
import { fixturesDir, LspSession, repoRoot } from './lspSession';

describe('language server: lint with the project’s own Stepwise', function () {
  this.timeout(10 * 60_000);
  let dir: string;
  let project: string;
  let version: string;
  const sessions: LspSession[] = [];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stepwise-projectlint-'));
    version = `${(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version}-project`;
    const tarball = repackAsVersion(packRepository(join(dir, 'pack')).file, version, join(dir, 'pack'));
    project = join(dir, 'project');
    projectWithTarball(project, tarball);
    mkdirSync(join(project, 'flows'));
    copyFileSync(join(fixturesDir, 'invalid', 'no_end.ts'), join(project, 'flows', 'no_end.ts'));
  });
  afterEach(async () => {
    for (const s of sessions.splice(0)) await s.stop();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function lint(init?: Record<string, unknown>) {
    const lsp = await LspSession.start(init);
    sessions.push(lsp);
    const file = join(project, 'flows', 'no_end.ts');
    const uri = pathToFileURL(file).href;
    await lsp.open(uri, readFileSync(file, 'utf8'));
    const published = await lsp.diagnosticsFor(uri, 1);
    return { lsp, codes: published.diagnostics.map((d) => d.code) };
  }

  it('in a trusted workspace, the project’s node_modules/stepwise parses and lints its flows', async () => {
    const { lsp, codes } = await lint({ trusted: true });
    assert.ok(codes.length > 0, 'no_end.ts has findings');
    const root = join(project, 'node_modules', 'stepwise');
    assert.ok(
      lsp.logs.some((l) => l.includes(`linting with ${root} (Stepwise ${version})`)),
      `the server says which Stepwise lints: ${lsp.logs.join(' | ')}`,
    );
  });

  it('in an untrusted workspace it is never loaded; the server’s own linter finds the same', async () => {
    const trusted = await lint({ trusted: true });
    const { lsp, codes } = await lint();
    assert.deepEqual(codes, trusted.codes);
    assert.ok(!lsp.logs.some((l) => l.includes('linting with')), lsp.logs.join(' | '));
  });
});
