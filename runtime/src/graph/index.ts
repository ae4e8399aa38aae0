/** The static flow graph: flow source text → plain-data FlowGraph, never executing the file. */
export { parseFlow } from './parse';
export * from './types';
