/**
 * What a user sees while stopped in a task, read the way a debugger reads it (CDP's
 * Runtime.getProperties and the remote object's description, which js-debug shows in Variables):
 * `this.input`, `this.index` and parameters as values, the flow class by its own name; and no
 * source map a debugger would try to read that does not exist.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AdapterUnderTest } from './adapter';
import { ownProperties, remoteObject, TaskDebugger, type Paused } from './taskDebugger';
import { lineOf, scratch } from './workspace';

const FLOW = `import { FlowSpec, step, Parameter, type Inputs } from 'stepwise';

export default class TrainFlow extends FlowSpec {
  alpha = Parameter('alpha', { default: 0.5 });
  declare items: string[];
  declare got: string;

  @step start() {
    this.items = ['x', 'y'];
    this.next(this.each, { foreach: 'items' });
  }

  @step each() {
    this.got = String(this.input); // in each
    this.next(this.join);
  }

  @step join(inputs: Inputs<TrainFlow>) {
    this.got = inputs.map((i) => i.got).join(); // in join
    this.next(this.end);
  }

  @step end() {
    this.got = String(this.alpha); // in end
  }
}
`;

/** The glob forms attach configurations use (`**`, `*`, a leading `!`), as a RegExp. */
function globRegExp(glob: string): RegExp {
  const body = glob
    .split('**')
    .map((part) => part.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '[^/]*'))
    .join('.*');
  return new RegExp(`^${body}$`);
}

/** Whether js-debug would read the map at `path` under `patterns` (resolveSourceMapLocations). */
function wouldRead(patterns: string[], path: string): boolean {
  const yes = patterns.filter((p) => !p.startsWith('!')).some((p) => globRegExp(p).test(path));
  const no = patterns.filter((p) => p.startsWith('!')).some((p) => globRegExp(p.slice(1)).test(path));
  return yes && !no;
}

interface Seen {
  step: string;
  thisClass?: string;
  thisDescription?: string;
  own: Map<string, { value?: unknown; getter: boolean; enumerable: boolean }>;
  branch?: Map<string, { value?: unknown; getter: boolean; enumerable: boolean }>;
  branchClass?: string;
}

describe('debug adapter: what a user sees while stopped', function () {
  this.timeout(120_000);
  let adapter: AdapterUnderTest | undefined;
  afterEach(async () => {
    await adapter?.close();
    adapter = undefined;
  });

  it('shows input, index and parameters as values, the flow class by name, and reads no missing source map', async () => {
    const dir = scratch();
    const flow = join(dir, 'train.ts');
    writeFileSync(flow, FLOW);
    const seen: Seen[] = [];
    adapter = new AdapterUnderTest(dir);
    const lines = ['// in each', '// in join', '// in end'].map((m) => lineOf(flow, m));
    const js = new TaskDebugger(adapter, dir, {
      breakpoints: () => lines.map((line) => ({ file: flow, line })),
      onPause: async (p: Paused) => {
        const me = await remoteObject(p, 'this');
        const s: Seen = {
          step: p.pathspec.split('/')[2],
          thisClass: me.className,
          thisDescription: me.description,
          own: await ownProperties(p.cdp, me.objectId),
        };
        if (s.step === 'join') {
          const branch = await remoteObject(p, 'inputs[1]');
          s.branch = await ownProperties(p.cdp, branch.objectId);
          s.branchClass = branch.className;
        }
        seen.push(s);
      },
    });
    await adapter.launch({ flow, command: 'run', __stepwiseAttach: true }, () =>
      adapter!.dc.setBreakpointsRequest({ source: { path: flow }, breakpoints: lines.map((line) => ({ line })) }),
    );
    const end = await adapter.runFinished();
    await js.settled();
    assert.equal(end.status, 'succeeded', adapter.text());
    assert.deepEqual(
      seen.map((s) => s.step),
      ['each', 'each', 'join', 'end'],
    );

    for (const s of seen) {
      assert.equal(s.thisClass, 'TrainFlow', `${s.step}: this is named by its class`);
      assert.equal(s.thisDescription, 'TrainFlow');
      assert.deepEqual(s.own.get('alpha'), { value: 0.5, getter: false, enumerable: true }, `${s.step}: alpha as a value`);
    }
    const [x, y, joined, last] = seen;
    assert.deepEqual(x.own.get('input'), { value: 'x', getter: false, enumerable: false });
    assert.deepEqual(x.own.get('index'), { value: 0, getter: false, enumerable: false });
    assert.deepEqual(y.own.get('input'), { value: 'y', getter: false, enumerable: false });
    assert.deepEqual(y.own.get('index'), { value: 1, getter: false, enumerable: false });
    // The join closes the foreach: `this.input` is an error there, still explained by the getter.
    assert.equal(joined.own.has('input'), false);
    assert.equal(joined.branchClass, 'TrainFlow');
    assert.deepEqual(joined.branch?.get('input'), { value: 'y', getter: false, enumerable: false });
    assert.deepEqual(joined.branch?.get('index'), { value: 1, getter: false, enumerable: false });
    assert.equal(last.own.has('input'), false);

    // The artifacts stored are what they were without the debugger: no input/index artifact.
    const out = adapter.text();
    assert.match(out, new RegExp(`Run ${end.runId} succeeded`));

    // Every source map the tasks announce is either present or outside resolveSourceMapLocations
    // (js-debug reports each one it fails to read in the Debug Console).
    const patterns = adapter.attachEvents[0].config.resolveSourceMapLocations;
    let runtimeMaps = 0;
    for (const [pathspec, scripts] of js.scripts) {
      for (const s of scripts) {
        if (s.sourceMapURL.startsWith('data:')) {
          assert.ok(wouldRead(patterns, fileURLToPath(s.url)), `${pathspec}: the flow bundle's inline map is read (${s.url})`);
          continue;
        }
        const map = fileURLToPath(new URL(s.sourceMapURL, s.url));
        if (map.includes(`${sep}dist${sep}`)) runtimeMaps++;
        assert.ok(existsSync(map) || !wouldRead(patterns, map), `${pathspec}: ${map} would be read but does not exist`);
        assert.ok(!wouldRead(patterns, map), `${pathspec}: the runtime's own map ${map} is not read (skipped code)`);
      }
    }
    assert.ok(runtimeMaps >= 3, 'the task, the API and the preload bundles announce their maps');
  });
});
