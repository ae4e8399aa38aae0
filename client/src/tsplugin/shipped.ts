/**
 * Which module names the TypeScript server plugin answers, and with which of the declaration
 * files shipped beside it (dist/types, written by scripts/types.mjs). Plain Node.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** `import … from '<name>'` → the declaration file under dist/types that describes it. */
export const SHIPPED_MODULES: Readonly<Record<string, string>> = {
  stepwise: join('api', 'index.d.ts'),
  'stepwise/client': join('client', 'index.d.ts'),
};

/** The shipped declaration file for a module name, when it is one of ours and is on disk. */
export function shippedDeclaration(moduleName: string, typesDir: string): string | undefined {
  const rel = SHIPPED_MODULES[moduleName];
  if (rel === undefined) return undefined;
  const file = join(typesDir, rel);
  return existsSync(file) ? file : undefined;
}
