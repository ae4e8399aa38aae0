/**
 * Whether Node loads a file as an ES module: a .mjs file, or a .js file whose nearest
 * package.json says `"type": "module"`. Such a file cannot be `require`d on Node 20: the notebook
 * kernel imports it instead (notebook/kernel/esm.ts), a task thread's loader refuses it as Node
 * does (task/contextModules.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function isEsmFile(file: string): boolean {
  if (file.endsWith('.mjs')) return true;
  if (!file.endsWith('.js')) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        return (JSON.parse(readFileSync(pj, 'utf8')) as { type?: string }).type === 'module';
      } catch {
        return false;
      }
    }
    if (dirname(dir) === dir) return false;
  }
}
