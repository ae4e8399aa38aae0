// Ships the product as esbuild bundles in dist/ (tsc -b only type-checks into out/).
// An entry whose source does not exist yet is skipped, so the list can name every part.
import { build } from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const watch = process.argv.includes('--watch');

/** Bundles that run in Node. The flow API and client are shared at run time, not inlined. */
const nodeEntries = [
  { in: 'runtime/src/cli/main.ts', out: 'cli' },
  { in: 'runtime/src/task/main.ts', out: 'task' },
  { in: 'runtime/src/api/index.ts', out: 'api' },
  { in: 'runtime/src/client/index.ts', out: 'client' },
  { in: 'server/src/server.ts', out: 'server' },
  { in: 'client/src/extension.ts', out: 'extension', external: ['vscode'] },
];
const browserEntries = [{ in: 'webview/src/main.ts', out: 'webview' }];

mkdirSync(join(root, 'dist'), { recursive: true });
const jobs = [];
for (const e of nodeEntries) {
  if (!existsSync(join(root, e.in))) continue;
  jobs.push(
    build({
      entryPoints: [join(root, e.in)],
      outfile: join(root, 'dist', `${e.out}.js`),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'linked',
      external: e.external ?? [],
      logLevel: 'warning',
    }),
  );
}
for (const e of browserEntries) {
  if (!existsSync(join(root, e.in))) continue;
  jobs.push(
    build({
      entryPoints: [join(root, e.in)],
      outfile: join(root, 'dist', `${e.out}.js`),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      sourcemap: 'linked',
      logLevel: 'warning',
    }),
  );
}
await Promise.all(jobs);

// Static webview assets (CSS) ship beside the bundle.
const css = join(root, 'webview', 'media');
if (existsSync(css)) {
  for (const f of readdirSync(css)) copyFileSync(join(css, f), join(root, 'dist', f));
}
if (!watch) console.log(`built ${jobs.length} bundles into dist/`);
