/**
 * Errors as a notebook user should read them: frames in a cell named by the cell and its own
 * line (`at total (Cell 3:4:11)`), frames in the user's modules source-mapped by Node, and the
 * kernel's and Node's internals left out.
 */
import { renderValue } from '../../serialize/render';
import type { CellError } from '../protocol';
import type { CompiledCell } from './compile';

const CELL_FILE = /stepwise-cell-(\d+)\.[tj]s:(\d+):(\d+)/g;

export function cellFile(id: number, language: 'typescript' | 'javascript'): string {
  return `stepwise-cell-${id}.${language === 'javascript' ? 'js' : 'ts'}`;
}

export class CellScripts {
  private readonly cells = new Map<number, { label: string; compiled: CompiledCell }>();

  /** @param internalDirs folders whose frames are the kernel's own (its bundles) */
  constructor(private readonly internalDirs: string[]) {}

  add(id: number, label: string, compiled: CompiledCell): void {
    this.cells.set(id, { label, compiled });
  }

  toCellError(thrown: unknown): CellError {
    if (!(thrown instanceof Error)) {
      return { name: 'Uncaught', message: renderValue(thrown, { maxChars: 2000 }).text, stack: '' };
    }
    let where: { line: number; column: number } | undefined;
    const lines = (thrown.stack ?? `${thrown.name}: ${thrown.message}`).split('\n');
    const kept: string[] = [];
    for (const line of lines) {
      const isFrame = /^\s+at /.test(line);
      if (isFrame && this.isInternal(line)) continue;
      const mapped = line.replace(CELL_FILE, (whole, id: string, l: string, c: string) => {
        const cell = this.cells.get(Number(id));
        const pos = cell?.compiled.cellPosition(Number(l), Number(c));
        if (!cell || !pos) return whole;
        if (isFrame && !where) where = pos;
        return `${cell.label}:${pos.line}:${pos.column}`;
      });
      // The cell's own function has no name worth showing: `at Cell 3:4:11`.
      // The cell's wrapper calling itself: not a line of the cell.
      if (isFrame && CELL_FILE.test(mapped)) continue;
      CELL_FILE.lastIndex = 0;
      kept.push(mapped.replace(/^(\s+at )(?:async )?(?:eval|<anonymous>) \(([^()]+)\)$/, '$1$2'));
    }
    return {
      name: thrown.name || 'Error',
      message: thrown.message,
      stack: kept.join('\n'),
      ...(where ? { line: where.line, column: where.column } : {}),
    };
  }

  private isInternal(frame: string): boolean {
    if (frame.includes('(node:') || /at node:/.test(frame)) return true;
    return this.internalDirs.some((d) => frame.includes(d));
  }
}
