/** Debug: starts a `stepwise` debug session for the flow (see client/src/debug). */
export { debugFlowCommand as debugFlow } from '../debug/commands';
export { DEBUG_TYPE } from '../../../runtime/src/debug/protocol';
