/**
 * Blob integrity (issue 11): every read of an artifact blob checks its sha256, and a writer
 * that has the right bytes replaces a damaged blob. A tampered store gives a clear error
 * naming the file, or (after a fresh write) the right value: never a silently wrong one.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { decodeVerified, encodeStored, encodeStoredChunks, hashBytes, storedHolds } from '../../runtime/src/serialize/codec';
import { Random, chaosSeed } from '../support/random';
import { Workspace, runIdOf, taskLines } from '../support/workspace';

/** The blob file that holds `value` for a flow (what a task stores for it). */
function blobFile(ws: Workspace, flow: string, value: unknown): string {
  const hash = hashBytes(serialize(value));
  return join(ws.root, flow, 'data', hash.slice(0, 2), hash);
}

/** A blob whose header is valid but whose payload is another value's. */
async function tamper(file: string, other: unknown): Promise<void> {
  writeFileSync(file, await encodeStored(serialize(other), 'raw'));
}

describe('blob integrity', function () {
  this.timeout(120_000);
  let ws: Workspace;
  let file: string;
  let firstRun: string;
  beforeEach(async () => {
    ws = new Workspace();
    file = ws.copy('flows/counter.ts');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    firstRun = runIdOf(r.stdout);
  });
  afterEach(() => ws.dispose());

  it('a tampered payload (valid header) is an error naming the file, not a wrong value', async () => {
    const zero = blobFile(ws, 'CounterFlow', 0);
    await tamper(zero, 40);
    const r = await ws.cli(['dump', `${firstRun}/start/1`]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /damaged artifact file .*CounterFlow\/data\/.*: its content does not match its hash/);
    assert.ok(r.stderr.includes(zero), r.stderr);
    // The value line shows the damage, never the tampered value (the run id may contain "40").
    assert.match(r.stdout, /^ {2}count \([^)]*\): <damaged: /m);
    assert.doesNotMatch(r.stdout, /^ {2}count \([^)]*\): 40$/m);
  });

  it('the next fresh run rewrites a tampered blob it produces, and prints the right total', async () => {
    const zero = blobFile(ws, 'CounterFlow', 0);
    await tamper(zero, 40);
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(taskLines(r.stdout, 'end'), ['The final count is 2']);
    // The blob was healed in place: the first run reads again.
    assert.ok(storedHolds(readFileSync(zero), serialize(0)));
    const dump = await ws.cli(['dump', `${firstRun}/start/1`, '--json']);
    assert.equal(dump.code, 0, dump.stderr);
    assert.equal((JSON.parse(dump.stdout) as { artifacts: { count: number } }).artifacts.count, 0);
  });

  it('a garbled blob (bad header) no longer breaks every later run: the next writer replaces it', async () => {
    const zero = blobFile(ws, 'CounterFlow', 0);
    writeFileSync(zero, 'garbage');
    const r = await ws.cli(['run', file]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(taskLines(r.stdout, 'end'), ['The final count is 2']);
    const again = await ws.cli(['resume', file, 'add']);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  it('a task that reads a tampered blob fails naming the file; resuming from the producer heals it', async () => {
    const one = blobFile(ws, 'CounterFlow', 1);
    await tamper(one, 41);
    // Resuming at `end` clones start and add, so nothing rewrites the blob of count = 1 before end reads it.
    const bad = await ws.cli(['resume', file, 'end']);
    assert.equal(bad.code, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, /damaged artifact file .*: its content does not match its hash/);
    assert.doesNotMatch(bad.stdout, /The final count is 42/);
    const healed = await ws.cli(['resume', file, 'add']);
    assert.equal(healed.code, 0, healed.stdout + healed.stderr);
    assert.deepEqual(taskLines(healed.stdout, 'end'), ['The final count is 2']);
  });

  it('seeded byte flips in every blob: each read is the right value or an error naming the file', async () => {
    const seed = chaosSeed(1111);
    const rnd = new Random(seed);
    const data = join(ws.root, 'CounterFlow', 'data');
    const blobs = readdirSync(data).flatMap((d) => readdirSync(join(data, d)).map((f) => join(data, d, f)));
    const expected: Record<string, number> = { start: 0, add: 1, end: 2 };
    let errors = 0;
    for (let i = 0; i < 6; i++) {
      const target = rnd.pick(blobs);
      const bytes = readFileSync(target);
      const original = Buffer.from(bytes);
      const at = rnd.int(0, bytes.length - 1);
      bytes[at] ^= 1 << rnd.int(0, 7);
      writeFileSync(target, bytes);
      const run = await ws.flow('CounterFlow').run(firstRun);
      for (const step of ['start', 'add', 'end']) {
        const where = `seed ${seed}, flip ${i}: byte ${at} of ${target}, step ${step}`;
        try {
          assert.equal(await (await run.step(step).task()).data('count'), expected[step], where);
        } catch (err) {
          if (err instanceof assert.AssertionError) throw err;
          errors++;
          assert.match((err as Error).message, /^damaged artifact file /, where);
        }
      }
      writeFileSync(target, original);
    }
    assert.ok(errors >= 6, `every flip damages one blob that a dump reads (${errors} errors)`);
  });
});

describe('blob codec', () => {
  it('decodeVerified returns the bytes when they match their hash, else names the file', async () => {
    const bytes = serialize({ a: [1, 2, 3] });
    const hash = hashBytes(bytes);
    assert.ok(decodeVerified(await encodeStored(bytes, 'raw'), hash, 'f').equals(bytes));
    const other = await encodeStored(serialize({ a: [1, 2, 4] }), 'raw');
    assert.throws(() => decodeVerified(other, hash, '/x/data/ab/f'), /damaged artifact file \/x\/data\/ab\/f/);
  });

  it('storedHolds compares raw and gzip blobs by content, and a damaged one holds nothing', async () => {
    const text = serialize('abc'.repeat(10_000));
    const gz = await encodeStored(text, 'raw');
    assert.equal(gz[4], 1, 'a repetitive value is compressed (it is not large)');
    assert.ok(storedHolds(gz, text));
    assert.ok(storedHolds(gz, text, [gz]), 'the same encoding holds them without decoding');
    assert.ok(storedHolds(gz, text, await encodeStoredChunks(text, 'compressed')));
    assert.ok(!storedHolds(gz, serialize('abd'.repeat(10_000))));
    assert.ok(!storedHolds(Buffer.from('SWB1\u0001garbage'), text));
  });

  it('a large blob stays raw for a local disk; for a network store it is gzipped in parts that read back as one stream, and a change in any part is caught', async () => {
    const bytes = serialize(new Float64Array(2_000_000).map((_, i) => i * 0.25)); // 16 MB
    const hash = hashBytes(bytes);
    const chunks = await encodeStoredChunks(bytes, 'raw');
    assert.equal(chunks[1], bytes, 'written as they are, not copied');
    const local = Buffer.concat(chunks);
    assert.equal(local[4], 0, 'raw, although it would compress');
    assert.ok(decodeVerified(local, hash, 'f').equals(bytes));
    assert.ok(storedHolds(local, bytes, chunks));
    const flipped = Buffer.from(local);
    flipped[flipped.length - 1] ^= 1;
    assert.ok(!storedHolds(flipped, bytes, chunks), 'one byte changed at the end of a raw blob');
    const stored = await encodeStored(bytes, 'compressed');
    assert.equal(stored[4], 1, 'compressed');
    assert.ok(stored.length < bytes.length / 2);
    // More than one gzip member (each starts 1f 8b 08).
    const members = stored.subarray(5).toString('latin1').split('\x1f\x8b\x08').length - 1;
    assert.ok(members >= 2, `${members} gzip members`);
    assert.ok(decodeVerified(stored, hash, 'f').equals(bytes));
    // Swap the last member for another value's: still a valid gzip stream, wrong content.
    const lastMember = stored.lastIndexOf(Buffer.from([0x1f, 0x8b, 0x08]));
    const other = await encodeStored(serialize(new Float64Array(2_000_000).map((_, i) => i * 0.5)), 'compressed');
    const forged = Buffer.concat([stored.subarray(0, lastMember), other.subarray(other.lastIndexOf(Buffer.from([0x1f, 0x8b, 0x08])))]);
    assert.throws(() => decodeVerified(forged, hash, '/x/f'), /damaged artifact file \/x\/f: its content does not match its hash/);
    assert.ok(!storedHolds(forged, bytes, [stored]));
  });
});
