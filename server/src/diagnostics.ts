/** The linter's findings as LSP diagnostics. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { FlowDiagnostic, Severity } from '../../runtime/src/lint/types';

export const DIAGNOSTIC_SOURCE = 'stepwise';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** What a diagnostic carries back to the server in a code-action request. */
export interface DiagnosticData {
  rule: string;
  [fact: string]: unknown;
}

export function toLspDiagnostic(uri: string, d: FlowDiagnostic): Diagnostic {
  const out: Diagnostic = {
    range: d.range,
    severity: severities[d.severity],
    code: d.code,
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
    data: { ...d.data, rule: d.rule } satisfies DiagnosticData,
  };
  if (d.related?.length) {
    out.relatedInformation = d.related.map((r) => ({ location: { uri, range: r.range }, message: r.message }));
  }
  return out;
}

export function toLspDiagnostics(uri: string, ds: readonly FlowDiagnostic[]): Diagnostic[] {
  return ds.map((d) => toLspDiagnostic(uri, d));
}
