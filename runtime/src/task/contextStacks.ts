/**
 * Stack traces in a task's `vm` context, source-mapped as a task process's are. Node maps the
 * frames of modules its own loader compiled (`process.setSourceMapsEnabled`), not of scripts
 * compiled with `vm`, so the context's `Error.prepareStackTrace` does it, with the maps of the
 * files the context's loader read (task/contextModules.ts): a flow's error names its TypeScript
 * file and line (`at helper (/work/flow.ts:4:9)`) whichever way the task ran.
 */
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

interface Entry {
  originalSource?: string;
  originalLine?: number;
  originalColumn?: number;
}

/** The source maps of the files a thread compiled, read and parsed only when a stack needs one. */
export class SourceMaps {
  private readonly urls = new Map<string, string>();
  private readonly maps = new Map<string, SourceMap | null>();
  /** How far the loader's wrapper moved each file's first line (task/contextModules.ts). */
  private readonly shifts = new Map<string, number>();

  noteSource(filename: string, source: string, firstLineShift: number): void {
    this.shifts.set(filename, firstLineShift);
    // The last such comment is the file's (a bundle's inline map makes it long: no regex over it).
    const at = Math.max(source.lastIndexOf('//# sourceMappingURL='), source.lastIndexOf('//@ sourceMappingURL='));
    const url = at < 0 ? '' : source.slice(at + '//# sourceMappingURL='.length).trim();
    if (url && !/\s/.test(url)) this.urls.set(filename, url);
    else this.urls.delete(filename);
    this.maps.delete(filename);
  }

  /** `file:line:column` of a generated position in its original source, when a map knows it. */
  original(file: string, line: number, column: number): string | undefined {
    const map = this.map(file);
    if (!map) return undefined;
    const col = line === 1 ? column - (this.shifts.get(file) ?? 0) : column;
    const e = map.findEntry(line - 1, col - 1) as Entry;
    if (e.originalSource === undefined || e.originalLine === undefined || e.originalColumn === undefined) return undefined;
    return `${sourcePath(file, e.originalSource)}:${e.originalLine + 1}:${e.originalColumn + 1}`;
  }

  private map(file: string): SourceMap | undefined {
    if (this.maps.has(file)) return this.maps.get(file) ?? undefined;
    let map: SourceMap | null = null;
    const url = this.urls.get(file);
    try {
      if (url) map = new SourceMap(JSON.parse(payload(file, url)) as ConstructorParameters<typeof SourceMap>[0]);
    } catch {
      map = null; // an unreadable map: the frame keeps its generated position, as in Node
    }
    this.maps.set(file, map);
    return map ?? undefined;
  }
}

function payload(file: string, url: string): string {
  const data = /^data:application\/json(?:;charset=[^;,]+)?;base64,(.*)$/.exec(url);
  if (data) return Buffer.from(data[1], 'base64').toString('utf8');
  const path = url.startsWith('file:') ? fileURLToPath(url) : resolve(dirname(file), url);
  return readFileSync(path, 'utf8');
}

function sourcePath(file: string, source: string): string {
  if (source.startsWith('file:')) return fileURLToPath(source);
  return isAbsolute(source) ? source : resolve(dirname(file), source);
}

/** Gives the context's Error a prepareStackTrace that formats as V8 does, then maps each frame. */
export function mapStacksIn(context: vm.Context, maps: SourceMaps): void {
  const ContextError = vm.runInContext('Error', context) as ErrorConstructor;
  const errorToString = vm.runInContext('Error.prototype.toString', context) as (this: unknown) => string;
  ContextError.prepareStackTrace = (error: Error, frames: NodeJS.CallSite[]): string => {
    let head: string;
    try {
      head = errorToString.call(error);
    } catch {
      head = '<error>';
    }
    const lines = frames.map((f) => {
      const text = f.toString();
      const file = f.getFileName();
      const line = f.getLineNumber();
      const column = f.getColumnNumber();
      if (!file || line === null || column === null) return `    at ${text}`;
      const mapped = maps.original(file, line, column);
      return `    at ${mapped ? text.replace(`${file}:${line}:${column}`, mapped) : text}`;
    });
    return [head, ...lines].join('\n');
  };
}
