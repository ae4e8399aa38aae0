/**
 * The extension starts the server the way vscode-languageclient does for a Node module: a
 * forked process speaking over Node IPC (`--node-ipc`). The same bundle must work there.
 */
import { strict as assert } from 'node:assert';
import { fork } from 'node:child_process';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { createProtocolConnection, IPCMessageReader, IPCMessageWriter } from 'vscode-languageserver-protocol/node';
import { FlowGraphNotification, type FlowGraphParams } from '../../server/src/protocol';
import { fixtureText, fixtureUri, repoRoot, serverPath } from './lspSession';

describe('language server: transports', function () {
  it('speaks LSP over Node IPC, as vscode-languageclient starts it', async () => {
    const child = fork(serverPath, ['--node-ipc'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const connection = createProtocolConnection(new IPCMessageReader(child), new IPCMessageWriter(child));
    const uri = fixtureUri('invalid/no_end.ts');
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) =>
      connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
        if (p.uri === uri) resolve(p);
      }),
    );
    const graph = new Promise<FlowGraphParams>((resolve) =>
      connection.onNotification(FlowGraphNotification, (p: FlowGraphParams) => {
        if (p.uri === uri) resolve(p);
      }),
    );
    connection.listen();
    const init = await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    assert.ok((init as { capabilities: { hoverProvider?: boolean } }).capabilities.hoverProvider);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'typescript', version: 1, text: fixtureText('invalid/no_end.ts') },
    });
    assert.deepEqual(
      (await diagnostics).diagnostics.map((d) => d.code),
      ['SW002', 'SW003'],
    );
    assert.equal((await graph).graph?.flowName, 'NoEndFlow');
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    assert.equal(await exited, 0);
    connection.dispose();
    assert.equal(stdout, '', 'nothing written to stdout besides the protocol');
  });
});
