/**
 * Go-to-definition and find-references. `this.next(this.a)` leads to the step method `a`;
 * `{ foreach: 'items' }` and `this.items` lead to the artifact's declaration and assignments.
 */
import type { Location } from 'vscode-languageserver/node';
import type { Position } from '../../runtime/src/graph/types';
import type { Analysis } from './analysis';
import { sourceIndexOf } from './sourceIndex';
import { occurrencesOf, targetAt } from './targets';

export function definition(analysis: Analysis, position: Position): Location[] {
  const found = targetAt(analysis, position);
  if (!found) return [];
  const { target } = found;
  const uri = analysis.uri;
  if (target.kind === 'step') {
    return target.step ? [{ uri, range: target.step.nameRange }] : [];
  }
  // An artifact is "defined" where it is declared and wherever a step assigns it: with no
  // type-checking, those are the places that can tell the reader what it holds.
  const occurrences = sourceIndexOf(analysis).occurrences.filter((o) => o.name === target.name);
  const declarations = occurrences.filter((o) => o.role === 'field-decl');
  const assignments = occurrences.filter((o) => o.role === 'write');
  return [...declarations, ...assignments].map((o) => ({ uri, range: o.range }));
}

export function references(analysis: Analysis, position: Position, includeDeclaration: boolean): Location[] {
  const found = targetAt(analysis, position);
  if (!found) return [];
  return occurrencesOf(analysis, found.target, includeDeclaration).map((o) => ({ uri: analysis.uri, range: o.range }));
}
