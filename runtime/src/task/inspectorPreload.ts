/**
 * Preloaded (`node --inspect-brk -r dist/inspectorPreload.js dist/task.js …`) into a task that
 * runs under the debugger. Node runs it once the debugger is attached; it compiles the flow
 * bundle — without running it — as a script of its own, under the bundle's URL. The debugger
 * (js-debug, pausing for source maps) stops on that script, reads its source map and places the
 * user's TypeScript breakpoints by the bundle's URL, so they hold when the task loads the bundle
 * for real. Otherwise the bundle appears only after the debugger has let the task go, and a
 * breakpoint in a short step may bind after the step ran.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { runInThisContext } from 'node:vm';
import { TASK_SPEC_ARG, type TaskSpec } from './spec';

const at = process.argv.indexOf(TASK_SPEC_ARG);
if (at > 0) {
  try {
    const spec = JSON.parse(process.argv[at + 1]) as TaskSpec;
    const source = readFileSync(spec.bundle, 'utf8');
    // A function expression around the module: compiled under the module's own URL (lines are
    // the module's lines), never called; kept alive so the debugger can still see it.
    (globalThis as Record<string, unknown>).__stepwisePreparsedFlow = runInThisContext(
      `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
      { filename: pathToFileURL(spec.bundle).href },
    );
  } catch {
    // Only an aid for breakpoints: the task itself reports a missing or broken bundle.
  }
}
