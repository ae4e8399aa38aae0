/**
 * The extension's state. `CtxInit` is a `Ctx` whose language client has started; commands are
 * factories over it, so no command body ever meets a missing client. The client starts lazily
 * (first flow document, or first Stepwise command) and exactly once.
 */
import * as vscode from 'vscode';
import { State, type LanguageClient } from 'vscode-languageclient/node';
import { FlowGraphNotification, type FlowGraphParams } from '../../server/src/protocol';
import { registerCommand, type CommandArgs, type CommandHandler, type CommandId } from './contributions';
import { FlowGraphStore } from './flowGraphs';
import { createLanguageClient } from './languageClient';
import type { RuntimeSelection } from './runtimeSelection';
import { RunStateService } from './state/service';

export type CtxInit = Ctx & { readonly client: LanguageClient };

/** Makes a command's body once the client runs. */
export type CommandFactory<C extends CommandId> = (ctx: CtxInit) => CommandHandler<C>;

export class Ctx implements vscode.Disposable {
  readonly graphs = new FlowGraphStore();
  /** Where flows' datastores are, their runs and live state (state/service.ts). */
  readonly runState = new RunStateService();
  private _client: LanguageClient | undefined;
  private starting: Promise<CtxInit> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private settleReady!: { resolve: () => void; reject: (e: unknown) => void };
  /**
   * Settles with the first start of the client, whoever asked for it (a flow document or a
   * command): resolves once it runs, rejects if that start fails.
   */
  readonly ready = new Promise<void>((resolve, reject) => (this.settleReady = { resolve, reject }));

  constructor(
    readonly extension: vscode.ExtensionContext,
    readonly output: vscode.LogOutputChannel,
    /** Which Stepwise installation serves a flow (runtimeSelection.ts). */
    readonly installations: RuntimeSelection,
  ) {
    this.disposables.push(this.graphs, this.runState);
    // Nobody may wait for it (a workspace that never opens a flow): not an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  get client(): LanguageClient | undefined {
    return this._client;
  }

  isStarted(): this is CtxInit {
    return this._client !== undefined && this._client.isRunning();
  }

  /** Starts the language client unless it runs or is starting; every caller gets the same start. */
  start(): Promise<CtxInit> {
    this.starting ??= this.startClient().then(
      (ctx) => {
        this.settleReady.resolve();
        return ctx;
      },
      (e: unknown) => {
        this.starting = undefined;
        this.output.error(`the language server could not start: ${e instanceof Error ? e.message : String(e)}`);
        this.settleReady.reject(e);
        throw e;
      },
    );
    return this.starting;
  }

  private async startClient(): Promise<CtxInit> {
    const client = createLanguageClient(this.extension, this.output);
    this.disposables.push(
      client.onNotification(FlowGraphNotification, (params: FlowGraphParams) => this.graphs.set(params)),
      client.onDidChangeState((e) => {
        // A restarted server re-sends graphs for the open documents; drop the dead one's.
        if (e.newState === State.Starting) this.graphs.clear();
      }),
    );
    const t0 = Date.now();
    try {
      await client.start();
    } catch (e) {
      await client.dispose().catch(() => undefined);
      throw e;
    }
    this._client = client;
    this.output.info(`language server started in ${Date.now() - t0} ms`);
    return this as CtxInit;
  }

  /**
   * Registers a command whose body is made by `factory` once the client runs. Invoking it starts
   * the client first if nothing has yet (a command is an explicit wish to use Stepwise).
   */
  registerCommand<C extends CommandId>(id: C, factory: CommandFactory<C>): void {
    let body: CommandHandler<C> | undefined;
    const run = async (...args: CommandArgs<C>) => {
      let ctx: CtxInit;
      try {
        ctx = await this.start();
      } catch (e) {
        void vscode.window.showErrorMessage(`Stepwise: the language server could not start: ${e instanceof Error ? e.message : String(e)}`);
        return undefined;
      }
      body ??= factory(ctx);
      return body(...args);
    };
    // A command that could not start the client answers undefined, whatever it returns otherwise.
    this.disposables.push(registerCommand(id, run as CommandHandler<C>));
  }

  push(...items: vscode.Disposable[]): void {
    this.disposables.push(...items);
  }

  async stop(): Promise<void> {
    const client = this._client;
    this._client = undefined;
    this.starting = undefined;
    if (client?.needsStop()) await client.stop(2000);
  }

  dispose(): void {
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
