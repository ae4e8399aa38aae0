/** Debug: starts a `stepwise` debug session for the flow (see client/src/debug). */
export { debugFlowCommand as debugFlow } from '../debug/commands';
