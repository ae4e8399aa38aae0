/**
 * A step's body as a notebook cell, read with TypeScript's parser: `this` becomes `self`
 * (except where a nested function or class gives `this` another meaning), `this.next(…)`
 * is left as a comment (a notebook takes no transition), and the names the body uses from its
 * flow file — imports and the file's own helpers — are listed, so the binding cell can provide them.
 */
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { apiNames, findFlowClasses } from '../../graph/classes';
import { thisMember } from '../../graph/body';
import { typescript, type TsTypes as ts } from '../../graph/typescript';
import { Edits } from '../edits';
import { moduleScope, type ModuleImport } from '../moduleScope';

export interface StepSource {
  /** The body's statements, dedented and rewritten. */
  code: string;
  /** 1-based line of the method's name in the flow file. */
  line: number;
  /** A join's parameter name (`inputs`, or whatever the step calls it). */
  inputsName?: string;
  /** Import declarations for the imported names the body uses, specifiers relative to the notebook. */
  imports: string[];
  /** The flow file's own top-level names the body uses (from the kernel's `scope`). */
  scopeNames: string[];
}

export class StepSourceError extends Error {}

/** Nodes inside which `this` is not the flow object. */
function rebindsThis(t: ReturnType<typeof typescript>, n: ts.Node): boolean {
  return (
    t.isFunctionExpression(n) ||
    t.isFunctionDeclaration(n) ||
    t.isClassLike(n) ||
    t.isMethodDeclaration(n) ||
    t.isGetAccessorDeclaration(n) ||
    t.isSetAccessorDeclaration(n) ||
    t.isConstructorDeclaration(n)
  );
}

export function stepSource(flowText: string, flowFile: string, step: string, notebookDir: string): StepSource {
  const t = typescript();
  const sf = t.createSourceFile(flowFile, flowText, t.ScriptTarget.Latest, true, t.ScriptKind.TS);
  const cls = findFlowClasses(sf, apiNames(sf)).flow;
  if (!cls) throw new StepSourceError(`${flowFile} has no class extending FlowSpec any more.`);
  const method = cls.members.find((m): m is ts.MethodDeclaration => t.isMethodDeclaration(m) && !!m.name && m.name.getText(sf) === step);
  if (!method?.body) throw new StepSourceError(`${flowFile} has no step '${step}' any more.`);
  const body = method.body;
  const edits = new Edits(flowText);
  const used = new Set<string>();
  const indent = sharedIndent(flowText, body.getStart(sf) + 1, body.end - 1, templateSpans(t, body, sf));
  const commented: Array<[number, number]> = [];

  const visit = (n: ts.Node, thisIsFlow: boolean): void => {
    if (t.isTypeNode(n)) return;
    if (thisIsFlow && t.isCallExpression(n) && thisMember(n.expression) === 'next') return neutralise(n);
    if (thisIsFlow && n.kind === t.SyntaxKind.ThisKeyword) edits.replace(n.getStart(sf), n.end, 'self');
    if (t.isIdentifier(n) && isReference(t, n)) used.add(n.text);
    const inner = thisIsFlow && !rebindsThis(t, n);
    t.forEachChild(n, (c) => visit(c, inner));
  };

  /**
   * `this.next(…)` as a comment: line comments when the statement has its lines to itself in a
   * block; else a block comment, and an empty statement where a statement must stay (`if (x) …`).
   */
  const neutralise = (call: ts.CallExpression): void => {
    const stmt = t.isExpressionStatement(call.parent) ? call.parent : undefined;
    const target: ts.Node = stmt ?? call;
    const start = target.getStart(sf);
    const lineStart = flowText.lastIndexOf('\n', start - 1) + 1;
    const lineEnd = flowText.indexOf('\n', target.end);
    const lead = flowText.slice(lineStart, start);
    const inBlock = !!stmt && (t.isBlock(stmt.parent) || t.isCaseOrDefaultClause(stmt.parent));
    const ownLines = inBlock && !lead.trim() && !flowText.slice(target.end, lineEnd < 0 ? undefined : lineEnd).trim();
    // Continuation lines keep their indentation relative to the statement's first line.
    const lines = flowText
      .slice(start, target.end)
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.slice(Math.min(lead.length, /^[ \t]*/.exec(l)![0].length))));
    const note = '(not taken in a notebook)';
    if (ownLines) {
      const pad = lead.slice(Math.min(indent.cut, lead.length));
      edits.replace(start, target.end, `// ${lines.join(`\n${pad}// `)}  ${note}`);
    } else {
      const comment = `/* ${lines.join('\n').replace(/\*\//g, '*\\/')} ${note} */`;
      edits.replace(start, target.end, stmt ? `${comment};` : `undefined ${comment}`);
    }
    commented.push([start, target.end]);
  };

  for (const s of body.statements) visit(s, true);
  for (const at of indent.lineStarts) {
    if (commented.some(([a, b]) => at > a && at < b)) continue;
    const n = Math.min(indent.cut, /^[ \t]*/.exec(flowText.slice(at, at + indent.cut))![0].length);
    if (n) edits.replace(at, at + n, '');
  }
  const scope = moduleScope(sf);
  const edited = edits.apply();
  // The body between its braces, in the edited text: the edits are all inside it.
  const delta = edited.length - flowText.length;
  const inner = edited.slice(body.getStart(sf) + 1, body.end - 1 + delta);
  return {
    code: trimBlankLines(inner),
    line: sf.getLineAndCharacterOfPosition(method.name.getStart(sf)).line + 1,
    inputsName: method.parameters[0] && t.isIdentifier(method.parameters[0].name) ? method.parameters[0].name.text : undefined,
    imports: scope.imports.flatMap((i) => importFor(i, used, flowFile, notebookDir)),
    scopeNames: scope.declared.filter((n) => used.has(n)),
  };
}

/** An identifier that names a value (not a property name, not a declaration's key). */
function isReference(t: ReturnType<typeof typescript>, n: ts.Identifier): boolean {
  const p = n.parent;
  if (t.isPropertyAccessExpression(p) && p.name === n) return false;
  if ((t.isPropertyAssignment(p) || t.isMethodDeclaration(p) || t.isPropertyDeclaration(p)) && p.name === n) return false;
  if (t.isBindingElement(p) && p.propertyName === n) return false;
  return true;
}

function importFor(i: ModuleImport, used: Set<string>, flowFile: string, notebookDir: string): string[] {
  const b = i.bindings.filter((x) => used.has(x.local));
  if (!b.length) return [];
  const def = b.find((x) => x.imported === 'default');
  const ns = b.find((x) => x.imported === '*');
  const named = b.filter((x) => x !== def && x !== ns).map((x) => (x.imported === x.local ? x.local : `${x.imported} as ${x.local}`));
  const spec = JSON.stringify(retarget(i.specifier, flowFile, notebookDir)).replace(/^"|"$/g, "'");
  const out: string[] = [];
  // A default import and a namespace import cannot share one declaration with named ones.
  if (ns) out.push(`import ${def ? `${def.local}, ` : ''}* as ${ns.local} from ${spec};`);
  if (named.length || (def && !ns))
    out.push(
      `import ${def && !ns ? def.local : ''}${def && !ns && named.length ? ', ' : ''}${named.length ? `{ ${named.join(', ')} }` : ''} from ${spec};`,
    );
  return out;
}

/** A relative specifier of the flow file, made relative to the notebook's folder. */
export function retarget(spec: string, flowFile: string, notebookDir: string): string {
  if (!spec.startsWith('./') && !spec.startsWith('../')) return spec;
  const abs = resolve(dirname(flowFile), spec);
  const rel = relative(notebookDir, abs).split(sep).join('/');
  if (isAbsolute(rel)) return rel;
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** Template literals' spans: a line that starts inside one is string content, never re-indented. */
function templateSpans(t: ReturnType<typeof typescript>, body: ts.Node, sf: ts.SourceFile): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const visit = (n: ts.Node): void => {
    if (t.isNoSubstitutionTemplateLiteral(n) || t.isTemplateExpression(n)) spans.push([n.getStart(sf), n.end]);
    else t.forEachChild(n, visit);
  };
  visit(body);
  return spans;
}

/**
 * The indentation the body's lines share, and where those lines start (lines that start inside
 * a template literal are string content: neither measured nor re-indented).
 */
function sharedIndent(text: string, from: number, to: number, strings: Array<[number, number]>): { cut: number; lineStarts: number[] } {
  const lineStarts: number[] = [];
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) {
    const start = at + 1;
    if (!strings.some(([a, b]) => start > a && start < b)) lineStarts.push(start);
  }
  const lineText = (start: number) => {
    const nl = text.indexOf('\n', start);
    return text.slice(start, nl < 0 || nl > to ? to : nl);
  };
  const widths = lineStarts.filter((s) => lineText(s).trim()).map((s) => /^[ \t]*/.exec(lineText(s))![0].length);
  return { cut: widths.length ? Math.min(...widths) : 0, lineStarts };
}

function trimBlankLines(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  while (lines.length && !lines[0].trim()) lines.shift();
  while (lines.length && !lines[lines.length - 1].trim()) lines.pop();
  // A body that starts on the line of its `{`: that first line keeps no indentation.
  if (lines.length) lines[0] = lines[0].trimStart();
  return lines.join('\n').trimEnd();
}
