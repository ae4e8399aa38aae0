/** The artifact editor's rendering of structured values, and its bounds. */
import * as assert from 'node:assert/strict';
import { renderValue } from '../../runtime/src/serialize/render';

describe('artifact rendering', () => {
  it('shows Maps, Sets, typed arrays, Dates, bigints and special numbers as such', () => {
    const v = {
      m: new Map<unknown, unknown>([
        ['k', 1],
        [2, { deep: true }],
      ]),
      s: new Set(['a', 'b']),
      f: new Float64Array([1.5, 2]),
      d: new Date('2026-01-27T22:59:40.313Z'),
      r: /ab+c/gi,
      b: 12345678901234567890n,
      u: undefined,
      n: NaN,
      z: -0,
      e: Object.assign(new Error('bad'), { stack: 'Error: bad\n    at f (x.ts:1:2)' }),
      buf: new Uint8Array([1, 255]).buffer,
    };
    const { text, truncated } = renderValue(v);
    assert.equal(truncated, false);
    assert.equal(
      text,
      [
        '{',
        '  m: Map(2) {',
        '    "k" => 1,',
        '    2 => {',
        '      deep: true,',
        '    },',
        '  },',
        '  s: Set(2) {',
        '    "a",',
        '    "b",',
        '  },',
        '  f: Float64Array(2) [1.5, 2],',
        '  d: Date(2026-01-27T22:59:40.313Z),',
        '  r: RegExp(/ab+c/gi),',
        '  b: 12345678901234567890n,',
        '  u: undefined,',
        '  n: NaN,',
        '  z: -0,',
        '  e: Error: bad',
        '  at f (x.ts:1:2),',
        '  buf: ArrayBuffer(2 bytes) <01 ff>,',
        '}',
      ].join('\n'),
    );
  });

  it('marks cycles and shared references', () => {
    const shared = { x: 1 };
    const a: Record<string, unknown> = { one: shared, two: shared };
    a.self = a;
    const { text } = renderValue(a);
    assert.match(text, /two: \[Shared \*2\]/);
    assert.match(text, /self: \[Circular \*1\]/);
  });

  it('caps items, strings and the whole output with a clear note, without walking the rest', () => {
    const big = new Float64Array(10_000_000);
    const t0 = Date.now();
    const r = renderValue(
      { big, list: Array.from({ length: 50_000 }, (_, i) => i), s: 'x'.repeat(50_000) },
      { maxItems: 3, maxString: 10 },
    );
    assert.ok(Date.now() - t0 < 1000, 'rendering a huge value stays quick');
    assert.match(r.text, /big: Float64Array\(10000000\) \[0, 0, 0, … 9999997 more\]/);
    assert.match(r.text, /… 49997 more/);
    assert.match(r.text, /s: "xxxxxxxxxx" … \(49990 more characters\)/);
    const cut = renderValue(
      Array.from({ length: 100_000 }, (_, i) => ({ i })),
      { maxChars: 1000 },
    );
    assert.equal(cut.truncated, true);
    assert.equal(cut.text.length, 1000);
  });
});
