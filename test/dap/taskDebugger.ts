/**
 * A stand-in for js-debug on the tasks the adapter announces, general enough for every placement
 * of a breakpoint: attaches to each announced task's inspector over CDP, records the scripts it
 * parses, places the current breakpoints (TypeScript lines mapped through the flow bundle's
 * inline source map, by the bundle's URL, as js-debug does at the preload's pause), applies the
 * exception setting, and hands every other pause to the test before resuming.
 */
import { pathToFileURL } from 'node:url';
import type { AttachEventBody } from '../../runtime/src/debug/protocol';
import { ATTACH_EVENT } from '../../runtime/src/debug/protocol';
import type { AdapterUnderTest } from './adapter';
import { CdpClient } from './cdp';
import { generatedPositionFor } from './sourceMap';
import { bundles } from './workspace';

export interface BreakAt {
  file: string;
  /** 1-based */
  line: number;
  condition?: string;
}

export interface Paused {
  pathspec: string;
  cdp: CdpClient;
  reason: string;
  hitBreakpoints: string[];
  callFrameId: string;
  /** The paused frame's location: the script's URL and the 0-based line. */
  url: string;
  lineNumber: number;
}

export interface ParsedScript {
  url: string;
  sourceMapURL: string;
}

export interface TaskDebuggerOptions {
  /** Read at each task's start, so a breakpoint added later applies to the next task. */
  breakpoints?: () => BreakAt[];
  /** `Debugger.setPauseOnExceptions`'s state ('none', 'caught', 'uncaught', 'all'). */
  pauseOnExceptions?: () => 'none' | 'uncaught' | 'all';
  /** Called at every pause but the preload's (`Break on start`); the task resumes after it. */
  onPause?: (p: Paused) => Promise<void>;
}

export class TaskDebugger {
  /** Pathspecs of the tasks attached to, in order. */
  readonly attached: string[] = [];
  readonly scripts = new Map<string, ParsedScript[]>();
  readonly pauses: Array<Omit<Paused, 'cdp'>> = [];
  readonly errors: Error[] = [];
  private readonly sessions: Promise<void>[] = [];

  constructor(
    adapter: AdapterUnderTest,
    private readonly dir: string,
    private readonly o: TaskDebuggerOptions = {},
  ) {
    adapter.dc.on(ATTACH_EVENT, (e: { body: AttachEventBody }) => {
      this.sessions.push(this.attach(e.body).catch((err: Error) => void this.errors.push(err)));
    });
  }

  private async attach(body: AttachEventBody): Promise<void> {
    this.attached.push(body.pathspec);
    const cdp = await CdpClient.connect(body.inspectorUrl);
    const urls = new Map<string, string>();
    const scripts: ParsedScript[] = [];
    this.scripts.set(body.pathspec, scripts);
    cdp.on('Debugger.scriptParsed', (p) => {
      urls.set(p.scriptId as string, p.url as string);
      if (p.sourceMapURL) scripts.push({ url: p.url as string, sourceMapURL: p.sourceMapURL as string });
    });
    cdp.on('Debugger.paused', (p) => {
      void this.paused(body.pathspec, cdp, urls, p).catch((err: Error) => this.errors.push(err));
    });
    await cdp.send('Runtime.enable');
    await cdp.send('Debugger.enable');
    await cdp.send('Debugger.setPauseOnExceptions', { state: this.o.pauseOnExceptions?.() ?? 'none' });
    await cdp.send('Runtime.runIfWaitingForDebugger');
    await cdp.closed;
  }

  private async paused(pathspec: string, cdp: CdpClient, urls: Map<string, string>, p: Record<string, unknown>): Promise<void> {
    const frames = p.callFrames as Array<{ callFrameId: string; location: { scriptId: string; lineNumber: number } }>;
    if (p.reason === 'Break on start') {
      const [bundle] = bundles(this.dir);
      for (const bp of this.o.breakpoints?.() ?? []) {
        const pos = generatedPositionFor(bundle, bp.file, bp.line);
        await cdp.send('Debugger.setBreakpointByUrl', {
          url: pathToFileURL(bundle).href,
          lineNumber: pos.lineNumber,
          columnNumber: pos.columnNumber,
          ...(bp.condition ? { condition: bp.condition } : {}),
        });
      }
    } else {
      const paused: Paused = {
        pathspec,
        cdp,
        reason: p.reason as string,
        hitBreakpoints: (p.hitBreakpoints as string[] | undefined) ?? [],
        callFrameId: frames[0].callFrameId,
        url: urls.get(frames[0].location.scriptId) ?? '',
        lineNumber: frames[0].location.lineNumber,
      };
      const { cdp: _, ...record } = paused;
      this.pauses.push(record);
      await this.o.onPause?.(paused);
    }
    await cdp.send('Debugger.resume');
  }

  async settled(): Promise<void> {
    await Promise.all(this.sessions);
    if (this.errors.length) throw this.errors[0];
  }
}

export interface OwnProperty {
  /** A data property's value (primitives only: objects stay remote). */
  value?: unknown;
  /** An accessor: a debugger shows its getter, not a value. */
  getter: boolean;
  enumerable: boolean;
}

/** A remote object's own properties, by name: `value` for data properties, `getter` for accessors. */
export async function ownProperties(cdp: CdpClient, objectId: string): Promise<Map<string, OwnProperty>> {
  const r = await cdp.send('Runtime.getProperties', { objectId, ownProperties: true });
  type Prop = {
    name: string;
    enumerable: boolean;
    value?: { type: string; value?: unknown; description?: string };
    get?: { type: string };
  };
  const out = new Map<string, OwnProperty>();
  for (const p of r.result as Prop[]) {
    out.set(p.name, {
      value: p.value?.value,
      getter: !!p.get && p.get.type !== 'undefined',
      enumerable: p.enumerable,
    });
  }
  return out;
}

/** Evaluates `expression` in the paused frame without returning by value: the remote object. */
export async function remoteObject(p: Paused, expression: string): Promise<{ objectId: string; className?: string; description?: string }> {
  const r = await p.cdp.send('Debugger.evaluateOnCallFrame', { callFrameId: p.callFrameId, expression });
  const o = r.result as { objectId?: string; className?: string; description?: string };
  if (!o.objectId) throw new Error(`${expression} is not an object in the paused frame: ${JSON.stringify(r)}`);
  return { objectId: o.objectId, className: o.className, description: o.description };
}
