/**
 * The VS Code sessions `npm run test:vscode` runs, one code-server each (a session is one
 * workspace, as a user would open it):
 *  - main: the fixture workspace (conformance and invalid flows), trusted — suite/*.test.ts;
 *  - project: a multi-root workspace of `bare/` (no package.json, tsconfig.json or node_modules),
 *    `project/`, which installed Stepwise from the packed tarball under a version of its own
 *    (`<version>-workspace`), so a test can tell which Stepwise ran, and `older/`, whose Stepwise
 *    (`<version>-older`) predates the editor protocol — suite/project/;
 *  - untrusted: the fixture workspace opened with workspace trust on and not granted (Restricted
 *    Mode) — suite/untrusted/;
 *  - s3: the fixture workspace with a real S3-protocol server (s3rver) beside it, which the
 *    launcher starts for this session only — suite/s3/.
 * Each workspace lives in a fresh temporary folder.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packRepository, projectWithTarball, repackAsVersion } from '../support/pack';
import { fillFixtureWorkspace } from './workspace';

export interface PreparedSession {
  /** Scratch root: the workspace and the editor's state live under it. */
  root: string;
  /** A folder, or a `.code-workspace` file. */
  workspace: string;
  /** Extra environment for code-server (the extension host inherits it). */
  env: Record<string, string>;
}

export interface Session {
  name: string;
  /** The suites' entry, relative to out/test/vscode. */
  tests: string;
  /** Folders open untrusted (Restricted Mode). */
  untrusted?: boolean;
  /** The session needs an S3 server: the launcher starts one for it (STEPWISE_TEST_S3_SYSROOT and the AWS variables). */
  s3?: boolean;
  prepare(repoRoot: string, log: (msg: string) => void): PreparedSession;
}

function scratch(name: string): string {
  return mkdtempSync(join(tmpdir(), `stepwise-vscode-${name}-`));
}

/** The version the project session's installed Stepwise reports. */
export function workspaceVersion(repoVersion: string): string {
  return `${repoVersion}-workspace`;
}

export const sessions: Session[] = [
  {
    name: 'main',
    tests: join('suite', 'index.js'),
    prepare(repoRoot) {
      const root = scratch('main');
      const folder = join(root, 'workspace');
      fillFixtureWorkspace(repoRoot, folder);
      return { root, workspace: folder, env: {} };
    },
  },
  {
    name: 'project',
    tests: join('suite', 'project', 'index.js'),
    prepare(repoRoot, log) {
      const root = scratch('project');
      mkdirSync(join(root, 'bare'));
      const project = join(root, 'project');
      const packed = packRepository(join(root, 'pack'));
      const version = workspaceVersion(require(join(repoRoot, 'package.json')).version as string);
      const tarball = repackAsVersion(packed.file, version, join(root, 'pack'));
      const install = projectWithTarball(project, tarball);
      log(`project session: installed stepwise ${version} from the tarball in ${(install.ms / 1000).toFixed(1)} s`);
      mkdirSync(join(project, 'flows'));
      copyFileSync(join(repoRoot, 'test', 'fixtures', 'flows', 'hello.ts'), join(project, 'flows', 'hello.ts'));
      // A project whose Stepwise predates the editor protocol: the extension cannot drive it.
      const older = join(root, 'older');
      const olderVersion = `${version.replace(/-workspace$/, '')}-older`;
      projectWithTarball(
        older,
        repackAsVersion(packed.file, olderVersion, join(root, 'pack'), (m) => {
          delete m.stepwise;
        }),
      );
      mkdirSync(join(older, 'flows'));
      copyFileSync(join(repoRoot, 'test', 'fixtures', 'flows', 'hello.ts'), join(older, 'flows', 'hello.ts'));
      const file = join(root, 'stepwise.code-workspace');
      const folders = [{ path: 'bare' }, { path: 'project' }, { path: 'older' }];
      writeFileSync(file, JSON.stringify({ folders, settings: {} }, null, 2) + '\n');
      return { root, workspace: file, env: { STEPWISE_TEST_WORKSPACE_VERSION: version, STEPWISE_TEST_OLDER_VERSION: olderVersion } };
    },
  },
  {
    name: 'untrusted',
    tests: join('suite', 'untrusted', 'index.js'),
    untrusted: true,
    prepare(repoRoot) {
      const root = scratch('untrusted');
      const folder = join(root, 'workspace');
      fillFixtureWorkspace(repoRoot, folder);
      // A run made before the folder is opened, for the explorer to show (the editor may not run one).
      const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'run', join('flows', 'hello.ts'), '--quiet'], {
        cwd: folder,
        env: { ...process.env, STEPWISE_DATASTORE_ROOT: '' },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`the untrusted session's run of hello.ts failed: ${r.stdout}${r.stderr}`);
      return { root, workspace: folder, env: {} };
    },
  },
  {
    name: 's3',
    tests: join('suite', 's3', 'index.js'),
    s3: true,
    prepare(repoRoot) {
      const root = scratch('s3');
      const folder = join(root, 'workspace');
      fillFixtureWorkspace(repoRoot, folder);
      return { root, workspace: folder, env: {} };
    },
  },
];
