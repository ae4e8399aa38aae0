// Ships the product as esbuild bundles in dist/ (tsc -b only type-checks into out/).
// Every entry must exist: a missing one is a broken build, not something to skip.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The task process must drive the very module instance a flow gets from `import 'stepwise'`,
 * so dist/task.js loads dist/api.js at run time instead of inlining its own copy.
 */
const sharedApi = {
  name: 'shared-api',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/api$/ }, () => ({ path: './api.js', external: true }));
  },
};

/**
 * Bundles that run in Node. The flow API and client are shared at run time, not inlined.
 * TypeScript and esbuild are dependencies (package.json), never inlined: an installed `stepwise`
 * shares them with the project, and the .vsix ships one copy of each (scripts/package.mjs).
 * cli.js, kernel.js (a notebook kernel) and server.js are small entries that load the bundles and
 * TypeScript through V8's code cache (runtime/src/boot/codeCache.ts).
 */
const nodeEntries = [
  { in: 'runtime/src/boot/cli.ts', out: 'cli' },
  { in: 'runtime/src/boot/kernel.ts', out: 'kernel' },
  // The `stepwise` of VS Code's integrated terminals: picks the installation per command line.
  { in: 'runtime/src/boot/shim.ts', out: 'shim' },
  { in: 'server/src/boot.ts', out: 'server' },
  { in: 'runtime/src/cli/main.ts', out: 'cli.bundle', external: ['esbuild', 'typescript'] },
  { in: 'runtime/src/task/main.ts', out: 'task', plugins: [sharedApi] },
  { in: 'runtime/src/task/inspectorPreload.ts', out: 'inspectorPreload' },
  // The first task's Node, started by the CLI's boot before the run's runtime copy is known.
  { in: 'runtime/src/task/early.ts', out: 'early' },
  // The task host of --task-isolation thread: runs dist/task.js in worker threads.
  { in: 'runtime/src/task/hostMain.ts', out: 'taskHost' },
  // A task host's thread: runs each task's dist/task.js in a fresh vm context.
  { in: 'runtime/src/task/contextThread.ts', out: 'taskThread' },
  { in: 'runtime/src/api/index.ts', out: 'api' },
  { in: 'runtime/src/client/index.ts', out: 'client' },
  // The parser and linter an editor's language server takes from an installed Stepwise.
  { in: 'runtime/src/tooling.ts', out: 'tooling', external: ['typescript'] },
  // The AWS SDK's S3 client, loaded only when an S3 datastore is used (datastore/s3/sdk.ts).
  { in: 'runtime/src/datastore/s3/sdkEntry.ts', out: 'aws-s3' },
  // The helper thread of synchronous blob reads from S3 (datastore/s3/syncFetch.ts).
  { in: 'runtime/src/datastore/s3/fetchWorker.ts', out: 's3fetch' },
  { in: 'server/src/server.ts', out: 'server.bundle', external: ['typescript'] },
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
  // Runs inside VS Code's TypeScript server, which hands it the compiler: never inlined.
  { in: 'client/src/tsplugin/index.ts', out: 'tsplugin', external: ['typescript'] },
];
const browserEntries = [{ in: 'webview/src/main.ts', out: 'webview' }];

mkdirSync(join(root, 'dist'), { recursive: true });
const node = { platform: 'node', format: 'cjs', target: 'node20' };
const browser = { platform: 'browser', format: 'iife', target: 'chrome120' };
const entries = [...nodeEntries.map((e) => [e, node]), ...browserEntries.map((e) => [e, browser])];
const missing = entries.filter(([e]) => !existsSync(join(root, e.in))).map(([e]) => e.in);
if (missing.length) {
  console.error(`build: entry point${missing.length > 1 ? 's' : ''} not found: ${missing.join(', ')} (scripts/build.mjs lists them).`);
  process.exit(1);
}
const jobs = entries.map(([e, kind]) =>
  build({
    ...kind,
    entryPoints: [join(root, e.in)],
    outfile: join(root, 'dist', `${e.out}.js`),
    bundle: true,
    sourcemap: 'linked',
    external: e.external ?? [],
    plugins: e.plugins ?? [],
    logLevel: 'warning',
  }),
);
await Promise.all(jobs);

// Static webview assets (CSS) ship beside the bundle.
const css = join(root, 'webview', 'media');
if (existsSync(css)) {
  for (const f of readdirSync(css)) copyFileSync(join(css, f), join(root, 'dist', f));
}
console.log(`built ${jobs.length} bundles into dist/`);

// The flow language's declarations: the package's types, and the TypeScript server plugin's
// answer in a folder without Stepwise (scripts/types.mjs).
const { copyTypes } = await import('./types.mjs');
copyTypes();

// The plugin's package where TypeScript looks for it when the repository is the extension under
// development (the .vsix gets its own: scripts/package.mjs).
const { TS_PLUGIN_NAME, writeTsPlugin } = await import('./tsplugin.mjs');
writeTsPlugin(join(root, 'node_modules', TS_PLUGIN_NAME), '../../dist/tsplugin.js');

// Warm the CLI's code cache (runtime/src/boot/codeCache.ts) with a lint, its heaviest part, so
// the first command after a build starts as fast as the later ones. Only an aid: never fatal.
if (existsSync(join(root, 'examples', 'hello.ts'))) {
  const { spawnSync } = await import('node:child_process');
  spawnSync(process.execPath, [join(root, 'dist', 'cli.js'), 'check', join(root, 'examples', 'hello.ts')], {
    stdio: 'ignore',
    timeout: 60_000,
  });
}
