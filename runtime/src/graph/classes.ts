/** Phase 1: find the classes that extend FlowSpec and pick the file's flow. */
import { DECORATORS, isDecoratorName, type DecoratorName } from '../api/decoratorOptions';
import { calleeName, unwrap } from './source';
import { typescript, type TsTypes as ts } from './typescript';

/** Local names under which the file imports the flow API (`import { step as s }` works too). */
export interface ApiNames {
  flowSpec: Set<string>;
  step: Set<string>;
  parameter: Set<string>;
  includeFile: Set<string>;
  /** Local name → production decorator (`retry`, `catchFailure`, …, `project`). */
  decorators: Map<string, DecoratorName>;
}

export function apiNames(sf: ts.SourceFile): ApiNames {
  const t = typescript();
  const names: ApiNames = {
    flowSpec: new Set(['FlowSpec']),
    step: new Set(['step']),
    parameter: new Set(['Parameter']),
    includeFile: new Set(['IncludeFile']),
    decorators: new Map((Object.keys(DECORATORS) as DecoratorName[]).map((n) => [n, n])),
  };
  for (const st of sf.statements) {
    if (!t.isImportDeclaration(st)) continue;
    const bindings = st.importClause?.namedBindings;
    if (!bindings || !t.isNamedImports(bindings)) continue;
    for (const el of bindings.elements) {
      const imported = (el.propertyName ?? el.name).text;
      const local = el.name.text;
      if (imported === 'FlowSpec') names.flowSpec.add(local);
      else if (imported === 'step') names.step.add(local);
      else if (imported === 'Parameter') names.parameter.add(local);
      else if (imported === 'IncludeFile') names.includeFile.add(local);
      else if (isDecoratorName(imported)) names.decorators.set(local, imported);
    }
  }
  return names;
}

export interface FlowClasses {
  flow: ts.ClassDeclaration | undefined;
  others: ts.ClassDeclaration[];
}

function extendsFlowSpec(cls: ts.ClassDeclaration, api: ApiNames): boolean {
  const t = typescript();
  for (const clause of cls.heritageClauses ?? []) {
    if (clause.token !== t.SyntaxKind.ExtendsKeyword) continue;
    const base = clause.types[0]?.expression;
    if (!base) continue;
    const b = unwrap(base);
    const name = calleeName(b);
    if (name && (api.flowSpec.has(name) || (t.isPropertyAccessExpression(b) && name === 'FlowSpec'))) return true;
  }
  return false;
}

/** The flow is the default-exported FlowSpec class, else the first one in the file. */
export function findFlowClasses(sf: ts.SourceFile, api: ApiNames): FlowClasses {
  const t = typescript();
  const found: ts.ClassDeclaration[] = [];
  let defaultName: string | undefined;
  for (const st of sf.statements) {
    if (t.isClassDeclaration(st) && st.name && extendsFlowSpec(st, api)) found.push(st);
    else if (t.isExportAssignment(st) && !st.isExportEquals && t.isIdentifier(st.expression)) defaultName = st.expression.text;
  }
  const isDefault = (c: ts.ClassDeclaration) =>
    (c.modifiers?.some((m) => m.kind === t.SyntaxKind.DefaultKeyword) ?? false) || c.name?.text === defaultName;
  const flow = found.find(isDefault) ?? found[0];
  return { flow, others: found.filter((c) => c !== flow) };
}
