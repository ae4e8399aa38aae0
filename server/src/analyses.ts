/**
 * The analysis cache and its scheduler: one `Analysis` per open document, recomputed only
 * for the document that changed.
 *
 * Scheduling. A change is analysed on the next turn of the event loop, so a keystroke on a
 * quiet document is answered at once, and changes that queued up while the server was busy
 * are coalesced into one parse of the newest text. Only when the typist outpaces the parser
 * (the last analysis had to cover more than one version) does the next one wait, for as long
 * as the last took (capped): parsing then takes at most about half the server's time and each
 * parse covers a whole burst. Anything that needs the result now (open, save, a request)
 * flushes: it analyses the current version immediately. Every result carries the version it
 * was computed from, and a result whose version is no longer the document's is dropped.
 */
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { FlowGraph } from '../../runtime/src/graph/types';
import { analyze, type Analysis } from './analysis';

/** Upper bound of the wait between two analyses of one document while it keeps changing. */
const MAX_THROTTLE_MS = 150;

export type AnalysisListener = (analysis: Analysis, previous: Analysis | undefined) => void;

export class FlowAnalyses {
  private readonly results = new Map<string, Analysis>();
  /** The newest graph of each document that parsed without syntax errors. */
  private readonly lastClean = new Map<string, FlowGraph>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly finishedAt = new Map<string, number>();
  /** Documents whose last analysis covered several changes at once: edits outpace parsing. */
  private readonly behind = new Set<string>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly onResult: AnalysisListener,
    private readonly log: (message: string) => void,
  ) {}

  /** The document's text changed: analyse it soon (see the scheduling note above). */
  changed(uri: string): void {
    if (this.timers.has(uri)) return; // the pending run reads the newest text when it fires
    const previous = this.results.get(uri);
    if (previous && previous.version === this.documents.get(uri)?.version) return; // open already did it
    const finished = this.finishedAt.get(uri);
    const wait =
      previous && finished !== undefined && this.behind.has(uri)
        ? Math.max(0, finished + Math.min(previous.cost, MAX_THROTTLE_MS) - performance.now())
        : 0;
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        this.run(uri);
      }, wait),
    );
  }

  /** The analysis of the document's current version, computed now if it is not there yet. */
  current(uri: string): Analysis | undefined {
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const known = this.results.get(uri);
    if (known && known.version === doc.version) {
      this.cancel(uri);
      return known;
    }
    return this.run(uri);
  }

  /** The graph to offer names from while the text is half-typed: the newest clean one. */
  namesGraph(uri: string): FlowGraph | null {
    const now = this.results.get(uri)?.graph ?? null;
    if (now && now.syntaxErrors.length === 0) return now;
    return this.lastClean.get(uri) ?? now;
  }

  closed(uri: string): void {
    this.cancel(uri);
    this.results.delete(uri);
    this.lastClean.delete(uri);
    this.finishedAt.delete(uri);
    this.behind.delete(uri);
  }

  private cancel(uri: string): void {
    const timer = this.timers.get(uri);
    if (timer) clearTimeout(timer);
    this.timers.delete(uri);
  }

  private run(uri: string): Analysis | undefined {
    this.cancel(uri);
    const doc = this.documents.get(uri);
    if (!doc) return undefined;
    const version = doc.version;
    const text = doc.getText();
    let analysis: Analysis;
    try {
      analysis = analyze(uri, version, text);
    } catch (err) {
      // The parser or a rule threw on this text: report nothing for it rather than stale
      // findings, and keep serving every other document.
      this.log(`stepwise: analysing ${uri} (version ${version}) failed: ${err instanceof Error ? err.stack : String(err)}`);
      analysis = { uri, version, text, graph: null, diagnostics: [], cost: 0 };
    }
    this.finishedAt.set(uri, performance.now());
    if (this.documents.get(uri)?.version !== version) return undefined; // stale: a newer run follows
    const previous = this.results.get(uri);
    if (previous && version - previous.version > 1) this.behind.add(uri);
    else this.behind.delete(uri);
    this.results.set(uri, analysis);
    if (analysis.graph && analysis.graph.syntaxErrors.length === 0) this.lastClean.set(uri, analysis.graph);
    try {
      this.onResult(analysis, previous);
    } catch (err) {
      this.log(`stepwise: publishing ${uri} failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
    return analysis;
  }
}
