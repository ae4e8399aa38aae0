/**
 * `npm run test:vsix`: builds the .vsix (`npm run package`, unless STEPWISE_VSIX names one),
 * installs it into a fresh code-server with `--install-extension`, and runs vsix/suite.ts in it
 * with only a probe extension under development — so what runs is the installed package.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defaultCacheDir, ensureCodeServer, which } from '../codeServer/install';
import { runInCodeServer } from '../codeServer/run';
import { SCREENSHOT_DIR_ENV } from '../screenshotProtocol';
import { fillFixtureWorkspace } from '../workspace';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const log = (msg: string) => console.log(`[test:vsix] ${msg}`);

function findVsix(): string {
  const given = process.env.STEPWISE_VSIX;
  if (given) return resolve(given);
  const r = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--no-build'], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('npm run package failed');
  const vsix = readdirSync(repoRoot)
    .filter((f) => f.endsWith('.vsix'))
    .map((f) => join(repoRoot, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
  if (!vsix) throw new Error('no .vsix was built');
  return vsix;
}

async function main(): Promise<number> {
  const vsix = findVsix();
  log(`${vsix} (${(statSync(vsix).size / 1024 / 1024).toFixed(2)} MB)`);
  const install = await ensureCodeServer(defaultCacheDir(repoRoot), 15 * 60_000, log);
  const root = mkdtempSync(join(tmpdir(), 'stepwise-vsix-'));
  try {
    const stateDir = join(root, 'editor');
    const extensions = join(stateDir, 'extensions');
    mkdirSync(extensions, { recursive: true });
    const inst = spawnSync(
      process.execPath,
      [install.entry, '--install-extension', vsix, '--extensions-dir', extensions, '--user-data-dir', join(stateDir, 'user-data')],
      {
        cwd: stateDir,
        env: { ...process.env, HOME: stateDir },
        encoding: 'utf8',
      },
    );
    log(`code-server --install-extension: ${(inst.stdout + inst.stderr).trim().split('\n').slice(-2).join(' | ')}`);
    if (inst.status !== 0 || !readdirSync(extensions).some((d) => d.startsWith('stepwise.stepwise-')))
      throw new Error('the .vsix did not install');

    // A do-nothing extension under development, so the workbench runs the suite without loading the repository's copy.
    const probe = join(root, 'probe');
    mkdirSync(probe);
    writeFileSync(
      join(probe, 'package.json'),
      JSON.stringify({ name: 'stepwise-vsix-probe', publisher: 'test', version: '0.0.0', engines: { vscode: '^1.100.0' } }),
    );
    const workspace = join(root, 'workspace');
    fillFixtureWorkspace(repoRoot, workspace);
    const outputDir = join(repoRoot, 'test-output', 'vsix');
    mkdirSync(outputDir, { recursive: true });
    const chromium = process.env.STEPWISE_CHROMIUM ?? which('chromium') ?? '/usr/bin/chromium';
    let passed = false;
    const code = await runInCodeServer({
      repoRoot,
      cacheDir: defaultCacheDir(repoRoot),
      chromiumPath: chromium,
      workspace,
      stateDir,
      testsPath: join(__dirname, 'suite.js'),
      extensionDevelopmentPath: probe,
      outputDir,
      screenshotDir: outputDir,
      env: { [SCREENSHOT_DIR_ENV]: '', STEPWISE_VSIX_EXTENSIONS_DIR: extensions },
      installTimeoutMs: 15 * 60_000,
      runTimeoutMs: 5 * 60_000,
      log,
      onLog: (line) => {
        if (/vsix: activated/.test(line)) passed = true;
        process.stdout.write(line.endsWith('\n') ? line : line + '\n');
      },
    });
    return code === 0 && passed ? 0 : 1;
  } finally {
    if (!process.env.STEPWISE_KEEP_WORKSPACE) rmSync(root, { recursive: true, force: true });
    if (existsSync(join(root))) log(`kept ${root}`);
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
