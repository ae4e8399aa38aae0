// Removes compiled files in out/ whose TypeScript source is gone. `tsc -b` never deletes outputs,
// so in a long-lived checkout a moved or deleted module (or test) keeps running from its stale
// copy: mocha's glob picks up a deleted test, and Node resolves an old path before a new folder.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The tsc projects, each compiled from <project>/ into out/<project>/ (see their tsconfig.json). */
const projects = ['runtime', 'server', 'client', 'webview', 'test', 'bench'];
const outputs = /(\.d\.ts\.map|\.d\.ts|\.js\.map|\.js)$/;

function prune(outDir, srcDir) {
  if (!existsSync(outDir)) return 0;
  let removed = 0;
  for (const name of readdirSync(outDir)) {
    const out = join(outDir, name);
    if (statSync(out).isDirectory()) {
      removed += prune(out, join(srcDir, name));
      continue;
    }
    const m = outputs.exec(name);
    if (!m) continue;
    const stem = join(srcDir, name.slice(0, -m[1].length));
    if (['.ts', '.tsx', '.mts', '.cts'].some((ext) => existsSync(stem + ext))) continue;
    rmSync(out);
    removed++;
  }
  return removed;
}

let removed = 0;
for (const p of projects) removed += prune(join(root, 'out', p), join(root, p));
if (removed) console.log(`pruneOut: removed ${removed} compiled file(s) whose source is gone`);
