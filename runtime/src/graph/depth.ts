/**
 * A flow nested too deeply for the parser. TypeScript's parser (and our walk of its tree) is
 * recursive, so a thousand nested parentheses exhaust the stack; that is a property of the text,
 * reported like a syntax error at the construct, never a crash.
 */
import type { Range } from './types';

export class FlowTooDeepError extends Error {
  constructor(
    readonly file: string,
    readonly range: Range,
    message: string,
  ) {
    super(message);
    this.name = 'FlowTooDeepError';
  }
}

export function isStackOverflow(err: unknown): boolean {
  return err instanceof RangeError && /call stack/i.test(err.message);
}

interface Nesting {
  depth: number;
  /** Offsets of the open brackets at the deepest point, outermost first. */
  stack: number[];
}

const CLOSE: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/** The deepest bracket nesting in `text`, skipping comments and string literals (roughly). */
function deepestNesting(text: string): Nesting {
  const stack: number[] = [];
  let deepest: Nesting = { depth: 0, stack: [] };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') i = end(text.indexOf('\n', i), text);
    else if (c === '/' && text[i + 1] === '*') i = end(text.indexOf('*/', i + 2) + 1, text);
    else if (c === '"' || c === "'" || c === '`') i = stringEnd(text, i, c);
    else if (c === '(' || c === '[' || c === '{') {
      stack.push(i);
      if (stack.length > deepest.depth) deepest = { depth: stack.length, stack: [...stack] };
    } else if (CLOSE[c] && stack.length && text[stack[stack.length - 1]] === CLOSE[c]) stack.pop();
  }
  return deepest;
}

function end(at: number, text: string): number {
  return at < 0 ? text.length : at;
}

function stringEnd(text: string, start: number, quote: string): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote || (quote !== '`' && text[i] === '\n')) return i;
  }
  return text.length;
}

function position(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

const NAMES: Record<string, string> = { '(': 'parentheses', '[': 'square brackets', '{': 'braces' };

/** The error for a text the parser could not follow, pointing at its deepest nesting. */
export function tooDeep(text: string, file: string): FlowTooDeepError {
  const { depth, stack } = deepestNesting(text);
  const fix = 'Split the expression into smaller ones (intermediate variables or helper functions).';
  if (depth < 64) {
    // Not brackets: a chain of unary operators, arrows or conditionals, which generated code
    // writes on one long line. The longest line is the best guess, and said to be one.
    const lines = text.split('\n');
    let longest = 0;
    lines.forEach((l, i) => (l.length > lines[longest].length ? (longest = i) : undefined));
    const range = { start: { line: longest, character: 0 }, end: { line: longest, character: lines[longest].length } };
    return new FlowTooDeepError(
      file,
      range,
      `an expression is nested too deeply to parse (a very long chain of operators, arrow functions or conditionals; ` +
        `probably on line ${longest + 1}, the longest). ${fix}`,
    );
  }
  // The run of brackets of the innermost kind that ends at the deepest point: the `((((…` a reader sees.
  const kind = text[stack[stack.length - 1]];
  let first = stack.length - 1;
  while (first > 0 && text[stack[first - 1]] === kind) first--;
  const start = position(text, stack[first]);
  const range = { start, end: position(text, stack[stack.length - 1] + 1) };
  return new FlowTooDeepError(
    file,
    range,
    `${stack.length - first} ${NAMES[kind]} nested inside one another (${depth} levels of brackets in all): ` +
      `more than the parser can follow. ${fix}`,
  );
}
