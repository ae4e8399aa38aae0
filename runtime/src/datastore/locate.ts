/** Where the datastore of a folder lives: STEPWISE_DATASTORE_ROOT, else the nearest `.stepwise/` up, else `<cwd>/.stepwise`. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const DATASTORE_DIR = '.stepwise';

export function locateDatastoreRoot(from: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.STEPWISE_DATASTORE_ROOT;
  if (override) return resolve(from, override);
  let dir = resolve(from);
  for (;;) {
    const candidate = join(dir, DATASTORE_DIR);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return join(resolve(from), DATASTORE_DIR);
}
