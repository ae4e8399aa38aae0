/**
 * The folder VS Code opens for the UI tests: a fresh copy of the conformance and invalid flows
 * per run, so that tests may edit and save files without ever dirtying the repository.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface FixtureWorkspace {
  /** The run's scratch root (the workspace and the editor's own state live under it). */
  root: string;
  /** The folder opened in VS Code: `flows/` and `invalid/` copied from test/fixtures. */
  folder: string;
}

export function createFixtureWorkspace(repoRoot: string): FixtureWorkspace {
  const root = mkdtempSync(join(tmpdir(), 'stepwise-vscode-'));
  const folder = join(root, 'workspace');
  fillFixtureWorkspace(repoRoot, folder);
  return { root, folder };
}

/** Makes `folder` a fresh fixture workspace (whatever it held is removed). */
export function fillFixtureWorkspace(repoRoot: string, folder: string): void {
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const dir of ['flows', 'invalid', 'notebook']) {
    cpSync(join(repoRoot, 'test', 'fixtures', dir), join(folder, dir), { recursive: true });
  }
  // Lets the editor's TypeScript resolve `import … from 'stepwise'` to the declarations the package
  // ships (dist/types), so that the only problems a test sees on a valid flow are the ones Stepwise
  // reports. Declarations, as in a user's project, not the runtime's sources: checking those made
  // the TypeScript server of every fresh window spend seconds of CPU while the tests (and the F5
  // benchmark's cold figure) ran.
  writeFileSync(
    join(folder, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'commonjs',
          moduleResolution: 'node10',
          lib: ['ES2023'],
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(repoRoot, 'node_modules', '@types')],
          paths: {
            stepwise: [join(repoRoot, 'dist', 'types', 'api', 'index.d.ts')],
            'stepwise/client': [join(repoRoot, 'dist', 'types', 'client', 'index.d.ts')],
          },
        },
        include: ['**/*.ts'],
      },
      null,
      2,
    ) + '\n',
  );
}

// `node out/test/vscode/workspace.js <folder>`: the workspace for the "Run Extension Tests"
// launch configuration, which opens a fixed folder (.cache/test-workspace).
if (require.main === module) {
  const folder = process.argv[2];
  if (!folder) {
    console.error('usage: node out/test/vscode/workspace.js <folder>');
    process.exit(2);
  }
  fillFixtureWorkspace(resolve(__dirname, '..', '..', '..'), resolve(folder));
}
