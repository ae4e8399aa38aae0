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
  const sf = t.createSourceFile(
    'cell.ts',
    source,
    t.ScriptTarget.Latest,
    true,
    o.language === 'javascript' ? t.ScriptKind.JS : t.ScriptKind.TS,
  );
  const diag = (sf as unknown as { parseDiagnostics?: ts.DiagnosticWithLocation[] }).parseDiagnostics?.[0];
  if (diag) throw new CellSyntaxError(problemAt(sf, diag.start, t.flattenDiagnosticMessageText(diag.messageText, ' ')));
  return new CellRewriter(t, sf, o).rewrite();
}

/** One cell's rewrite: a visitor over its top-level statements, editing the source in place. */
class CellRewriter {
  private readonly K: typeof ts.SyntaxKind;
  private readonly edits: Edits;
  private readonly hoisted = new Set<string>();
  private readonly prologue: string[] = [];
  /** The statement whose value is the cell's: the last one that is not a type or empty. */
  private readonly last: ts.Statement | undefined;

  constructor(
    private readonly t: typeof ts,
    private readonly sf: ts.SourceFile,
    private readonly o: RewriteOptions,
  ) {
    this.K = t.SyntaxKind;
    this.edits = new Edits(sf.text);
    this.last = [...sf.statements].reverse().find((s) => !this.isTypeOnly(s) && s.kind !== this.K.EmptyStatement);
  }

  rewrite(): RewrittenCell {
    for (const s of this.sf.statements) this.statement(s);
    this.rewriteImportCalls(this.sf);
    const head = `(async () => { ${this.prologue.join(' ')}`;
    const body = this.edits.apply();
    const edits = this.edits;
    return {
      code: `${head}${body}\n})()`,
      toCellOffset: (offset) =>
        offset < head.length || offset > head.length + body.length ? undefined : edits.toSource(offset - head.length),
      globals: [...this.hoisted],
    };
  }

  private statement(s: ts.Statement): void {
    const t = this.t;
    if (t.isImportDeclaration(s)) this.importDeclaration(s);
    else if (t.isImportEqualsDeclaration(s)) this.importEquals(s);
    else if (t.isExportDeclaration(s)) this.edits.blank(s.getStart(this.sf), s.end);
    else if (t.isExportAssignment(s)) this.exportAssignment(s);
    else if (t.isVariableStatement(s)) this.variableStatement(s);
    else if (t.isFunctionDeclaration(s)) this.functionDeclaration(s);
    else if (t.isClassDeclaration(s)) this.classDeclaration(s);
    else if (t.isEnumDeclaration(s) || (t.isModuleDeclaration(s) && t.isIdentifier(s.name))) this.copiedDeclaration(s);
    else if (t.isForStatement(s) || t.isForInStatement(s) || t.isForOfStatement(s)) this.forVar(s);
    else if (t.isExpressionStatement(s) && s === this.last) {
      this.edits.insert(s.expression.getStart(this.sf), 'return (');
      this.edits.insert(s.expression.end, ')');
    }
  }

  /** `hoist`: declared `var` before the cell's function; functions and enums are copied onto globalThis instead. */
  private declare(name: string, node: ts.Node, hoist = true): void {
    if (RESERVED.has(name)) {
      throw new CellSyntaxError(
        problemAt(this.sf, node.getStart(this.sf), `'${name}' is a global the kernel needs: declare it under another name.`),
      );
    }
    if (hoist) this.hoisted.add(name);
  }

  private blockScope(list: ts.VariableDeclarationList): number {
    return list.flags & this.t.NodeFlags.BlockScoped;
  }

  private modifiers(node: ts.Node): readonly ts.ModifierLike[] {
    return this.t.canHaveModifiers(node) ? (this.t.getModifiers(node) ?? []) : [];
  }

  private has(node: ts.Node, kind: ts.SyntaxKind): boolean {
    return this.modifiers(node).some((m) => m.kind === kind);
  }

  private dropModifiers(node: ts.Node, kinds: ts.SyntaxKind[]): void {
    for (const m of this.modifiers(node)) if (kinds.includes(m.kind)) this.edits.replace(m.getStart(this.sf), m.end, '');
  }

  private bindingNames(name: ts.BindingName, node: ts.Node): void {
    if (this.t.isIdentifier(name)) return this.declare(name.text, node);
    for (const el of name.elements) if (!this.t.isOmittedExpression(el)) this.bindingNames(el.name, node);
  }

  private isTypeOnly(s: ts.Statement): boolean {
    const t = this.t;
    return (
      t.isInterfaceDeclaration(s) ||
      t.isTypeAliasDeclaration(s) ||
      this.has(s, this.K.DeclareKeyword) ||
      (t.isImportDeclaration(s) && !!s.importClause?.isTypeOnly) ||
      (t.isFunctionDeclaration(s) && !s.body)
    );
  }

  private importDeclaration(s: ts.ImportDeclaration): void {
    const t = this.t;
    const spec = (s.moduleSpecifier as ts.StringLiteral).text;
    const clause = s.importClause;
    if (clause?.isTypeOnly) return this.edits.blank(s.getStart(this.sf), s.end);
    const bindings: Array<[string, string]> = [];
    if (clause?.name) bindings.push([clause.name.text, 'default']);
    const named = clause?.namedBindings;
    if (named && t.isNamespaceImport(named)) bindings.push([named.name.text, '*']);
    if (named && t.isNamedImports(named)) {
      for (const el of named.elements) if (!el.isTypeOnly) bindings.push([el.name.text, (el.propertyName ?? el.name).text]);
    }
    for (const [local] of bindings) this.declare(local, s);
    const call = `__sw.importInto(${JSON.stringify(spec)}, ${JSON.stringify(bindings)})`;
    this.edits.replaceKeepingLines(s.getStart(this.sf), s.end, this.o.importStyle(spec) === 'import' ? `await ${call};` : `${call};`);
  }

  private importEquals(s: ts.ImportEqualsDeclaration): void {
    if (s.isTypeOnly) return this.edits.blank(s.getStart(this.sf), s.end);
    const name = s.name.text;
    this.declare(name, s);
    const ref = s.moduleReference;
    if (this.t.isExternalModuleReference(ref) && this.t.isStringLiteral(ref.expression)) {
      const call = `__sw.importInto(${JSON.stringify(ref.expression.text)}, ${JSON.stringify([[name, '=']])})`;
      this.edits.replaceKeepingLines(s.getStart(this.sf), s.end, `${call};`);
    } else {
      this.edits.replaceKeepingLines(s.getStart(this.sf), s.end, `;(${name} = ${ref.getText(this.sf)});`);
    }
  }

  /** `export default x` is the expression `x` (the cell's value when last); `export = x` too. */
  private exportAssignment(s: ts.ExportAssignment): void {
    this.edits.replace(s.getStart(this.sf), s.expression.getStart(this.sf), s === this.last ? 'return (' : ';(');
    this.edits.insert(s.expression.end, ')');
  }

  private variableStatement(s: ts.VariableStatement): void {
    if (this.has(s, this.K.DeclareKeyword)) return this.edits.blank(s.getStart(this.sf), s.end);
    const list = s.declarationList;
    // `using` disposes at the end of its block: it stays local to the cell.
    const scope = this.blockScope(list);
    if (scope === this.t.NodeFlags.Using || scope === this.t.NodeFlags.AwaitUsing) return;
    const isVar = scope === 0;
    const decls = list.declarations;
    this.edits.replace(s.getStart(this.sf), decls[0].getStart(this.sf), ';(');
    for (const d of decls) {
      this.bindingNames(d.name, d);
      if (d.type) this.edits.blank(d.name.end, d.type.end);
      else if (d.exclamationToken) this.edits.blank(d.exclamationToken.getStart(this.sf), d.exclamationToken.end);
      if (!d.initializer && !isVar) this.edits.insert(d.end, ' = undefined');
    }
    this.edits.replace(decls[decls.length - 1].end, s.end, ');');
  }

  /** An unnamed `export default function/class`: an expression, the cell's value when last. */
  private defaultExpression(s: ts.FunctionDeclaration | ts.ClassDeclaration): void {
    this.dropModifiers(s, [this.K.ExportKeyword, this.K.DefaultKeyword]);
    this.edits.insert(s.getStart(this.sf), s === this.last ? 'return (' : ';(');
    this.edits.insert(s.end, ');');
  }

  private functionDeclaration(s: ts.FunctionDeclaration): void {
    if (!s.body || this.has(s, this.K.DeclareKeyword)) return this.edits.blank(s.getStart(this.sf), s.end);
    if (!s.name) return this.defaultExpression(s);
    this.dropModifiers(s, [this.K.ExportKeyword, this.K.DefaultKeyword]);
    this.declare(s.name.text, s, false);
    // Declarations are hoisted inside the cell's function: copy them out as it starts.
    this.prologue.push(`globalThis[${JSON.stringify(s.name.text)}] = ${s.name.text};`);
  }

  private classDeclaration(s: ts.ClassDeclaration): void {
    if (this.has(s, this.K.DeclareKeyword)) return this.edits.blank(s.getStart(this.sf), s.end);
    if (!s.name) return this.defaultExpression(s);
    this.copiedDeclaration(s);
  }

  /** A class, enum or namespace stays a declaration in the cell, and is copied onto globalThis after it. */
  private copiedDeclaration(s: ts.ClassDeclaration | ts.EnumDeclaration | ts.ModuleDeclaration): void {
    if (this.has(s, this.K.DeclareKeyword)) return this.edits.blank(s.getStart(this.sf), s.end);
    this.dropModifiers(s, [this.K.ExportKeyword, this.K.DefaultKeyword]);
    const name = (s.name as ts.Identifier).text;
    this.declare(name, s, false);
    this.edits.insert(s.end, ` ;globalThis[${JSON.stringify(name)}] = ${name};`);
  }

  /** `for (var i …)` at the top: the variable is the cell's, so it outlives the cell like any `var`. */
  private forVar(s: ts.ForStatement | ts.ForInStatement | ts.ForOfStatement): void {
    const init = s.initializer;
    if (!init || !this.t.isVariableDeclarationList(init) || this.blockScope(init) !== 0) return;
    const keyword = init.getStart(this.sf);
    this.edits.replace(keyword, keyword + 3, '');
    for (const d of init.declarations) {
      this.bindingNames(d.name, d);
      if (d.type) this.edits.blank(d.name.end, d.type.end);
    }
  }

  /** `import(x)` and `import.meta` anywhere in the cell go through the kernel. */
  private rewriteImportCalls(node: ts.Node): void {
    const t = this.t;
    if (t.isCallExpression(node) && node.expression.kind === this.K.ImportKeyword) {
      this.edits.replace(node.expression.getStart(this.sf), node.expression.end, '__sw.dynamicImport');
    } else if (t.isMetaProperty(node) && node.keywordToken === this.K.ImportKeyword) {
      this.edits.replace(node.getStart(this.sf), node.end, '__sw.importMeta');
      return;
    }
    t.forEachChild(node, (n) => this.rewriteImportCalls(n));
  }
}

function problemAt(sf: ts.SourceFile, pos: number | undefined, message: string): SyntaxProblem {
  const lc = sf.getLineAndCharacterOfPosition(pos ?? 0);
  return { message, line: lc.line + 1, column: lc.character + 1 };
}
