/**
 * The other launcher: `@vscode/test-electron` downloads a desktop VS Code and runs the same
 * suites. Used only where code-server cannot run (no Chromium) and VS Code can be downloaded.
 */
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';

export interface ElectronRunOptions {
  repoRoot: string;
  workspace: string;
  stateDir: string;
  testsPath: string;
  env: Record<string, string>;
  /** Open the workspace untrusted (Restricted Mode) instead of disabling trust. */
  untrusted?: boolean;
}

export async function runInElectron(opts: ElectronRunOptions): Promise<number> {
  try {
    await runTests({
      version: process.env.STEPWISE_VSCODE_VERSION ?? '1.100.3',
      extensionDevelopmentPath: opts.repoRoot,
      extensionTestsPath: opts.testsPath,
      extensionTestsEnv: opts.env,
      launchArgs: [
        opts.workspace,
        ...(opts.untrusted ? [] : ['--disable-workspace-trust']),
        '--skip-welcome',
        '--skip-release-notes',
        '--user-data-dir',
        join(opts.stateDir, 'user-data'),
        '--extensions-dir',
        join(opts.stateDir, 'extensions'),
      ],
    });
    return 0;
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    return 1;
  }
}
