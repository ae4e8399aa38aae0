/**
 * Text from flows and users (task output, exception messages, tags, names) on its way to a
 * terminal or a console that interprets escape sequences: the CLI, the Debug Console, the
 * extension's output channels. A flow must not be able to clear the screen, retitle the window
 * or write the clipboard (OSC 52) by printing, so every control character is shown escaped —
 * except newlines, tabs, colours and the runner's own "rewrite this line" sequence, which cannot
 * act beyond the line they are on.
 */
/* eslint-disable no-control-regex -- control characters are what this module matches */

/**
 * What passes unchanged: newline, tab, SGR (colours and styles, `ESC [ 1;31 m`), and
 * carriage return + erase-in-line (`CR ESC [ K`), which the run console's progress line uses.
 */
const KEPT = /\n|\t|\x1b\[[0-9;]*m|\r\x1b\[[0-2]?K/y;
/** C0 controls, DEL and C1 controls (some terminals act on C1 `CSI`/`OSC` in UTF-8 as well). */
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;

/** `\u001b`: the JSON spelling, so a JSON line stays valid JSON (and decodes to the same text). */
function escaped(ch: string): string {
  return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control character escaped, except the harmless sequences above. */
export function escapeControls(text: string): string {
  if (!CONTROL.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length;) {
    KEPT.lastIndex = i;
    const kept = KEPT.exec(text);
    if (kept) {
      out += kept[0];
      i += kept[0].length;
      continue;
    }
    const ch = text[i++];
    out += CONTROL.test(ch) ? escaped(ch) : ch;
  }
  return out;
}

/** A short field on one line (a tag, a table cell): every control character escaped, colours too. */
export function escapeInline(text: string): string {
  return text.replace(new RegExp(CONTROL.source, 'g'), escaped);
}

type Stream = NodeJS.WritableStream & { isTTY?: boolean };

/**
 * A stream that escapes what is written to it (strings and bytes alike) before passing it on.
 * Each chunk is escaped on its own: a sequence split across two writes is escaped, never let
 * through, so the filter fails safe.
 */
export function escapingStream<S extends Stream>(target: S): S {
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return (target.write as (c: string, ...r: unknown[]) => boolean)(escapeControls(text), ...rest);
  };
  return new Proxy(target, {
    get(t, key) {
      if (key === 'write') return write;
      const value = Reflect.get(t, key, t) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}
