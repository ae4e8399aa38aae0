/**
 * How `start` resolves its Parameter and IncludeFile fields while the flow's constructor runs:
 * from the run's record (flags, environment, defaults as the runner decided them). Elsewhere
 * they are inherited artifacts, bound after construction. Used by the task process and by the
 * notebook kernel's taskContext, which rebuilds the same flow object.
 */
import type { DefaultFunction, ParameterResolver } from '../api/parameter';
import type { ParameterType } from '../graph/types';
import type { TaskContext } from './context';
import { callDefault, parameterContext } from './functionDefaults';

export function startParameters(ctx: Pick<TaskContext, 'spec' | 'run' | 'loader'>): ParameterResolver {
  const { spec, run, loader } = ctx;
  const isStart = spec.parents.length === 0;
  return {
    parameter(name, options) {
      if (!isStart) return undefined;
      const rec = run.parameters.find((p) => p.name === name && p.kind === 'parameter');
      if (rec && rec.value !== undefined) return rec.value;
      const d = options.default;
      // A function default the runner did not compute (written as a variable, say): computed here, once.
      if (typeof d === 'function') {
        const context = parameterContext(run.flow, run.user, run.project);
        return callDefault(name, typeOf(options.type), d as DefaultFunction, context);
      }
      return options.type === Symbol.for('stepwise.JSONType') && typeof d === 'string' ? JSON.parse(d) : d;
    },
    includeFile(name) {
      if (!isStart) return undefined;
      const rec = run.parameters.find((p) => p.name === name && p.kind === 'includeFile');
      return rec?.hash ? loader.load(rec.hash, name) : undefined;
    },
  };
}

function typeOf(type: unknown): ParameterType {
  if (type === Number) return 'number';
  if (type === Boolean) return 'boolean';
  if (type === Symbol.for('stepwise.JSONType')) return 'json';
  // Undeclared: whatever the function gives, as long as it can be stored.
  return type === String ? 'string' : 'json';
}
