/** The parity harness's comparison on hand-made results: each kind of difference is found, and nothing else. */
import { strict as assert } from 'node:assert';
import type { ParityCase } from './harness/case';
import { compareCase, stepKey } from './harness/compare';
import type { CaseResult, CommandResult, TaskExtract } from './harness/model';
import { normaliseOutput, printedRunId } from './harness/model';
import { verdict } from './harness/report';

const task = (step: string, artifacts: TaskExtract['artifacts'] = {}, more: Partial<TaskExtract> = {}): TaskExtract => ({
  step,
  foreach: [],
  status: 'succeeded',
  cloned: false,
  artifacts,
  unplain: {},
  exception: null,
  ...more,
});
const command = (tasks: TaskExtract[] | null, more: Partial<CommandResult> = {}): CommandResult => ({
  exit: 0,
  run: tasks && { flow: 'F', tasks },
  output: '',
  ...more,
});
const result = (system: CaseResult['system'], ...commands: CommandResult[]): CaseResult => ({ case: 'c', system, version: '0', commands });
const kase = (more: Partial<ParityCase> = {}): ParityCase => ({
  name: 'c',
  about: '',
  flows: [{ python: 'a.py', typescript: 'a.ts' }],
  commands: [{ args: ['run'] }],
  ...more,
});
const ids = (c: ParityCase, m: CommandResult, s: CommandResult) =>
  compareCase(c, result('metaflow', m), result('stepwise', s)).map((d) => d.id);

describe('parity harness: the comparison', () => {
  const base = [
    task('start', { x: 1 }),
    task('body', { v: 'a' }, { foreach: [0] }),
    task('body', { v: 'b' }, { foreach: [1] }),
    task('end', { order: ['a', 'b'] }),
  ];

  it('finds nothing between equal results, whatever the step-name style', () => {
    const camel = [task('start', { x: 1 }), task('end', { y: [1, { z: null }] })];
    const snake = [task('start', { x: 1 }), task('end', { y: [1, { z: null }] })];
    assert.deepEqual(ids(kase(), command(snake), command(camel)), []);
    assert.equal(stepKey('analyzeCreatures'), 'analyze_creatures');
    assert.equal(stepKey('train2Models'), 'train2_models');
    assert.equal(stepKey('join_x'), 'join_x');
  });

  it('finds a changed value, a changed join order, a missing and an extra artifact', () => {
    const changed = [task('start', { x: 2 }), base[1], base[2], task('end', { order: ['b', 'a'], extra: true })];
    const withOnlyMf = [task('start', { x: 1, gone: 0 }), ...base.slice(1)];
    assert.deepEqual(ids(kase(), command(withOnlyMf), command(changed)), [
      '0:only-metaflow:start.gone',
      '0:artifact:start.x',
      '0:only-stepwise:end.extra',
      '0:artifact:end.order',
    ]);
  });

  it('matches foreach tasks by position, and reports a missing task and a task count', () => {
    assert.deepEqual(ids(kase(), command(base), command(base.filter((_, i) => i !== 2))), ['0:task-count:body', '0:task:body[1]']);
  });

  it('finds exit status, failed steps, task status, clones, and a run on one side only', () => {
    const failed = [task('start'), task('b', {}, { status: 'failed' })];
    const ok = [task('start'), task('b', {}, { cloned: true })];
    assert.deepEqual(ids(kase(), command(failed, { exit: 1 }), command(ok)), [
      '0:exit:status',
      '0:failed-steps:run',
      '0:status:b',
      '0:cloned:b',
    ]);
    assert.deepEqual(ids(kase(), command(null, { exit: 2 }), command(ok, { exit: 2 })), ['0:run:started']);
  });

  it('checks the essential words of an error on both sides, case-insensitively', () => {
    const c = kase({ commands: [{ args: ['run'], errorWords: ['--max-num-splits', '100'] }] });
    const m = command(null, { exit: 1, output: 'more than the maximum of 100 ... use --max-num-splits' });
    assert.deepEqual(ids(c, m, command(null, { exit: 1, output: 'Raise the limit with --MAX-NUM-SPLITS 1000' })), []);
    assert.deepEqual(ids(c, m, command(null, { exit: 1, output: 'too many tasks (over 100)' })), ['0:error-words:--max-num-splits']);
  });

  it('compares plain data only: a type only one side can hold as plain data is a difference, two non-plain values are not compared', () => {
    const m = [task('start', { a: [1, 2] }, { unplain: { s: 'set', t: 'Foo' } })];
    const s = [task('start', {}, { unplain: { a: 'Set', s: 'Set' }, artifacts: { t: 1 } })];
    assert.deepEqual(ids(kase(), command(m), command(s)), ['0:plainness:start.a', '0:plainness:start.t']);
  });

  it('loosens only what a case says: lists from sets compare sorted, random picks by shape; foreach tasks match by an artifact', () => {
    const c = kase({ compare: { loose: { genres: 'unordered', pick: 'shape' }, matchForeachBy: { per_genre: 'genre' } } });
    const m = [
      task('start', { genres: ['b', 'a'], pick: ['x', 'y'], other: ['b', 'a'] }),
      task('perGenre', { genre: 'b' }, { foreach: [0] }),
    ];
    const s = [
      task('start', { genres: ['a', 'b'], pick: ['q', 'r'], other: ['a', 'b'] }),
      task('perGenre', { genre: 'b' }, { foreach: [1] }),
    ];
    assert.deepEqual(ids(c, command(m), command(s)), ['0:artifact:start.other']);
    const s2 = [task('start', { genres: ['a', 'b'], pick: ['q'], other: ['b', 'a'] }), task('perGenre', { genre: 'b' }, { foreach: [1] })];
    assert.deepEqual(ids(c, command(m), command(s2)), ['0:artifact:start.pick']);
  });

  it('sorts differences into kept, unexpected and stale', () => {
    const c = kase({
      kept: [
        { id: '0:artifact:start.x', why: 'A' },
        { id: '0:exit:status', why: 'B' },
      ],
    });
    const v = verdict(
      c,
      compareCase(
        c,
        result('metaflow', command([task('start', { x: 1, y: 1 })])),
        result('stepwise', command([task('start', { x: 2, y: 2 })])),
      ),
    );
    assert.deepEqual(
      v.kept.map((d) => [d.id, d.why]),
      [['0:artifact:start.x', 'A']],
    );
    assert.deepEqual(
      v.unexpected.map((d) => d.id),
      ['0:artifact:start.y'],
    );
    assert.deepEqual(v.stale, ['0:exit:status']);
  });

  it('a kept difference that depends on timing alone is kept when found and never stale when not', () => {
    const c = kase({
      kept: [
        { id: '0:artifact:start.x', why: 'A', timing: true },
        { id: '0:exit:status', why: 'B', timing: true },
      ],
    });
    const v = verdict(
      c,
      compareCase(c, result('metaflow', command([task('start', { x: 1 })])), result('stepwise', command([task('start', { x: 2 })]))),
    );
    assert.deepEqual(
      v.kept.map((d) => d.id),
      ['0:artifact:start.x'],
    );
    assert.deepEqual(v.stale, []);
  });

  it('normalises outputs: run ids, the case folder, times and pids', () => {
    const out =
      '2026-11-27 11:50:03.500 Workflow starting (run-id 1795780203493021):\n2026-11-27 11:50:03.898 [1795780203493021/start/1 (pid 8019)] in /tmp/x-1/.metaflow\n';
    assert.equal(printedRunId(out), '1795780203493021');
    assert.equal(
      normaliseOutput(out, ['1795780203493021'], '/tmp/x-1'),
      'Workflow starting (run-id <run>):\n[<run>/start/1 (pid <pid>)] in <dir>/.metaflow\n',
    );
  });
});
