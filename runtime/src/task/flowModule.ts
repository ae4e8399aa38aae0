/**
 * Loads the compiled flow bundle so that its `import … from 'stepwise'` is this process's own
 * API instance (the one the task drives), and its npm imports resolve from the flow's folder.
 */
import Module, { createRequire, isBuiltin } from 'node:module';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { installCommand, isInstalled, packageName, projectDir } from '../compile/packageNames';
import { FlowSpec } from '../api';

type ResolveFilename = (request: string, parent: { filename?: string } | undefined, isMain: boolean, options?: unknown) => string;

export function installResolver(bundle: string, flowFile: string): void {
  const M = Module as unknown as { _resolveFilename: ResolveFilename };
  const original = M._resolveFilename;
  const flowRequire = createRequire(flowFile);
  // dist/task.js sits beside dist/api.js and dist/client.js.
  const own: Record<string, string> = {
    stepwise: join(__dirname, 'api.js'),
    'stepwise/client': join(__dirname, 'client.js'),
  };
  M._resolveFilename = function (request, parent, isMain, options) {
    const mapped = own[request];
    if (mapped) return mapped;
    if (parent?.filename === bundle && !request.startsWith('.') && !isAbsolute(request) && !isBuiltin(request)) {
      try {
        return flowRequire.resolve(request);
      } catch (e) {
        throw notInstalled(e, request, flowFile);
      }
    }
    return original.call(this, request, parent, isMain, options);
  };
}

/**
 * A package the flow requires that is not installed (the run checks its static imports first;
 * this catches the rest, such as a `require` of a computed name): which one, and the command.
 */
function notInstalled(e: unknown, request: string, flowFile: string): unknown {
  const name = packageName(request);
  if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || !name || isInstalled(name, flowFile)) return e;
  const dir = projectDir(flowFile);
  const err = new Error(
    `the package '${name}' (required by ${basename(flowFile)} or a module it imports) is not installed. Install it in ${dir}: ${installCommand(dir, [name])}`,
  ) as NodeJS.ErrnoException;
  err.code = 'MODULE_NOT_FOUND';
  return err;
}

export type FlowClass = new () => FlowSpec;

/** The default export when it is a flow, else the only exported FlowSpec subclass. */
export function loadFlowClass(bundle: string, flowName: string): FlowClass {
  const exported = require(bundle) as Record<string, unknown>;
  const isFlow = (v: unknown): v is FlowClass => typeof v === 'function' && v.prototype instanceof FlowSpec;
  if (isFlow(exported.default)) return exported.default;
  const byName = exported[flowName];
  if (isFlow(byName)) return byName;
  const flows = Object.values(exported).filter(isFlow);
  if (flows.length === 1) return flows[0];
  throw new Error(
    `the flow file does not export the flow class ${flowName}: export it (export default class ${flowName} extends FlowSpec).`,
  );
}

export { dirname };
