/**
 * `stepwise dap`: the debug adapter on stdin/stdout (Debug Adapter Protocol). stdout carries
 * the protocol, so nothing else may print there while it runs.
 */
import type { Command } from '../command';
import { StepwiseDebugSession } from '../../debug/session';

export const dapCommand: Command = {
  name: 'dap',
  summary: 'Run the debug adapter on stdio (VS Code starts it for `stepwise` debug sessions).',
  help: `Usage: stepwise dap

Speaks the Debug Adapter Protocol on stdin/stdout. A \`stepwise\` launch configuration runs or
resumes a flow (flow, command, params, originRunId, step, maxWorkers (default 1), maxNumSplits,
tags, env, cwd). When the client sets "__stepwiseAttach": true, every task starts under the V8
inspector and the adapter sends a \`stepwiseAttach\` event with a ready \`pwa-node\` attach
configuration; otherwise (and with noDebug) tasks run without the inspector.
Stopping the session kills the task processes and marks the run killed.`,
  async run(_args, io) {
    // Whatever writes to the console must not corrupt the protocol on stdout.
    for (const k of ['log', 'info', 'debug'] as const) console[k] = (...a: unknown[]) => console.error(...a);
    return new Promise<number>((resolve) => {
      const session = new StepwiseDebugSession({
        env: io.env,
        onShutdown: () => {
          process.stdin.destroy();
          resolve(0);
          // Nothing of the session may keep the process alive once the client has gone.
          setTimeout(() => process.exit(0), 200).unref();
        },
      });
      const stop = () => session.shutdown();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      session.start(process.stdin, process.stdout);
    });
  },
};
