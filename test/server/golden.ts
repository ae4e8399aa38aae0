/** Golden files for the server tests: compare, or rewrite them with UPDATE_GOLDEN=1. */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-protocol';
import { repoRoot } from './lspSession';

const goldenDir = join(repoRoot, 'test', 'golden', 'server');
const updating = process.env.UPDATE_GOLDEN === '1';

export function expectGolden(relative: string, actual: unknown): void {
  const file = join(goldenDir, relative);
  const text = JSON.stringify(actual, null, 2) + '\n';
  if (updating) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return;
  }
  assert.ok(existsSync(file), `golden file ${file} is missing: run the tests once with UPDATE_GOLDEN=1 and review it`);
  assert.deepStrictEqual(actual, JSON.parse(readFileSync(file, 'utf8')), `differs from ${relative} (UPDATE_GOLDEN=1 rewrites it)`);
}

/** `line:col-line:col`, 1-based like an editor's status bar, so golden files read at a glance. */
export function rangeText(r: Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

/** LSP 3.18 lets a message be markup; the server always sends plain text. */
export function messageOf(d: Diagnostic): string {
  return typeof d.message === 'string' ? d.message : d.message.value;
}

const severityNames = ['', 'error', 'warning', 'info', 'hint'];

/** What a golden diagnostic records: what the user sees, not the server's private data. */
export function goldenDiagnostic(d: Diagnostic) {
  return {
    code: d.code,
    severity: severityNames[d.severity ?? 0],
    range: rangeText(d.range),
    message: messageOf(d),
    ...(d.relatedInformation?.length
      ? { related: d.relatedInformation.map((r) => ({ range: rangeText(r.location.range), message: r.message })) }
      : {}),
  };
}
