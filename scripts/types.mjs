// Ships the flow language's type declarations in dist/types/, so a user's folder can resolve
// `import … from 'stepwise'` for the editor (Stepwise: New Flow points tsconfig `paths` here).
// Copies what `tsc -b` declared for runtime/src (api/ and client/ and what they import).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(root, 'out', 'runtime', 'src');
const to = join(root, 'dist', 'types');

export function copyTypes() {
  if (!existsSync(join(from, 'api', 'index.d.ts'))) {
    console.warn('scripts/types.mjs: out/runtime/src/api/index.d.ts is missing (run `tsc -b` first); dist/types not written');
    return 0;
  }
  rmSync(to, { recursive: true, force: true });
  let n = 0;
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.d.ts')) {
        const dest = join(to, p.slice(from.length + 1));
        mkdirSync(dirname(dest), { recursive: true });
        cpSync(p, dest);
        n++;
      }
    }
  };
  walk(from);
  return n;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(`copied ${copyTypes()} declaration files into dist/types/`);
