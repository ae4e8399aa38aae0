/**
 * Where a TypeScript line of a flow lands in its compiled bundle, read from the bundle's inline
 * source map with Node's own decoder (node:module SourceMap): the first generated position of
 * each bundle line that maps back to the wanted source line.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename } from 'node:path';

export interface GeneratedPosition {
  /** 0-based, as CDP wants them. */
  lineNumber: number;
  columnNumber: number;
}

export function generatedPositionFor(bundle: string, sourceFile: string, line1: number): GeneratedPosition {
  const text = readFileSync(bundle, 'utf8');
  const m = /\/\/# sourceMappingURL=data:application\/json;base64,(\S+)\s*$/.exec(text);
  if (!m) throw new Error(`${bundle} has no inline source map`);
  const map = new SourceMap(JSON.parse(Buffer.from(m[1], 'base64').toString('utf8')));
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const col = lines[i].search(/\S/);
    if (col < 0) continue;
    const entry = map.findEntry(i, col) as { originalSource?: string; originalLine?: number };
    if (entry.originalSource && basename(entry.originalSource) === basename(sourceFile) && entry.originalLine === line1 - 1) {
      return { lineNumber: i, columnNumber: col };
    }
  }
  throw new Error(`no code of ${sourceFile}:${line1} in ${bundle}`);
}
