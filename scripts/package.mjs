// `npm run package`: the extension as a .vsix (@vscode/vsce 3.9, programmatic), bundles only.
//
// dist/cli.js compiles flows with esbuild at run time and requires it as an external module,
// so esbuild and its binary package for this platform are copied into dist/node_modules/
// (found there by Node's resolution from dist/cli.js) — which makes the .vsix platform-specific:
// it is tagged with this machine's VS Code target (e.g. linux-x64).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const skipBuild = process.argv.includes('--no-build');

function step(title, cmd, args) {
  console.log(`package: ${title}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!skipBuild) {
  // The shipped projects only (their declarations feed dist/types); tests and bench are not packaged.
  step('type-check (tsc -b runtime server webview client)', process.execPath, [
    require.resolve('typescript/bin/tsc'),
    '-b',
    'runtime',
    'server',
    'webview',
    'client',
  ]);
  step('bundle (scripts/build.mjs)', process.execPath, [join(root, 'scripts', 'build.mjs')]);
}
for (const f of [
  'dist/extension.js',
  'dist/cli.js',
  'dist/cli.bundle.js',
  'dist/task.js',
  'dist/api.js',
  'dist/server.js',
  'dist/server.bundle.js',
  'dist/types/api/index.d.ts',
]) {
  if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
}

/** VS Code's name for this platform (`linux-x64`, `darwin-arm64`, `win32-x64`, `alpine-x64`…). */
function vscodeTarget() {
  const alpine = process.platform === 'linux' && existsSync('/etc/alpine-release');
  return `${alpine ? 'alpine' : process.platform}-${process.arch}`;
}

// esbuild's JS API and its native binary package, as npm installed them here.
const esbuildDir = dirname(require.resolve('esbuild/package.json'));
const esbuildPkg = JSON.parse(readFileSync(join(esbuildDir, 'package.json'), 'utf8'));
const platformPkg = Object.keys(esbuildPkg.optionalDependencies ?? {}).find((p) => {
  try {
    require.resolve(`${p}/package.json`);
    return true;
  } catch {
    return false;
  }
});
if (!platformPkg) throw new Error("esbuild's binary package for this platform is not installed (npm ci)");
const nm = join(root, 'dist', 'node_modules');
rmSync(nm, { recursive: true, force: true });
mkdirSync(nm, { recursive: true });
// The JS API only: esbuild/bin/ is the CLI (npm may have put a copy of the binary there).
for (const f of ['package.json', 'lib', 'LICENSE.md'])
  if (existsSync(join(esbuildDir, f))) cpSync(join(esbuildDir, f), join(nm, 'esbuild', f), { recursive: true });
cpSync(dirname(require.resolve(`${platformPkg}/package.json`)), join(nm, ...platformPkg.split('/')), {
  recursive: true,
  dereference: true,
});
console.log(`package: bundled esbuild ${esbuildPkg.version} + ${platformPkg} into dist/node_modules/`);

const { createVSIX } = require('@vscode/vsce');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const target = vscodeTarget();
const packagePath = join(root, `${manifest.name}-${target}-${manifest.version}.vsix`);
await createVSIX({
  cwd: root,
  packagePath,
  dependencies: false,
  target,
  // README images ship in the .vsix (docs/images/): relative links resolve inside the installed extension.
  rewriteRelativeLinks: false,
});
const size = statSync(packagePath).size;
console.log(`package: ${packagePath} (${(size / 1024 / 1024).toFixed(2)} MB)`);
