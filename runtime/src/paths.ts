/** Where the runtime's shipped files are, whether running from dist/ bundles or from out/. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The folder of the `stepwise` package (the repository, or the installed extension/CLI). */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if ((JSON.parse(readFileSync(pj, 'utf8')) as { name?: string }).name === 'stepwise') return (cached = dir);
      } catch {
        // not ours; keep looking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the stepwise package above ${__dirname}`);
    dir = up;
  }
}

let version: string | undefined;

/** The version of this Stepwise (its package.json), recorded with each run and printed by `--version`. */
export function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  return version;
}
