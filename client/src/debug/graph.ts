/** A flow file's graph for the debugger's questions: the server's latest, else asked for. */
import * as vscode from 'vscode';
import type { FlowGraph } from '../../../runtime/src/graph/types';
import { FlowGraphRequest } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';

export async function flowGraphOf(ctx: Ctx, file: string): Promise<FlowGraph | undefined> {
  const uri = vscode.Uri.file(file);
  const known = ctx.graphs.get(uri)?.graph;
  if (known) return known;
  const res = await (await ctx.start()).client.sendRequest(FlowGraphRequest, { uri: uri.toString() });
  return res?.graph ?? undefined;
}
