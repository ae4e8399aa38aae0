/**
 * Compiles a flow file (and the local modules it imports) once per run into one CommonJS
 * bundle with an inline source map. npm packages and 'stepwise' stay external: the task
 * process resolves them (see task/flowModule.ts). Bundles are cached by content hash.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Metafile } from 'esbuild';
import { missingPackageMessage, missingPackagesIn, type MissingPackage } from './packages';
import { installCommand } from './packageNames';

export interface CompiledFlow {
  bundle: string;
  hash: string;
  ms: number;
  /** The files compiled into the bundle (absolute): the flow and the local modules it imports. */
  sources: string[];
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
      metafile: true,
    });
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors;
    const first = errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    throw new CompileError(`cannot compile ${file}: ${where}${first?.text ?? (err as Error).message}`);
  }
  const missing = missingAtRunTime(result.metafile);
  if (missing.length) throw new CompileError(`cannot run ${file}: ${missingSummary(missing)}`);
  const text = result.outputFiles[0].contents;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const bundle = join(cacheDir, `flow-${hash}.js`);
  if (!existsSync(bundle)) {
    const tmp = `${bundle}.${process.pid}.tmp`;
    writeFileSync(tmp, text);
    renameSync(tmp, bundle);
  }
  // esbuild names its inputs relative to its working directory (this process's).
  const sources = Object.keys(result.metafile?.inputs ?? {}).map((input) => resolve(input));
  return { bundle, hash, ms: Date.now() - t0, sources };
}

/**
 * The packages the bundle will require at run time (imports esbuild left external, so not the
 * type-only ones) that are not installed where the importing module is: found here, before any
 * task, rather than as `Cannot find module` from inside one.
 */
function missingAtRunTime(metafile: Metafile | undefined): MissingPackage[] {
  const out: MissingPackage[] = [];
  for (const [input, info] of Object.entries(metafile?.inputs ?? {})) {
    const external = new Set(info.imports.filter((i) => i.external).map((i) => i.original ?? i.path));
    if (external.size === 0 || input.includes('node_modules')) continue;
    const file = resolve(input);
    if (!existsSync(file)) continue;
    out.push(
      ...missingPackagesIn(file, readFileSync(file, 'utf8'), true).filter((m) =>
        [...external].some((e) => e === m.name || e.startsWith(`${m.name}/`)),
      ),
    );
  }
  return out;
}

/**
 * The first line says it all (a notification shows only that): which packages and the command
 * for the first one's project; then where each is imported.
 */
function missingSummary(missing: MissingPackage[]): string {
  const dir = missing[0].installDir;
  const names = [...new Set(missing.map((m) => m.name))];
  const here = [...new Set(missing.filter((m) => m.installDir === dir).map((m) => m.name))];
  const head =
    names.length === 1
      ? `the package '${names[0]}' it imports is not installed (${installCommand(dir, here)} in ${dir})`
      : `${names.length} packages it imports are not installed: ${names.join(', ')} (${installCommand(dir, here)} in ${dir})`;
  return `${head}\n  ${missing.map((m) => missingPackageMessage(m)).join('\n  ')}`;
}
