/**
 * npm packages a flow (or a local module it imports) uses that are not installed where Node
 * will look for them. Found before anything runs — by `stepwise run`/`resume` from the modules
 * esbuild bundled, by `stepwise check` and the editor's linter from the flow's own imports — and
 * reported as which package, from which file and line, and the install command for the folder,
 * instead of Node's `Cannot find module` from inside a task.
 */
import { readFileSync } from 'node:fs';
import { typescript } from '../graph/typescript';
import { cachedParse } from '../graph/parseCache';
import { installCommand, isInstalled, packageName, projectDir } from './packageNames';
import type { FlowDiagnostic } from '../lint/types';

export interface MissingPackage {
  /** The package, e.g. `lodash` or `@scope/name`. */
  name: string;
  /** The file that imports it. */
  file: string;
  /** 1-based line and column of the import's module specifier. */
  line: number;
  column: number;
  /** 0-based offsets of the specifier's text (inside the quotes), for editors. */
  start: number;
  end: number;
  /** Where it should be installed: the importing file's project (nearest package.json), else its folder. */
  installDir: string;
  /** The command that installs it there. */
  command: string;
}

/** A module specifier in a file's text and where it is (TypeScript's preProcessFile). */
interface ImportRef {
  fileName: string;
  pos: number;
}

function importsIn(text: string): ImportRef[] {
  return typescript()
    .preProcessFile(text, true, true)
    .importedFiles.map((r) => ({ fileName: r.fileName, pos: r.pos }));
}

/**
 * Every import/require/import() of a package in `text` (the file `file`) that is not installed.
 * `cached`: the list of imports is kept by the text's digest (../graph/parseCache.ts), for the
 * files of a run that did not change since the last; whether each package is installed is
 * checked every time.
 */
export function missingPackagesIn(file: string, text: string, cached = false): MissingPackage[] {
  const imports = cached ? cachedParse('imports', [text], () => importsIn(text)) : importsIn(text);
  const out: MissingPackage[] = [];
  const seen = new Set<string>();
  for (const ref of imports) {
    const name = packageName(ref.fileName);
    if (!name || seen.has(name) || isInstalled(name, file)) continue;
    seen.add(name);
    // TypeScript's position is the opening quote's: the specifier itself starts after it.
    const start = /['"`]/.test(text[ref.pos] ?? '') ? ref.pos + 1 : ref.pos;
    const before = text.slice(0, start);
    const installDir = projectDir(file);
    out.push({
      name,
      file,
      line: before.split('\n').length,
      column: start - before.lastIndexOf('\n'),
      start,
      end: start + ref.fileName.length,
      installDir,
      command: installCommand(installDir, [name]),
    });
  }
  return out;
}

/** The same, for files on disk (the modules a run bundled). */
export function missingPackagesInFiles(files: string[]): MissingPackage[] {
  return files.flatMap((f) => missingPackagesIn(f, readFileSync(f, 'utf8')));
}

/** One line: `flow.ts:3:24: the package 'lodash' is not installed. Install it in /proj: npm install lodash`. */
export function missingPackageMessage(m: MissingPackage, shownFile = m.file): string {
  return `${shownFile}:${m.line}:${m.column}: the package '${m.name}' is not installed (Node would not find it from this file). Install it in ${m.installDir}: ${m.command}`;
}

/** Stable code of the finding (a check of the project the flow is in, not a rule of its graph). */
export const MISSING_PACKAGE_CODE = 'SW100';

/** The same as linter findings (warnings), for `stepwise check` and the editor. */
export function missingPackageDiagnostics(file: string, text: string): FlowDiagnostic[] {
  return missingPackagesIn(file, text).map((m) => {
    const start = { line: m.line - 1, character: m.column - 1 };
    return {
      code: MISSING_PACKAGE_CODE,
      rule: 'missing-package',
      severity: 'warning',
      message: `The package '${m.name}' is not installed, so a run would fail to load this flow. Install it in ${m.installDir}: ${m.command}`,
      range: { start, end: { line: start.line, character: start.character + (m.end - m.start) } },
      data: { package: m.name, command: m.command, installDir: m.installDir },
    };
  });
}
