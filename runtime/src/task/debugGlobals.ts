/**
 * Names a user types at a breakpoint. The flow is bundled to CommonJS, so in the paused frame its
 * `import { current } from 'stepwise'` is `import_stepwise.current`, and a breakpoint condition
 * such as `current.pass === 3` (stop in the 3rd pass of a loop) or `current.taskId` in the Debug
 * Console would throw "current is not defined" — which V8 treats as false, so the breakpoint
 * silently never stops. Under the debugger only, the same object is also a global; a flow's own
 * binding named `current` still shadows it.
 */
// From '../api' (not '../api/current'): the build shares dist/api.js with the flow, so this is the flow's own object.
import { current } from '../api';

export function exposeForDebugger(): void {
  if ('current' in globalThis) return;
  Object.defineProperty(globalThis, 'current', { value: current, enumerable: false, configurable: true, writable: true });
}
