/**
 * The one line a failed run's notification and status show for what went wrong (plain data, no
 * vscode: unit-tested on its own).
 */

/** The first line of a task's exception: `TypeError: x is not a function`. */
export function firstLine(e: { name?: string; message?: string } | undefined): string | undefined {
  if (!e) return undefined;
  const line = (e.message ?? '').split('\n')[0].trim();
  return e.name && !line.startsWith(e.name) ? `${e.name}: ${line}` : line || e.name;
}

/**
 * The CLI's own error (`stepwise run: cannot run flow.ts: …`), without its `stepwise run: `
 * prefix. A line that ends in a colon introduces what follows (`the flow has 1 error; fix it
 * first (…):` and the finding): the first such line is kept with it, so the one line says what.
 */
export function cliError(stderr: readonly string[]): string | undefined {
  const at = stderr.findIndex((l) => /^stepwise \w+: /.test(l));
  if (at < 0) return undefined;
  const line = stderr[at].replace(/^stepwise \w+: /, '').trim();
  const next = stderr.slice(at + 1).find((l) => l.trim() !== '');
  return line.endsWith(':') && next ? `${line} ${next.trim().replace(/\s+/g, ' ')}` : line;
}
