/**
 * Compiles a flow file (and the local modules it imports) once per run into one CommonJS
 * bundle with an inline source map. npm packages and 'stepwise' stay external: the task
 * process resolves them (see task/flowModule.ts). Bundles are cached by content hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export interface CompiledFlow {
  bundle: string;
  hash: string;
  ms: number;
}

export class CompileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CompileError';
  }
}

export async function compileFlow(file: string, cacheDir: string): Promise<CompiledFlow> {
  const t0 = Date.now();
  // Loaded lazily: only runs need esbuild. A require, not import(): the CLI bundle is compiled
  // from V8's code cache (boot/codeCache.ts), where Node 20 cannot resolve a dynamic import.
  const esbuild = require('esbuild') as typeof import('esbuild');
  mkdirSync(cacheDir, { recursive: true });
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: true,
      packages: 'external',
      external: ['stepwise', 'stepwise/*'],
      outfile: join(cacheDir, 'bundle.js'),
      logLevel: 'silent',
      keepNames: true,
    });
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
    const first = errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    throw new CompileError(`cannot compile ${file}: ${where}${first?.text ?? (err as Error).message}`);
  }
  const text = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const bundle = join(cacheDir, `flow-${hash}.js`);
  if (!existsSync(bundle)) {
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, bundle);
  }
  return { bundle, hash, ms: Date.now() - t0 };
}
