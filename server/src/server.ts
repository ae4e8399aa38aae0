/**
 * The Stepwise language server. Started by the extension over IPC, or as
 * `node dist/server.js --stdio`. It parses flow files as they change (never type-checks,
 * never runs them), publishes the linter's findings, and answers outline, navigation, hover,
 * completion and quick-fix requests from the same per-version analysis.
 */
import { format } from 'node:util';
import {
  CodeActionKind,
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from './analysis';
import { FlowAnalyses } from './analyses';
import { codeActions } from './codeActions';
import { completions, completionTriggers, contextStart } from './completion';
import { toLspDiagnostics } from './diagnostics';
import { hover } from './hover';
import { definition, references } from './navigation';
import {
  FlowGraphNotification,
  FlowGraphRequest,
  type FlowGraphParams,
  type FlowGraphRequestParams,
  type FlowGraphResult,
} from './protocol';
import { documentSymbols } from './symbols';
import { configureLinters } from './linters';

const connection = createConnection(ProposedFeatures.all);
// With --stdio, stdout is the protocol stream: nothing else may write to it.
console.log = (...args: unknown[]) => connection.console.log(format(...args));
console.info = console.log;
console.warn = (...args: unknown[]) => connection.console.warn(format(...args));
console.error = (...args: unknown[]) => connection.console.error(format(...args));

const documents = new TextDocuments(TextDocument);
const log = (message: string) => connection.console.error(message);
const analyses = new FlowAnalyses(documents, publish, log);

function graphParams(a: Analysis): FlowGraphParams {
  return { uri: a.uri, version: a.version, graph: a.graph, diagnostics: a.graph ? a.diagnostics : [] };
}

function publish(a: Analysis, previous: Analysis | undefined): void {
  if (a.graph) {
    void connection.sendDiagnostics({ uri: a.uri, version: a.version, diagnostics: toLspDiagnostics(a.uri, a.diagnostics) });
    void connection.sendNotification(FlowGraphNotification, graphParams(a));
    return;
  }
  // A non-flow document costs one notification when it opens or stops being a flow, then nothing;
  // a flow too deeply nested to read has no graph, but its one finding is published.
  const wasFlow = previous?.graph != null;
  const hadFindings = wasFlow || !!previous?.diagnostics.length;
  if (a.diagnostics.length || hadFindings) {
    void connection.sendDiagnostics({ uri: a.uri, version: a.version, diagnostics: toLspDiagnostics(a.uri, a.diagnostics) });
  }
  if (wasFlow || previous === undefined) void connection.sendNotification(FlowGraphNotification, graphParams(a));
}

/** Runs a request handler; a failure is logged and answered with `fallback`, never a crash. */
function guarded<P, R>(what: string, handler: (params: P) => R, fallback: R): (params: P) => R {
  return (params: P) => {
    try {
      return handler(params);
    } catch (err) {
      log(`stepwise: ${what} failed: ${err instanceof Error ? err.stack : String(err)}`);
      return fallback;
    }
  };
}

connection.onInitialize((params): InitializeResult => {
  // The client says whether the workspace is trusted: only then is a project's own Stepwise loaded.
  const options = params.initializationOptions as { trusted?: boolean } | undefined;
  configureLinters({ trusted: options?.trusted === true, log });
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
      documentSymbolProvider: { label: 'Stepwise' },
      definitionProvider: true,
      referencesProvider: true,
      hoverProvider: true,
      completionProvider: { triggerCharacters: completionTriggers },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
    },
    serverInfo: { name: 'stepwise-language-server', version: '0.1.0' },
  };
});

documents.onDidOpen(guarded('open', (e) => void analyses.current(e.document.uri), undefined));
documents.onDidChangeContent(guarded('change', (e) => analyses.changed(e.document.uri), undefined));
documents.onDidSave(guarded('save', (e) => void analyses.current(e.document.uri), undefined));
documents.onDidClose(
  guarded(
    'close',
    (e) => {
      analyses.closed(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    },
    undefined,
  ),
);

connection.onDocumentSymbol(
  guarded(
    'documentSymbol',
    (p) => {
      const a = analyses.current(p.textDocument.uri);
      return a?.graph ? documentSymbols(a.graph, a.text) : [];
    },
    [],
  ),
);

connection.onDefinition(
  guarded(
    'definition',
    (p) => {
      const a = analyses.current(p.textDocument.uri);
      return a ? definition(a, p.position) : [];
    },
    [],
  ),
);

connection.onReferences(
  guarded(
    'references',
    (p) => {
      const a = analyses.current(p.textDocument.uri);
      return a ? references(a, p.position, p.context.includeDeclaration) : [];
    },
    [],
  ),
);

connection.onHover(
  guarded(
    'hover',
    (p) => {
      const a = analyses.current(p.textDocument.uri);
      return a ? hover(a, p.position) : null;
    },
    null,
  ),
);

connection.onCompletion(
  guarded(
    'completion',
    (p) => {
      const uri = p.textDocument.uri;
      const doc = documents.get(uri);
      if (!doc) return [];
      analyses.current(uri);
      const graph = analyses.namesGraph(uri);
      if (!graph) return [];
      const before = doc.getText({ start: contextStart(p.position), end: p.position });
      return completions({ graph, before, position: p.position });
    },
    [],
  ),
);

connection.onCodeAction(
  guarded(
    'codeAction',
    (p) => {
      // Quick fixes are all this server offers; a request for other kinds (source actions on save) gets none.
      if (p.context.only && !p.context.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind))) return [];
      const a = analyses.current(p.textDocument.uri);
      return a ? codeActions(a, p.range) : [];
    },
    [],
  ),
);

connection.onRequest(
  FlowGraphRequest,
  guarded(
    'getFlowGraph',
    (p: FlowGraphRequestParams): FlowGraphResult => {
      const a = analyses.current(p.uri);
      return a ? graphParams(a) : null;
    },
    null,
  ),
);

// A bug in one handler must not take the editor's outline, hovers and diagnostics down with it.
process.on('uncaughtException', (err) => {
  try {
    log(`stepwise: uncaught: ${err.stack ?? String(err)}`);
  } catch {
    process.exit(1); // the connection itself is gone: nobody is left to serve
  }
});

documents.listen(connection);
connection.listen();
