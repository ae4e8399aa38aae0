/** Assertions about what reaches a terminal. */
/* eslint-disable no-control-regex -- control characters are what this module matches */
import { strict as assert } from 'node:assert';

/** The only control sequences the CLI lets through: newline, tab, colours, CR + erase-line. */
const HARMLESS = /\n|\t|\x1b\[[0-9;]*m|\r\x1b\[[0-2]?K/g;

/** Fails when `text` holds a control character outside the harmless sequences, showing where. */
export function assertNoRawControls(text: string, what: string): void {
  const rest = text.replace(HARMLESS, '');
  const m = /[\x00-\x1f\x7f-\x9f]/.exec(rest);
  assert.ok(
    !m,
    `${what} holds a raw control character ${JSON.stringify(m?.[0])} near ${JSON.stringify(rest.slice(Math.max(0, (m?.index ?? 0) - 30), (m?.index ?? 0) + 30))}`,
  );
}
