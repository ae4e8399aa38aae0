/**
 * A cell, from what the user typed to JavaScript the kernel runs: rewritten (cellRewrite.ts),
 * then compiled by esbuild with a source map that the kernel uses to put a thrown error back on
 * the cell's own lines.
 */
import { SourceMap } from 'node:module';
import { CellSyntaxError, rewriteCell } from './cellRewrite';
import type { ImportStyle } from './esm';

export interface CompiledCell {
  js: string;
  /** Where a position of `js` (1-based) is in the cell, when the source map knows. */
  cellPosition(line: number, column: number): { line: number; column: number } | undefined;
}

export interface CompileOptions {
  /** The name stacks give the script (unique per execution). */
  file: string;
  language: 'typescript' | 'javascript';
  importStyle(specifier: string): ImportStyle;
}

interface EsbuildFailure {
  errors?: Array<{ text: string; location?: { line: number; column: number } | null }>;
}

export function compileCell(source: string, o: CompileOptions): CompiledCell {
  const rewritten = rewriteCell(source, o);
  const esbuild = require('esbuild') as typeof import('esbuild');
  let out: import('esbuild').TransformResult;
  try {
    out = esbuild.transformSync(rewritten.code, {
      loader: o.language === 'javascript' ? 'js' : 'ts',
      sourcefile: o.file,
      sourcemap: 'external',
      target: 'node20',
      // Standard decorators and class fields, as the flow bundles compile them.
      tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
      logLevel: 'silent',
    });
  } catch (err) {
    const first = (err as EsbuildFailure).errors?.[0];
    if (!first) throw err;
    const loc = first.location;
    const at = (loc && toCell(offsetOf(rewritten.code, loc.line - 1, loc.column))) || { line: 1, column: 1 };
    throw new CellSyntaxError({ message: first.text, ...at });
  }
  // Declared before esbuild's output, on its first line: a column there is shifted by this.
  const vars = rewritten.globals.length ? `var ${rewritten.globals.join(', ')}; ` : '';
  const map = new SourceMap(JSON.parse(out.map));
  return {
    js: vars + out.code,
    cellPosition(line, column) {
      const e = map.findEntry(line - 1, column - 1 - (line === 1 ? vars.length : 0)) as {
        generatedLine?: number;
        originalLine?: number;
        originalColumn?: number;
      };
      // An entry from an earlier line means no code of the cell is at this position.
      if (e.generatedLine !== line - 1 || e.originalLine === undefined || e.originalColumn === undefined) return undefined;
      return toCell(offsetOf(rewritten.code, e.originalLine, e.originalColumn));
    },
  };

  /** Undefined in the wrapper's own code (its call of the cell's function, say): not a line of the cell. */
  function toCell(offset: number): { line: number; column: number } | undefined {
    const at = rewritten.toCellOffset(offset);
    if (at === undefined) return undefined;
    const before = source.slice(0, at);
    const line = before.split('\n').length;
    return { line, column: at - before.lastIndexOf('\n') };
  }
}

/** The offset of a 0-based line and column in `text`. */
function offsetOf(text: string, line: number, column: number): number {
  let at = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) return text.length;
    at = nl + 1;
  }
  return at + column;
}
