/** Text helpers for the server tests: find positions by content, keep a local copy in sync. */
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range, TextDocumentContentChangeEvent, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';

/** The position `delta` characters into the `nth` occurrence of `needle`. */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    assert.ok(at >= 0, `${JSON.stringify(needle)} (occurrence ${nth}) is not in the text`);
  }
  return TextDocument.create('x:', 'typescript', 0, text).positionAt(at + delta);
}

/** The range covering the `nth` occurrence of `needle`. */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  const start = positionOf(text, needle, 0, nth);
  const end = positionOf(text, needle, needle.length, nth);
  return { start, end };
}

export function textIn(text: string, range: Range): string {
  return TextDocument.create('x:', 'typescript', 0, text).getText(range);
}

/** A client-side copy of a document, updated with the same incremental changes the server gets. */
export class Mirror {
  private doc: TextDocument;
  private readonly byVersion = new Map<number, string>();

  constructor(uri: string, text: string, version = 1) {
    this.doc = TextDocument.create(uri, 'typescript', version, text);
    this.byVersion.set(version, text);
  }

  get text(): string {
    return this.doc.getText();
  }

  get version(): number {
    return this.doc.version;
  }

  textAt(version: number): string {
    const t = this.byVersion.get(version);
    assert.ok(t !== undefined, `no text recorded for version ${version}`);
    return t;
  }

  /** Applies the changes locally and returns them with the next version, ready to send. */
  edit(changes: TextDocumentContentChangeEvent[]): { version: number; changes: TextDocumentContentChangeEvent[] } {
    const version = this.doc.version + 1;
    this.doc = TextDocument.update(this.doc, changes, version);
    this.byVersion.set(version, this.doc.getText());
    return { version, changes };
  }

  /** A change replacing the `nth` occurrence of `needle` with `replacement`. */
  replace(needle: string, replacement: string, nth = 0) {
    return this.edit([{ range: rangeOf(this.text, needle, nth), text: replacement }]);
  }

  insertAt(position: Position, text: string) {
    return this.edit([{ range: { start: position, end: position }, text }]);
  }

  positionAt(offset: number): Position {
    return this.doc.positionAt(offset);
  }
}

/** The text after applying a workspace edit's changes for `uri`. */
export function applyWorkspaceEdit(text: string, uri: string, edit: WorkspaceEdit | undefined): string {
  const edits: TextEdit[] = edit?.changes?.[uri] ?? [];
  assert.ok(edits.length > 0, `the edit changes nothing in ${uri}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'typescript', 0, text), edits);
}
