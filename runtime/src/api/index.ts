/** The flow language: what `import … from 'stepwise'` gives a flow file. */
export {
  FlowSpec,
  step,
  type Inputs,
  type StepMethod,
  type ForeachOptions,
  type ForeachFrame,
  type MergeOptions,
  type StepName,
} from './flowspec';
export {
  Parameter,
  IncludeFile,
  JSONType,
  type ParameterOptions,
  type IncludeFileOptions,
  type ParameterValue,
  type ParameterType,
  type ParameterContext,
  type ParameterDefault,
  type DefaultFunction,
} from './parameter';
export { current, type CurrentInfo } from './current';
export {
  retry,
  catchFailure,
  timeout,
  resources,
  project,
  slurm,
  type ProjectOptions,
  type RetryOptions,
  type CatchFailureOptions,
  type TimeoutOptions,
  type ResourcesOptions,
  type SlurmOptions,
  type CaughtFailure,
  type StepDecorator,
  type FlowDecorator,
} from './decorators';
/** @internal For the task process only. */
export * as __internal from './internal';
