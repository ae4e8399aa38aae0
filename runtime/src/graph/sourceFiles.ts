/**
 * Parsed source files, kept per file name so that re-parsing a file after an edit (what the
 * language server does on every keystroke) reuses the unchanged parts of the previous tree,
 * the way tsserver does. Only the newest tree per name is kept, for a bounded number of names.
 */
import { typescript, type TsTypes as ts } from './typescript';

const MAX_FILES = 8;
const recent = new Map<string, ts.SourceFile>();

function create(fileName: string, text: string): ts.SourceFile {
  const t = typescript();
  // Doc comments are read from comment ranges, so the parser can skip building JSDoc nodes.
  const options = { languageVersion: t.ScriptTarget.Latest, jsDocParsingMode: t.JSDocParsingMode.ParseNone };
  return t.createSourceFile(fileName, text, options, false, t.ScriptKind.TS);
}

/** The one span that differs between two texts (common prefix and suffix left out). */
function changeBetween(before: string, after: string): ts.TextChangeRange {
  const t = typescript();
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return t.createTextChangeRange(t.createTextSpan(prefix, before.length - prefix - suffix), after.length - prefix - suffix);
}

export function sourceFileFor(fileName: string, text: string, reuse: boolean): ts.SourceFile {
  if (!reuse) return create(fileName, text);
  const previous = recent.get(fileName);
  let sf: ts.SourceFile;
  if (previous && previous.text === text) sf = previous;
  else if (previous) sf = typescript().updateSourceFile(previous, text, changeBetween(previous.text, text));
  else sf = create(fileName, text);
  recent.delete(fileName);
  recent.set(fileName, sf);
  if (recent.size > MAX_FILES) recent.delete(recent.keys().next().value!);
  return sf;
}
