/** The static flow graph: flow source text → plain-data FlowGraph, never executing the file. */
export { parseFlow, type ParseOptions } from './parse';
export { FlowTooDeepError } from './depth';
export * from './types';
