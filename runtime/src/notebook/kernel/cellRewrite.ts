/**
 * Turns a cell into a script the kernel can run again and again in one process, the way Node's
 * REPL does it (with TypeScript's parser, never regular expressions):
 *
 * - the cell runs inside an `async` function, so top-level `await` works;
 * - its top-level declarations outlive it: `const x = …` becomes an assignment to a global `x`
 *   (declared `var` before the function); functions, classes and enums stay declarations and
 *   are copied onto `globalThis` — so a later cell sees them, and running a cell twice never fails with
 *   "already declared";
 * - `import` declarations become calls to the kernel's loader (`__sw.importInto`), which binds
 *   the imported names as globals and remembers them for autoreload; `import(…)` and
 *   `import.meta` go through the kernel too;
 * - the last expression statement is returned: it is the cell's value.
 *
 * Every line stays where it was (see Edits), so a line in the compiled cell is a line the user wrote.
 */
import { typescript, type TsTypes as ts } from '../../graph/typescript';
import { Edits } from '../edits';
import type { ImportStyle } from './esm';

export interface RewrittenCell {
  /** TypeScript (or JavaScript) source of the script; line N is the cell's line N. */
  code: string;
  /** The offset in the cell of an offset in `code`; undefined in the wrapper around the cell. */
  toCellOffset(offset: number): number | undefined;
  /**
   * Names to declare `var` before the compiled script. Not in `code`: esbuild would rename
   * every inner declaration that shares a name with them (`function g` → `g2` in stacks).
   */
  globals: string[];
}

export interface SyntaxProblem {
  message: string;
  /** 1-based */
  line: number;
  column: number;
}

export class CellSyntaxError extends Error {
  constructor(readonly problem: SyntaxProblem) {
    super(problem.message);
    this.name = 'SyntaxError';
  }
}

export interface RewriteOptions {
  language: 'typescript' | 'javascript';
  importStyle(specifier: string): ImportStyle;
}

/** Globals the kernel itself relies on: a cell must not declare them. */
const RESERVED = new Set(['__sw', 'process', 'globalThis']);

export function rewriteCell(source: string, o: RewriteOptions): RewrittenCell {
  const t = typescript();
  const K = t.SyntaxKind;
  const sf = t.createSourceFile(
    'cell.ts',
    source,
    t.ScriptTarget.Latest,
    true,
    o.language === 'javascript' ? t.ScriptKind.JS : t.ScriptKind.TS,
  );
  const diag = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
  if (diag) throw new CellSyntaxError(problemAt(sf, diag.start, t.flattenDiagnosticMessageText(diag.messageText, ' ')));

  const edits = new Edits(source);
  const hoisted = new Set<string>();
  const prologue: string[] = [];
  /** `hoist`: declared `var` before the cell's function; functions and enums are copied onto globalThis instead. */
  const declare = (name: string, node: ts.Node, hoist = true) => {
    if (RESERVED.has(name)) {
      throw new CellSyntaxError(problemAt(sf, node.getStart(sf), `'${name}' is a global the kernel needs: declare it under another name.`));
    }
    if (hoist) hoisted.add(name);
  };
  const blockScope = (list: ts.VariableDeclarationList) => list.flags & t.NodeFlags.BlockScoped;
  const has = (node: ts.Node, kind: ts.SyntaxKind) =>
    (t.canHaveModifiers(node) ? (t.getModifiers(node) ?? []) : []).some((m) => m.kind === kind);
  const dropModifiers = (node: ts.Node, kinds: ts.SyntaxKind[]) => {
    for (const m of t.canHaveModifiers(node) ? (t.getModifiers(node) ?? []) : []) {
      if (kinds.includes(m.kind)) edits.replace(m.getStart(sf), m.end, '');
    }
  };
  const bindingNames = (name: ts.BindingName, node: ts.Node): void => {
    if (t.isIdentifier(name)) return declare(name.text, node);
    for (const el of name.elements) if (!t.isOmittedExpression(el)) bindingNames(el.name, node);
  };

  const statements = sf.statements;
  const last = [...statements].reverse().find((s) => !isTypeOnly(s) && s.kind !== K.EmptyStatement);

  for (const s of statements) {
    if (t.isImportDeclaration(s)) importDeclaration(s);
    else if (t.isImportEqualsDeclaration(s)) importEquals(s);
    else if (t.isExportDeclaration(s)) edits.blank(s.getStart(sf), s.end);
    else if (t.isExportAssignment(s)) exportAssignment(s);
    else if (t.isVariableStatement(s)) variableStatement(s);
    else if (t.isFunctionDeclaration(s)) functionDeclaration(s);
    else if (t.isClassDeclaration(s)) classDeclaration(s);
    else if (t.isEnumDeclaration(s) || (t.isModuleDeclaration(s) && t.isIdentifier(s.name))) copiedDeclaration(s);
    else if (t.isForStatement(s) || t.isForInStatement(s) || t.isForOfStatement(s)) forVar(s);
    else if (t.isExpressionStatement(s) && s === last) {
      edits.insert(s.expression.getStart(sf), 'return (');
      edits.insert(s.expression.end, ')');
    }
  }
  rewriteImportCalls(sf);

  const head = `(async () => { ${prologue.join(' ')}`;
  const body = edits.apply();
  return {
    code: `${head}${body}\n})()`,
    toCellOffset: (offset) =>
      offset < head.length || offset > head.length + body.length ? undefined : edits.toSource(offset - head.length),
    globals: [...hoisted],
  };

  function isTypeOnly(s: ts.Statement): boolean {
    return (
      t.isInterfaceDeclaration(s) ||
      t.isTypeAliasDeclaration(s) ||
      has(s, K.DeclareKeyword) ||
      (t.isImportDeclaration(s) && !!s.importClause?.isTypeOnly) ||
      (t.isFunctionDeclaration(s) && !s.body)
    );
  }

  function importDeclaration(s: ts.ImportDeclaration): void {
    const spec = (s.moduleSpecifier as ts.StringLiteral).text;
    const clause = s.importClause;
    if (clause?.isTypeOnly) return edits.blank(s.getStart(sf), s.end);
    const bindings: Array<[string, string]> = [];
    if (clause?.name) bindings.push([clause.name.text, 'default']);
    const named = clause?.namedBindings;
    if (named && t.isNamespaceImport(named)) bindings.push([named.name.text, '*']);
    if (named && t.isNamedImports(named)) {
      for (const el of named.elements) if (!el.isTypeOnly) bindings.push([el.name.text, (el.propertyName ?? el.name).text]);
    }
    for (const [local] of bindings) declare(local, s);
    const call = `__sw.importInto(${JSON.stringify(spec)}, ${JSON.stringify(bindings)})`;
    edits.replaceKeepingLines(s.getStart(sf), s.end, o.importStyle(spec) === 'import' ? `await ${call};` : `${call};`);
  }

  function importEquals(s: ts.ImportEqualsDeclaration): void {
    if (s.isTypeOnly) return edits.blank(s.getStart(sf), s.end);
    const name = s.name.text;
    declare(name, s);
    const ref = s.moduleReference;
    if (t.isExternalModuleReference(ref) && t.isStringLiteral(ref.expression)) {
      const call = `__sw.importInto(${JSON.stringify(ref.expression.text)}, ${JSON.stringify([[name, '=']])})`;
      edits.replaceKeepingLines(s.getStart(sf), s.end, `${call};`);
    } else {
      edits.replaceKeepingLines(s.getStart(sf), s.end, `;(${name} = ${ref.getText(sf)});`);
    }
  }

  /** `export default x` is the expression `x` (the cell's value when last); `export = x` too. */
  function exportAssignment(s: ts.ExportAssignment): void {
    edits.replace(s.getStart(sf), s.expression.getStart(sf), s === last ? 'return (' : ';(');
    edits.insert(s.expression.end, ')');
  }

  function variableStatement(s: ts.VariableStatement): void {
    if (has(s, K.DeclareKeyword)) return edits.blank(s.getStart(sf), s.end);
    const list = s.declarationList;
    // `using` disposes at the end of its block: it stays local to the cell.
    const scope = blockScope(list);
    if (scope === t.NodeFlags.Using || scope === t.NodeFlags.AwaitUsing) return;
    const isVar = scope === 0;
    const decls = list.declarations;
    edits.replace(s.getStart(sf), decls[0].getStart(sf), ';(');
    for (const d of decls) {
      bindingNames(d.name, d);
      if (d.type) edits.blank(d.name.end, d.type.end);
      else if (d.exclamationToken) edits.blank(d.exclamationToken.getStart(sf), d.exclamationToken.end);
      if (!d.initializer && !isVar) edits.insert(d.end, ' = undefined');
    }
    edits.replace(decls[decls.length - 1].end, s.end, ');');
  }

  function functionDeclaration(s: ts.FunctionDeclaration): void {
    if (!s.body || has(s, K.DeclareKeyword)) return edits.blank(s.getStart(sf), s.end);
    if (!s.name) {
      // `export default function () {}`: an expression, the cell's value when last.
      dropModifiers(s, [K.ExportKeyword, K.DefaultKeyword]);
      edits.insert(s.getStart(sf), s === last ? 'return (' : ';(');
      edits.insert(s.end, ');');
      return;
    }
    dropModifiers(s, [K.ExportKeyword, K.DefaultKeyword]);
    declare(s.name.text, s, false);
    // Declarations are hoisted inside the cell's function: copy them out as it starts.
    prologue.push(`globalThis[${JSON.stringify(s.name.text)}] = ${s.name.text};`);
  }

  function classDeclaration(s: ts.ClassDeclaration): void {
    if (has(s, K.DeclareKeyword)) return edits.blank(s.getStart(sf), s.end);
    if (!s.name) {
      dropModifiers(s, [K.ExportKeyword, K.DefaultKeyword]);
      edits.insert(s.getStart(sf), s === last ? 'return (' : ';(');
      edits.insert(s.end, ');');
      return;
    }
    copiedDeclaration(s);
  }

  /** A class, enum or namespace stays a declaration in the cell, and is copied onto globalThis after it. */
  function copiedDeclaration(s: ts.ClassDeclaration | ts.EnumDeclaration | ts.ModuleDeclaration): void {
    if (has(s, K.DeclareKeyword)) return edits.blank(s.getStart(sf), s.end);
    dropModifiers(s, [K.ExportKeyword, K.DefaultKeyword]);
    const name = (s.name as ts.Identifier).text;
    declare(name, s, false);
    edits.insert(s.end, ` ;globalThis[${JSON.stringify(name)}] = ${name};`);
  }

  /** `for (var i …)` at the top: the variable is the cell's, so it outlives the cell like any `var`. */
  function forVar(s: ts.ForStatement | ts.ForInStatement | ts.ForOfStatement): void {
    const init = s.initializer;
    if (!init || !t.isVariableDeclarationList(init) || blockScope(init) !== 0) return;
    const keyword = init.getStart(sf);
    edits.replace(keyword, keyword + 3, '');
    for (const d of init.declarations) {
      bindingNames(d.name, d);
      if (d.type) edits.blank(d.name.end, d.type.end);
    }
  }

  /** `import(x)` and `import.meta` anywhere in the cell go through the kernel. */
  function rewriteImportCalls(node: ts.Node): void {
    if (t.isCallExpression(node) && node.expression.kind === K.ImportKeyword) {
      edits.replace(node.expression.getStart(sf), node.expression.end, '__sw.dynamicImport');
    } else if (t.isMetaProperty(node) && node.keywordToken === K.ImportKeyword) {
      edits.replace(node.getStart(sf), node.end, '__sw.importMeta');
      return;
    }
    t.forEachChild(node, rewriteImportCalls);
  }
}

function problemAt(sf: ts.SourceFile, pos: number | undefined, message: string): SyntaxProblem {
  const lc = sf.getLineAndCharacterOfPosition(pos ?? 0);
  return { message, line: lc.line + 1, column: lc.character + 1 };
}
