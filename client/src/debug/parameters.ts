/**
 * Required parameters without a default, asked for with input boxes before a debug run and
 * remembered per flow (workspaceState), so the next F5 offers the last values.
 */
import * as vscode from 'vscode';
import type { ParameterNode } from '../../../runtime/src/graph/types';
import { envName } from '../../../runtime/src/run/parameters';

const KEY = 'stepwise.debug.params';

/** The parameters the run would reject as missing, given the launch configuration's values. */
export function missingParameters(params: ParameterNode[], given: Record<string, unknown>, env: Record<string, unknown>): ParameterNode[] {
  return params.filter(
    (p) =>
      p.required &&
      p.default === undefined &&
      p.defaultText === undefined &&
      !(p.name in given) &&
      env[envName(p.name)] === undefined &&
      process.env[envName(p.name)] === undefined,
  );
}

/** Asks for each parameter; undefined when the user cancels. */
export async function askParameters(
  state: vscode.Memento,
  flowFile: string,
  missing: ParameterNode[],
): Promise<Record<string, string> | undefined> {
  const remembered = state.get<Record<string, Record<string, string>>>(KEY, {});
  const mine = { ...(remembered[flowFile] ?? {}) };
  const out: Record<string, string> = {};
  for (const p of missing) {
    const value = await vscode.window.showInputBox({
      title: `Stepwise: --${p.name}`,
      prompt: `${p.help ?? `Value of the required parameter --${p.name}`} (${p.declaration === 'includeFile' ? 'a file path' : p.type})`,
      value: mine[p.name],
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() === '' ? `--${p.name} is required` : undefined),
    });
    if (value === undefined) return undefined;
    out[p.name] = value;
    mine[p.name] = value;
  }
  await state.update(KEY, { ...remembered, [flowFile]: mine });
  return out;
}
