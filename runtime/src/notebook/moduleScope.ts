/**
 * A module's top level as values: what it imports (and under which local names) and what it
 * declares. The task-notebook builder uses it to give a step's body the names it uses from
 * its flow file; the kernel, to let the flow module hand those values out (`scope`).
 */
import { typescript, type TsTypes as ts } from '../graph/typescript';

export interface ImportBinding {
  local: string;
  /** 'default', '*' (namespace), or the exported name. */
  imported: string;
}

export interface ModuleImport {
  specifier: string;
  bindings: ImportBinding[];
}

export interface ModuleScope {
  imports: ModuleImport[];
  /** Functions, classes, enums and variables declared at the top level (types excluded). */
  declared: string[];
}

export function moduleScope(sf: ts.SourceFile): ModuleScope {
  const t = typescript();
  const imports: ModuleImport[] = [];
  const declared: string[] = [];
  const isDeclare = (s: ts.Statement) =>
    (t.canHaveModifiers(s) ? (t.getModifiers(s) ?? []) : []).some((m) => m.kind === t.SyntaxKind.DeclareKeyword);
  const names = (n: ts.BindingName): void => {
    if (t.isIdentifier(n)) declared.push(n.text);
    else for (const el of n.elements) if (!t.isOmittedExpression(el)) names(el.name);
  };
  for (const s of sf.statements) {
    if (t.isImportDeclaration(s) && t.isStringLiteral(s.moduleSpecifier)) {
      const clause = s.importClause;
      if (!clause || clause.isTypeOnly) continue;
      const bindings: ImportBinding[] = [];
      if (clause.name) bindings.push({ local: clause.name.text, imported: 'default' });
      const nb = clause.namedBindings;
      if (nb && t.isNamespaceImport(nb)) bindings.push({ local: nb.name.text, imported: '*' });
      if (nb && t.isNamedImports(nb)) {
        for (const el of nb.elements)
          if (!el.isTypeOnly) bindings.push({ local: el.name.text, imported: (el.propertyName ?? el.name).text });
      }
      imports.push({ specifier: s.moduleSpecifier.text, bindings });
    } else if (isDeclare(s)) {
      continue;
    } else if ((t.isFunctionDeclaration(s) && s.body) || t.isClassDeclaration(s) || t.isEnumDeclaration(s)) {
      if (s.name) declared.push(s.name.text);
    } else if (t.isVariableStatement(s)) {
      for (const d of s.declarationList.declarations) names(d.name);
    }
  }
  return { imports, declared };
}

/** Every top-level value name: what the kernel asks a flow module to export as its scope. */
export function scopeNames(scope: ModuleScope): string[] {
  return [...new Set([...scope.imports.flatMap((i) => i.bindings.map((b) => b.local)), ...scope.declared])];
}
