/**
 * The log grammar (syntaxes/stepwise-log.tmLanguage.json) on real log lines, scanned the way a
 * TextMate engine applies `match` rules: at each position the earliest match wins, ties go to
 * the first rule. (The patterns use only syntax Oniguruma and JavaScript read alike.)
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../support/cli';

interface Rule {
  match?: string;
  name?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, { name: string }>;
}
const grammar = JSON.parse(readFileSync(join(repoRoot, 'syntaxes', 'stepwise-log.tmLanguage.json'), 'utf8')) as {
  patterns: Rule[];
  repository: Record<string, Rule>;
};

function flatten(rules: Rule[]): Rule[] {
  return rules.flatMap((r) => (r.include ? flatten([grammar.repository[r.include.slice(1)]]) : r.patterns ? flatten(r.patterns) : [r]));
}
const rules = flatten(grammar.patterns).map((r) => ({ ...r, re: new RegExp(r.match!, 'dg') }));

/** `text → scope` for every named piece of a line. */
function scan(line: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let pos = 0;
  while (pos < line.length) {
    let best: { m: RegExpExecArray; r: (typeof rules)[number] } | undefined;
    for (const r of rules) {
      r.re.lastIndex = pos;
      const m = r.re.exec(line);
      if (m && (!best || m.index < best.m.index)) best = { m, r };
    }
    if (!best || best.m[0].length === 0) break;
    const { m, r } = best;
    if (r.name) out.push([m[0], r.name]);
    for (const [i, c] of Object.entries(r.captures ?? {})) if (m[Number(i)] !== undefined) out.push([m[Number(i)], c.name]);
    pos = m.index + m[0].length;
  }
  return out;
}

const has = (line: string, text: string, scope: string) => {
  const tokens = scan(line);
  assert.ok(
    tokens.some(([t, s]) => t === text && s.startsWith(scope)),
    `'${text}' should be ${scope} in: ${line}\n got ${JSON.stringify(tokens)}`,
  );
};

describe('log grammar', () => {
  const prefix = '2026-01-27 22:59:40.313 [1795447008018/train_model/21 (pid 13720)]';
  it('scopes timestamps, the pathspec prefix and pid', () => {
    const line = `${prefix} Task is starting.`;
    has(line, '2026-01-27 22:59:40.313', 'comment.timestamp');
    has(line, '1795447008018', 'constant.numeric.run-id');
    has(line, 'train_model', 'entity.name.function.step');
    has(line, '21', 'constant.numeric.task-id');
    has(line, '13720', 'constant.numeric.pid');
    has(line, 'Task is starting.', 'comment.task-starting');
  });
  it('marks failures, errors and stack frames', () => {
    has(`${prefix} Task failed.`, 'Task failed.', 'invalid.illegal.task-failed');
    has(`${prefix} TypeError: x is not a function`, 'TypeError', 'invalid.illegal.error-name');
    const frame = `${prefix}     at _Flow.b (/tmp/w/flow.ts:5:45)`;
    has(frame, '_Flow.b', 'entity.name.function');
    has(frame, '/tmp/w/flow.ts', 'markup.underline.link');
    has(frame, '5', 'constant.numeric.line');
    has('    at Object.<anonymous> (C:/w/flow.ts:12:3)', 'C:/w/flow.ts', 'markup.underline.link');
    has('Error: boom', 'Error', 'invalid.illegal.error-name');
    has('Step failure: step b (task 2) failed:', 'Step failure', 'invalid.illegal.step-failure');
    has('Step failure: step b (task 2) failed:', 'b', 'entity.name.function.step');
    has(
      '2026-01-27 22:59:41.000 Run 1795447008018 failed after 0.2 s.',
      'Run 1795447008018 failed after 0.2 s.',
      'invalid.illegal.run-failed',
    );
    has('2026-01-27 22:59:40.000 Workflow starting (run-id 17954): HelloFlow', 'HelloFlow', 'entity.name.type.flow');
    has(`${prefix} Task finished successfully.`, 'Task finished successfully.', 'markup.inserted');
  });
  it('leaves ordinary output alone', () => {
    assert.deepEqual(
      scan('the model scored 0.93 at epoch 4').filter(([, s]) => s.startsWith('invalid')),
      [],
    );
  });
});
