/**
 * dist/kernel.js: a notebook kernel process (runtime/src/notebook/kernel). The kernel's code is
 * in the CLI bundle (it parses cells with the TypeScript compiler the CLI already ships), loaded
 * through V8's code cache like the CLI. This small file is loaded by Node itself, so it is where
 * a real `import()` can be made for ES-module-only packages: a bundle compiled from the code
 * cache cannot make one on Node 20 (see codeCache.ts).
 */
import { join } from 'node:path';
import { loadBundle } from './codeCache';

interface KernelBundle {
  runKernel(boot: { dynamicImport(url: string): Promise<unknown> }): void;
}

// A Function body, so esbuild leaves the import() to Node instead of turning it into a require().
const dynamicImport = new Function('url', 'return import(url)') as (url: string) => Promise<unknown>;

(loadBundle(join(__dirname, 'cli.bundle.js'), module) as KernelBundle).runKernel({ dynamicImport });
