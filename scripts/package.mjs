// `npm run package`: the extension as a .vsix (@vscode/vsce 3.9, programmatic), with its own
// runtime (the fallback when a workspace has no `node_modules/stepwise`).
//
// The .vsix is laid out in a staging folder (.cache/vsix/) rather than filtered out of the
// repository: the repository's package.json is also the npm package's manifest, whose `files`
// vsce refuses to combine with an ignore file, and the TypeScript server plugin must sit in the
// extension's top-level node_modules/, which vsce only packs as a declared dependency. So the
// stage holds exactly what ships:
//   package.json (the manifest, its dependencies pinned to what is staged), README, LICENSE,
//   media/, syntaxes/, docs/images/, dist/*.js (no maps), dist/*.css, dist/types/;
//   node_modules/typescript (its package.json and lib/typescript.js only: the parser),
//   node_modules/esbuild + its native binary package (runs compile flows: this makes the .vsix
//   platform-specific, tagged with this machine's VS Code target, e.g. linux-x64),
//   node_modules/stepwise-ts-plugin (the TypeScript server plugin, scripts/tsplugin.mjs).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TS_PLUGIN_NAME, writeTsPlugin } from './tsplugin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const skipBuild = process.argv.includes('--no-build');
const stage = join(root, '.cache', 'vsix');

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
  'dist/shim.js',
  'dist/kernel.js',
  'dist/task.js',
  'dist/api.js',
  'dist/server.js',
  'dist/server.bundle.js',
  'dist/tsplugin.js',
  'dist/types/api/index.d.ts',
]) {
  if (!existsSync(join(root, f))) throw new Error(`${f} is missing: run \`npm run build\` first`);
}

/** VS Code's name for this platform (`linux-x64`, `darwin-arm64`, `win32-x64`, `alpine-x64`…). */
function vscodeTarget() {
  const alpine = process.platform === 'linux' && existsSync('/etc/alpine-release');
  return `${alpine ? 'alpine' : process.platform}-${process.arch}`;
}

const packageDir = (name) => dirname(require.resolve(`${name}/package.json`));
const versionOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
const copy = (from, to) => cpSync(from, to, { recursive: true, dereference: true });

rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'dist'), { recursive: true });

for (const f of ['README.md', 'LICENSE', 'media', 'syntaxes', join('docs', 'images'), join('dist', 'types')]) {
  copy(join(root, f), join(stage, f));
}
for (const f of readdirSync(join(root, 'dist'))) {
  if (f.endsWith('.js') || f.endsWith('.css')) copy(join(root, 'dist', f), join(stage, 'dist', f));
}

// TypeScript: the parser the CLI and the language server require (lib/typescript.js).
const tsDir = packageDir('typescript');
const nm = join(stage, 'node_modules');
for (const f of ['package.json', 'LICENSE.txt', 'ThirdPartyNoticeText.txt', join('lib', 'typescript.js')]) {
  if (existsSync(join(tsDir, f))) copy(join(tsDir, f), join(nm, 'typescript', f));
}
// esbuild's JS API (not bin/, the CLI) and its native binary package for this platform.
const esbuildDir = packageDir('esbuild');
for (const f of ['package.json', 'lib', 'LICENSE.md'])
  if (existsSync(join(esbuildDir, f))) copy(join(esbuildDir, f), join(nm, 'esbuild', f));
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
copy(packageDir(platformPkg), join(nm, ...platformPkg.split('/')));
// The TypeScript server plugin, loading dist/tsplugin.js from the extension's folder.
writeTsPlugin(join(nm, TS_PLUGIN_NAME), '../../dist/tsplugin.js');
console.log(`package: staged typescript ${versionOf(tsDir)}, esbuild ${esbuildPkg.version} + ${platformPkg}, ${TS_PLUGIN_NAME}`);

// The manifest: the extension's fields as they are; its dependencies are exactly what is staged.
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
delete manifest.files;
delete manifest.devDependencies;
delete manifest.scripts;
delete manifest.allowScripts;
manifest.dependencies = {
  typescript: versionOf(tsDir),
  esbuild: esbuildPkg.version,
  [TS_PLUGIN_NAME]: versionOf(join(nm, TS_PLUGIN_NAME)),
};
writeFileSync(join(stage, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
// Everything staged ships; the file only keeps vsce from asking for one.
writeFileSync(join(stage, '.vscodeignore'), '# The stage holds exactly what ships (scripts/package.mjs).\n');

const { createVSIX } = require('@vscode/vsce');
const target = vscodeTarget();
const packagePath = join(root, `${manifest.name}-${target}-${manifest.version}.vsix`);
await createVSIX({
  cwd: stage,
  packagePath,
  // npm's view of the stage's node_modules: the three packages above, and esbuild's binary.
  dependencies: true,
  useYarn: false,
  target,
  // README images ship in the .vsix (docs/images/): relative links resolve inside the installed extension.
  rewriteRelativeLinks: false,
});
const size = statSync(packagePath).size;
console.log(`package: ${packagePath} (${(size / 1024 / 1024).toFixed(2)} MB)`);
