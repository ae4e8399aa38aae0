// Ships the flow language's type declarations in dist/types/: what `import … from 'stepwise'`
// and `'stepwise/client'` resolve to in an installed package (package.json `exports` / `types`),
// and what the extension's TypeScript server plugin points a folder without Stepwise at. Copies
// the declarations `tsc -b` wrote for runtime/src/api and runtime/src/client and every file
// they reach through relative imports: no more, so the package carries no internals' types.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'out', 'runtime', 'src');
const to = join(root, 'dist', 'types');
export const TYPE_ENTRIES = ['api/index.d.ts', 'client/index.d.ts'];

/** Relative module specifiers a declaration file refers to (imports, re-exports, import types). */
function relativeRefs(text) {
  const refs = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]|<reference\s+path=['"]([^'"]+)['"]/g;
  for (let m; (m = re.exec(text));) refs.push(m[1] ?? m[2]);
  return refs;
}

function declarationFor(spec, fromFile) {
  const base = resolve(dirname(fromFile), spec.replace(/\.(js|d\.ts)$/, ''));
  for (const f of [`${base}.d.ts`, join(base, 'index.d.ts')]) if (existsSync(f)) return f;
  throw new Error(`scripts/types.mjs: ${relative(root, fromFile)} refers to ${spec}, which has no declaration file`);
}

/** The declaration files reachable from the entries, as paths relative to out/runtime/src. */
export function typeClosure() {
  const seen = new Set();
  const queue = TYPE_ENTRIES.map((e) => join(from, e));
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of relativeRefs(readFileSync(file, 'utf8'))) queue.push(declarationFor(spec, file));
  }
  return [...seen].map((f) => relative(from, f)).sort();
}

export function copyTypes() {
  if (!existsSync(join(from, TYPE_ENTRIES[0]))) {
    console.warn(`scripts/types.mjs: out/runtime/src/${TYPE_ENTRIES[0]} is missing (run \`tsc -b\` first); dist/types not written`);
    return 0;
  }
  rmSync(to, { recursive: true, force: true });
  const files = typeClosure();
  for (const f of files) {
    mkdirSync(dirname(join(to, f)), { recursive: true });
    cpSync(join(from, f), join(to, f));
  }
  return files.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`copied ${copyTypes()} declaration files into dist/types/`);
