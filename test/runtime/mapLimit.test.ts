/** mapLimit (runtime/src/util/mapLimit.ts): the bounded parallel map a resume copies tasks with. */
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapLimit } from '../../runtime/src/util/mapLimit';

describe('mapLimit', () => {
  it('keeps input order, never has more than the limit in flight, and uses the limit', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimit([30, 5, 20, 1, 15, 10, 2], 3, async (ms, i) => {
      most = Math.max(most, ++inFlight);
      await sleep(ms);
      inFlight--;
      return `${i}:${ms}`;
    });
    assert.deepEqual(out, ['0:30', '1:5', '2:20', '3:1', '4:15', '5:10', '6:2']);
    assert.equal(most, 3);
  });

  it('rejects with the first error', async () => {
    await assert.rejects(
      mapLimit([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('two');
        return n;
      }),
      /two/,
    );
  });

  it('an empty list gives an empty result', async () => {
    assert.deepEqual(await mapLimit([], 4, async () => 1), []);
  });
});
