/**
 * `npm run test:vscode`: runs the suites in test/vscode/suite inside a real VS Code.
 *
 * One session per workspace (test/vscode/sessions.ts: the fixture workspace; a bare folder and
 * a project with Stepwise installed from the packed tarball; …), each in its own editor.
 * Launcher by availability (override with STEPWISE_VSCODE_LAUNCHER=code-server|electron):
 * code-server + Chromium when a Chromium is installed (these machines cannot download VS Code),
 * else `@vscode/test-electron`. Writes screenshots to test-output/screenshots and the editor's
 * logs to test-output/vscode. Exits with the suites' result.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultCacheDir, findInstall, which } from './codeServer/install';
import { runInCodeServer } from './codeServer/run';
import { runInElectron } from './electron';
import { SCREENSHOT_DIR_ENV } from './screenshotProtocol';
import { sessions, type Session } from './sessions';
import { TestS3Server, TEST_BUCKET } from '../support/s3server';

const repoRoot = resolve(__dirname, '..', '..', '..');

const log = (msg: string) => console.log(`[test:vscode] ${msg}`);

/** The closing line each session's suites print (suite/mochaRunner.ts). */
const SUMMARY = /^vscode( \w+)?: \d+ passed, \d+ failed/;
let summary: string | undefined;

function intEnv(name: string, fallback: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
}

function findChromium(): string | undefined {
  const given = process.env.STEPWISE_CHROMIUM;
  if (given) return existsSync(given) ? given : undefined;
  return which('chromium') ?? which('chromium-browser') ?? which('google-chrome');
}

type Launcher = 'code-server' | 'electron';

function pickLauncher(chromium: string | undefined): Launcher {
  const asked = process.env.STEPWISE_VSCODE_LAUNCHER;
  if (asked === 'code-server' || asked === 'electron') return asked;
  if (asked) throw new Error(`STEPWISE_VSCODE_LAUNCHER must be code-server or electron, not ${asked}`);
  const cached = findInstall(defaultCacheDir(repoRoot)) !== undefined;
  return chromium && (cached || which('npm')) ? 'code-server' : 'electron';
}

function clearScreenshots(dir: string): void {
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) rmSync(join(dir, f), { force: true, recursive: true });
}

/** `STEPWISE_VSCODE_SESSIONS=main,project` runs only those sessions (default: all). */
function chosenSessions(): Session[] {
  const asked = process.env.STEPWISE_VSCODE_SESSIONS?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (!asked?.length) return sessions;
  const unknown = asked.filter((a) => !sessions.some((s) => s.name === a));
  if (unknown.length)
    throw new Error(`STEPWISE_VSCODE_SESSIONS: no session ${unknown.join(', ')} (there are ${sessions.map((s) => s.name).join(', ')})`);
  return sessions.filter((s) => asked.includes(s.name));
}

async function runSession(
  session: Session,
  launcher: Launcher,
  chromium: string | undefined,
  outputDir: string,
  screenshotDir: string,
): Promise<number> {
  const prepared = session.prepare(repoRoot, log);
  const stateDir = join(prepared.root, 'editor');
  mkdirSync(stateDir);
  // A real S3-protocol server for a session that needs one, for that session only (the extension
  // host reads its endpoint and keys from its environment, as it would AWS's).
  const s3 = session.s3 ? await TestS3Server.start() : undefined;
  const env: Record<string, string> = {
    [SCREENSHOT_DIR_ENV]: launcher === 'code-server' ? screenshotDir : '',
    STEPWISE_TEST_REPO: repoRoot,
    ...(s3 ? { ...(s3.env() as Record<string, string>), STEPWISE_TEST_S3_SYSROOT: `s3://${TEST_BUCKET}/vscode` } : {}),
    ...prepared.env,
  };
  const testsPath = join(__dirname, session.tests);
  log(`session ${session.name}: launcher ${launcher}; workspace ${prepared.workspace}${session.untrusted ? ' (untrusted)' : ''}`);
  summary = undefined;
  try {
    const code =
      launcher === 'code-server'
        ? await runInCodeServer({
            repoRoot,
            cacheDir: defaultCacheDir(repoRoot),
            chromiumPath: chromium ?? '/usr/bin/chromium',
            workspace: prepared.workspace,
            workspaceTrust: session.untrusted,
            stateDir,
            testsPath,
            outputDir: join(outputDir, session.name === 'main' ? '' : session.name),
            screenshotDir,
            env,
            installTimeoutMs: intEnv('STEPWISE_VSCODE_INSTALL_TIMEOUT_MS', 15 * 60_000),
            // The main session holds ~35 UI tests (debugger, notebooks, previews): 10 min was reached on a loaded machine.
            runTimeoutMs: intEnv('STEPWISE_VSCODE_TIMEOUT_MS', 20 * 60_000),
            log,
            onLog: (line) => {
              if (SUMMARY.test(line)) summary = line.trim();
              process.stdout.write(line.endsWith('\n') ? line : line + '\n');
            },
          })
        : await runInElectron({ repoRoot, workspace: prepared.workspace, stateDir, testsPath, env, untrusted: session.untrusted });
    if (summary) summaries.push(summary);
    return code;
  } finally {
    await s3?.stop();
    if (!process.env.STEPWISE_KEEP_WORKSPACE) rmSync(prepared.root, { recursive: true, force: true });
  }
}

const summaries: string[] = [];

async function main(): Promise<number> {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js'))) {
    log('dist/extension.js is missing: run `npx tsc -b && node scripts/build.mjs` first');
    return 1;
  }
  const chromium = findChromium();
  const launcher = pickLauncher(chromium);
  const outputDir = join(repoRoot, 'test-output');
  const screenshotDir = join(outputDir, 'screenshots');
  clearScreenshots(screenshotDir);

  const started = Date.now();
  // A run that hangs anywhere (install, server, browser, suites) still ends.
  const overall = intEnv('STEPWISE_VSCODE_OVERALL_TIMEOUT_MS', 50 * 60_000);
  const watchdog = setTimeout(() => {
    log(`overall timeout of ${overall} ms reached; giving up`);
    process.exit(1);
  }, overall);
  try {
    let failed = 0;
    for (const session of chosenSessions()) {
      const code = await runSession(session, launcher, chromium, outputDir, screenshotDir);
      if (code !== 0) {
        failed++;
        log(`session ${session.name} failed (exit ${code})`);
      }
    }
    log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    // The suites' own counts, last, where CI reads a run's closing lines.
    for (const s of summaries) console.log(s);
    return failed ? 1 : 0;
  } finally {
    clearTimeout(watchdog);
  }
}

// Ctrl+C or a CI kill: exit through process.exit so the 'exit' hooks end code-server's process
// group (it runs detached, out of reach of the terminal's signal) and playwright's Chromium.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    log(`${sig}: stopping`);
    process.exit(130);
  });
}

main().then(
  (code) => process.exit(code),
  (e) => {
    log(e instanceof Error ? (e.stack ?? e.message) : String(e));
    process.exit(1);
  },
);
