/**
 * Hooks the task process uses on the very module instance that flows import as 'stepwise'.
 * Not part of the flow language; names may change without notice.
 */
export { HOST, stepNameOf, type StepHost } from './flowspec';
export { setParameterResolver, type ParameterResolver } from './parameter';
export { setCurrent } from './current';
export { decoratorsOf, projectOf } from './decorators';
