import { readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from '../../../src/persistence/checkpoint/checkpoint-store.js';
import type { CheckpointState } from '../../../src/persistence/checkpoint/checkpoint-serializer.js';
import { FaultyFs, healthLog, tempDirs } from './helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function state(tick: number, extra: Record<string, unknown> = {}): CheckpointState {
  return {
    tick,
    configHash: 'cfg',
    formatVersion: 3,
    periodUs: 100_000,
    parts: {
      engine: { num: [1, null, 2.5], nodes: Array.from({ length: 50 }, (_, i) => ({ ops: [{ lastTick: tick, runs: [[i, i / 7]] }] })), label: 'ü' },
      sampler: { next: Float64Array.of(0, 1e6) },
      ...extra,
    },
  };
}

/** The parts as they come back: typed arrays as typed arrays (stored as raw bytes). */
const asRead = (s: CheckpointState): unknown => s.parts;
const names = (dir: string): string[] => readdirSync(dir).sort();
const file = (dir: string, tick: number): string => join(dir, `checkpoint-${String(tick).padStart(20, '0')}.json`);

describe('checkpoint store', () => {
  it('writes atomically and reads back the newest, parts intact (typed arrays as their bytes)', async () => {
    const dir = dirs.make();
    const store = new CheckpointStore(dir, { env: { wallMs: () => 1_700_000_000_000 } });
    const r = await store.write(state(300));
    expect(r).toMatchObject({ status: 'written', tick: 300, keptTicks: [300] });
    expect(names(dir)).toEqual(['checkpoint-00000000000000000300.json']);
    const { checkpoint, rejected } = await store.readLatestValid({ formatVersion: 3 });
    expect(rejected).toEqual([]);
    expect(checkpoint).toMatchObject({ tick: 300, configHash: 'cfg', formatVersion: 3, periodUs: 100_000 });
    expect(checkpoint?.parts).toEqual(asRead(state(300)));
    expect(checkpoint?.parts['sampler']).toEqual({ next: Float64Array.of(0, 1e6) });
    // Header, body (a placeholder where the typed array was), the blob's 16 bytes, trailer.
    const lines = readFileSync(file(dir, 300), 'latin1').split('\n');
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ spatia: 'spatia-checkpoint', format: 2, tick: 300, writtenAtMs: 1_700_000_000_000, parts: ['engine', 'sampler'] });
    expect(lines[1]).toContain('"sampler":{"next":{"$blob":0,"$spatia":1}}');
    expect(lines[2]).toHaveLength(16);
    expect(JSON.parse(lines[3] as string)).toMatchObject({ blobs: [['Float64Array', 16]] });
  });

  it('keeps typed arrays exact (NaN, -0, every byte value) and never mistakes a reading for a placeholder', async () => {
    const dir = dirs.make();
    const store = new CheckpointStore(dir);
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const values = Float64Array.of(NaN, -0, 1 / 3, 1e-310, Infinity);
    // A sensor's JSON reading that looks like a placeholder stays what it is.
    const reading = { $blob: 0, $spatia: 1, also: true };
    await store.write({ tick: 1, configHash: 'c', formatVersion: 1, parts: { a: { bytes, values, reading, ints: Int32Array.of(-1, 2 ** 31 - 1) } } });
    const { checkpoint } = await store.readLatestValid();
    const a = checkpoint?.parts['a'] as { bytes: Uint8Array; values: Float64Array; reading: unknown; ints: Int32Array };
    expect(a.bytes).toEqual(bytes);
    expect(Object.is(a.values[0], NaN) && Object.is(a.values[1], -0)).toBe(true);
    expect(Array.from(a.values.subarray(2))).toEqual([1 / 3, 1e-310, Infinity]);
    expect(a.reading).toEqual(reading);
    expect(a.ints).toEqual(Int32Array.of(-1, 2 ** 31 - 1));
  });

  it('still reads format 1 (typed arrays as JSON arrays, no blobs)', async () => {
    const dir = dirs.make();
    const header = { spatia: 'spatia-checkpoint', format: 1, tick: 7, periodUs: 100_000, configHash: 'c', stateFormat: 1, writtenAtMs: 1, parts: ['x'] };
    const front = JSON.stringify(header) + '\n' + JSON.stringify({ x: { v: [1, null] } }) + '\n';
    const { crc32 } = await import('../../../src/persistence/crc32.js');
    const trailer = { bytes: Buffer.byteLength(front), crc32: crc32(Buffer.from(front)), partBytes: { x: 14 } };
    writeFileSync(file(dir, 7), front + JSON.stringify(trailer) + '\n');
    const { checkpoint, rejected } = await new CheckpointStore(dir).readLatestValid();
    expect(rejected).toEqual([]);
    expect(checkpoint?.parts).toEqual({ x: { v: [1, null] } });
  });

  it('keeps the two newest and reports which ticks it kept (for the journal)', async () => {
    const dir = dirs.make();
    const store = new CheckpointStore(dir);
    for (const t of [100, 200, 300, 400]) await store.write(state(t));
    expect(names(dir)).toEqual(['checkpoint-00000000000000000300.json', 'checkpoint-00000000000000000400.json']);
    const r = await store.write(state(500));
    expect(r.status === 'written' && r.keptTicks).toEqual([400, 500]);
    // A new process keeps the previous run's checkpoint as the previous one.
    const again = new CheckpointStore(dir);
    const r2 = await again.write(state(600));
    expect(r2.status === 'written' && r2.keptTicks).toEqual([500, 600]);
  });

  it('coalesces: a state waiting behind a write in progress is replaced by a newer one', async () => {
    const dir = dirs.make();
    const store = new CheckpointStore(dir);
    const [a, b, c] = [store.write(state(1)), store.write(state(2)), store.write(state(3))];
    expect((await a).status).toBe('written');
    expect(await b).toEqual({ status: 'superseded', tick: 2 });
    expect((await c).status).toBe('written');
    await store.idle();
    expect(names(dir)).toEqual(['checkpoint-00000000000000000001.json', 'checkpoint-00000000000000000003.json']);
  });

  it('serializes in slices, giving the event loop turns in between', async () => {
    const dir = dirs.make();
    let clock = 0;
    let turns = 0;
    // Every clock read costs 1 ms of "CPU": a 4 ms slice ends after a few pieces.
    const store = new CheckpointStore(dir, { sliceMs: 4, env: { monoMs: () => clock++, yieldToLoop: async () => void turns++ } });
    // Large enough for many pieces: nodes are stringified a few hundred per native call.
    const big = { ...state(9), parts: { engine: { nodes: Array.from({ length: 20_000 }, (_, i) => ({ ops: [{ lastTick: 9, runs: [[i, i / 7]] }] })) } } };
    const r = await store.write(big);
    expect(r.status).toBe('written');
    expect(turns).toBeGreaterThan(5);
    expect(r.status === 'written' && r.maxSliceMs).toBeLessThanOrEqual(5);
  });

  describe('damage: the newest is rejected with the reason and the previous one used', () => {
    async function twoCheckpoints(): Promise<{ dir: string; store: CheckpointStore }> {
      const dir = dirs.make();
      const store = new CheckpointStore(dir);
      await store.write(state(100));
      await store.write(state(200));
      return { dir, store: new CheckpointStore(dir) };
    }

    it.each([
      ['corrupt (a flipped bit)', 'corrupt', /checksum mismatch/, (f: string) => {
        const d = readFileSync(f);
        d[Math.floor(d.length / 2)] = (d[Math.floor(d.length / 2)] as number) ^ 0x04;
        writeFileSync(f, d);
      }],
      ['empty', 'empty', /the file is empty/, (f: string) => writeFileSync(f, '')],
      ['truncated', 'truncated', /ends without its trailer.*did not finish/, (f: string) => truncateSync(f, 500)],
      ['cut inside the header', 'truncated', /no complete header line/, (f: string) => truncateSync(f, 20)],
      ['of another file format', 'format', /file format 9, this build reads format 2/, (f: string) => {
        writeFileSync(f, readFileSync(f, 'latin1').replace('"format":2', '"format":9'), 'latin1');
      }],
    ] as const)('%s', async (_name, reason, message, damage) => {
      const { dir, store } = await twoCheckpoints();
      damage(file(dir, 200));
      const { checkpoint, rejected } = await store.readLatestValid();
      expect(checkpoint?.tick).toBe(100);
      expect(checkpoint?.parts).toEqual(asRead(state(100)));
      expect(rejected).toHaveLength(1);
      expect(rejected[0]).toMatchObject({ file: file(dir, 200), tick: 200, reason });
      expect(rejected[0]?.message).toMatch(message);
      // The next write keeps the good previous one; the rejected file ages out later.
      const w = await store.write(state(210));
      expect(w.status === 'written' && w.keptTicks).toEqual([100, 210]);
      expect(names(dir)).toHaveLength(3);
    });

    it('a state format the runtime cannot restore is rejected too', async () => {
      const { store } = await twoCheckpoints();
      const { checkpoint, rejected } = await store.readLatestValid({ formatVersion: 4 });
      expect(checkpoint).toBeUndefined();
      expect(rejected.map((r) => r.reason)).toEqual(['state-format', 'state-format']);
      expect(rejected[0]?.message).toMatch(/state format version 3, this build restores version 4/);
    });

    it('no checkpoint at all (missing directory) is a cold start', async () => {
      const store = new CheckpointStore(join(dirs.make(), 'nothing-here'));
      expect(await store.readLatestValid()).toEqual({ checkpoint: undefined, rejected: [] });
    });
  });

  it('a full disk or read-only dir: the write fails cleanly, once reported, old checkpoints intact', async () => {
    const dir = dirs.make();
    const fs = new FaultyFs();
    const health = healthLog();
    const store = new CheckpointStore(dir, { onHealth: health.listener, env: { fs } });
    await store.write(state(100));
    fs.failWith('ENOSPC', ['write'], 100);
    const r = await store.write(state(200));
    expect(r).toMatchObject({ status: 'failed', tick: 200, errno: 'ENOSPC' });
    fs.failWith('EROFS', ['open']);
    expect((await store.write(state(300))).status).toBe('failed');
    expect(health.events).toHaveLength(1);
    expect(health.events[0]).toMatchObject({ component: 'checkpoint', status: 'degraded', code: 'SPATIA_CHECKPOINT_WRITE', errno: 'ENOSPC' });
    expect(health.events[0]?.message).toMatch(/tick 200 not written.*\(the disk is full\); the previous checkpoint stays in use/);
    expect(names(dir)).toEqual(['checkpoint-00000000000000000100.json']);
    fs.heal();
    expect((await store.write(state(400))).status).toBe('written');
    expect(health.events.map((e) => e.status)).toEqual(['degraded', 'ok']);
    expect((await store.readLatestValid()).checkpoint?.tick).toBe(400);
  });

  it('a crash mid-write leaves only a temporary file, which is ignored and cleaned up', async () => {
    const dir = dirs.make();
    const store = new CheckpointStore(dir);
    await store.write(state(100));
    writeFileSync(join(dir, 'checkpoint-00000000000000000200.json.tmp'), '{"spatia":"spatia-checkpoint"');
    expect((await store.readLatestValid()).checkpoint?.tick).toBe(100);
    await store.write(state(300));
    expect(names(dir)).toEqual(['checkpoint-00000000000000000100.json', 'checkpoint-00000000000000000300.json']);
  });

  it('inspect summarizes every file and the newest valid one', async () => {
    const dir = dirs.make();
    const store = new CheckpointStore(dir, { env: { wallMs: () => Date.UTC(2025, 0, 2, 3, 4, 5) } });
    await store.write(state(100));
    await store.write(state(250));
    truncateSync(file(dir, 250), 0);
    const report = await store.inspect();
    expect(report.files.map((f) => [f.tick, f.status, f.reason])).toEqual([[250, 'rejected', 'empty'], [100, 'valid', undefined]]);
    expect(report.latest).toMatchObject({ tick: 100, tS: 10, writtenAt: '2025-01-02T03:04:05.000Z', configHash: 'cfg', formatVersion: 3, fileFormat: 2 });
    const engine = report.latest?.parts.find((p) => p.name === 'engine');
    expect(engine?.counts).toEqual({ num: 3, nodes: 50 });
    expect(engine?.bytes).toBe(Buffer.byteLength(JSON.stringify(state(100).parts['engine'])));
  });
});
