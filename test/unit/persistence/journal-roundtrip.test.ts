import { readdirSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Frame, ReadStatus } from '../../../src/core/frame.js';
import { JournalReader } from '../../../src/persistence/journal/journal-reader.js';
import { JournalWriter } from '../../../src/persistence/journal/journal-writer.js';
import type { JournalWriterOptions } from '../../../src/persistence/journal/journal-writer-options.js';
import { replayFrames, sensorIndexMap, sensorMapper } from '../../../src/persistence/journal/replay-frames.js';
import { encodeSegmentStart } from '../../../src/persistence/journal/segment-format.js';
import { frameContent, frameStream, ManualTimers, tempDirs } from './helpers.js';

const dirs = tempDirs();

/** Maps each item as it is yielded: readers reuse the yielded object. */
function collect<T, U>(items: Iterable<T>, fn: (t: T) => U): U[] {
  const out: U[] = [];
  for (const t of items) out.push(fn(t));
  return out;
}
afterEach(() => dirs.cleanup());

const WALL_MS = 1_700_000_000_000;
const SENSORS = Array.from({ length: 12 }, (_, i) => `s${i}`);

function options(dir: string, extra: Partial<JournalWriterOptions> = {}): JournalWriterOptions {
  return { dir, configHash: 'abc', periodUs: 100_000, sensors: SENSORS, env: { timers: new ManualTimers(), wallMs: () => WALL_MS }, ...extra };
}

/** Writes `ticks` frames of the stream, returning the expected content per tick. */
async function writeStream(dir: string, ticks: number, extra: Partial<JournalWriterOptions> = {}, from = 0): Promise<{ expected: unknown[][]; writer: JournalWriter }> {
  const writer = await JournalWriter.open(options(dir, extra));
  const next = frameStream(SENSORS.length, 42);
  const expected: unknown[][] = [];
  for (let k = 0; k < from + ticks; k++) {
    const f = next(k);
    if (k < from) continue;
    writer.append(k, f);
    expected.push(frameContent(f));
    if (k % 50 === 0) await writer.flush();
  }
  await writer.close();
  return { expected, writer };
}

function readBack(dir: string, fromTick = 0): { got: unknown[][]; reader: JournalReader } {
  const reader = new JournalReader(dir);
  const got: unknown[][] = [];
  for (const { frame } of replayFrames(reader.records(fromTick), { size: SENSORS.length, fromTick })) got.push(frameContent(frame));
  return { got, reader };
}

describe('journal round trip', () => {
  it('replays every tick exactly: values, same-value entries, failures, empty ticks', async () => {
    const dir = dirs.make();
    const { expected } = await writeStream(dir, 1000);
    const { got, reader } = readBack(dir);
    expect(reader.outcome.damage).toBeUndefined();
    expect(reader.outcome.lastTick).toBe(999);
    expect(got).toEqual(expected);
  });

  it('rotates segments by size and by age, and reads across them from any tick', async () => {
    const bySize = dirs.make();
    const { expected } = await writeStream(bySize, 1000, { maxSegmentBytes: 4096 });
    expect(readdirSync(bySize).length).toBeGreaterThan(5);
    expect(readBack(bySize).got).toEqual(expected);
    const from777 = readBack(bySize, 777);
    expect(from777.got).toEqual(expected.slice(777));
    expect(from777.reader.outcome.coversFrom).toBeLessThanOrEqual(777);

    const byAge = dirs.make();
    await writeStream(byAge, 1000, { maxSegmentUs: 30e6 });
    expect(readdirSync(byAge).sort()).toEqual(['00000000000000000000.seg', '00000000000000000300.seg', '00000000000000000600.seg', '00000000000000000900.seg']);
    expect(readBack(byAge, 450).got).toEqual(expected.slice(450));
  });

  it('skips ticks where nothing was read, but always writes the newest tick at a commit', async () => {
    const dir = dirs.make();
    const writer = await JournalWriter.open(options(dir));
    const empty = new Frame(SENSORS.length);
    const one = new Frame(SENSORS.length);
    one.status[2] = ReadStatus.Ok;
    one.num[2] = 21.5;
    writer.append(0, one);
    for (let k = 1; k < 100; k++) writer.append(k, empty);
    writer.append(100, one);
    for (let k = 101; k < 150; k++) writer.append(k, empty);
    await writer.close();
    const ticks = collect(new JournalReader(dir).records(), (r) => [r.tick, r.count]);
    expect(ticks).toEqual([[0, 1], [100, 1], [149, 0]]);
    const frames = collect(replayFrames(new JournalReader(dir).records(), { size: SENSORS.length }), (t) => [t.tick, t.frame.status[2]]);
    expect(frames).toHaveLength(150);
    expect(frames[50]).toEqual([50, ReadStatus.None]);
    expect(frames[100]).toEqual([100, ReadStatus.Ok]);
    // Frames of 8 bytes; tick 0: tick, count, index, code, float32 (16 bytes); tick 100: the same
    // value again, index and code only (12); the commit's marker of tick 149 (11).
    const header = encodeSegmentStart({ format: 1, firstTick: 0, periodUs: 100_000, configHash: 'abc', createdAtMs: WALL_MS, sensors: SENSORS, lostBefore: false });
    expect(statSync(`${dir}/00000000000000000000.seg`).size - header.length).toBe(16 + 12 + 11);
  });

  it('continues after a restart in a new segment; refuses ticks that do not move forward', async () => {
    const dir = dirs.make();
    const first = await writeStream(dir, 300);
    expect(first.writer.lastAppendedTick).toBe(299);
    const writer = await JournalWriter.open(options(dir));
    expect(writer.recovery.lastTick).toBe(299);
    expect(() => writer.append(299, new Frame(SENSORS.length))).toThrow(RangeError);
    await writer.close();
    const second = await writeStream(dir, 200, {}, 300);
    expect(readdirSync(dir)).toHaveLength(2);
    expect(readBack(dir).got).toEqual([...first.expected, ...second.expected]);
  });

  it('maps recorded sensors to a changed configuration by id', async () => {
    const dir = dirs.make();
    const { expected } = await writeStream(dir, 100);
    const reader = new JournalReader(dir);
    const now = ['new', 's3', 's0'];
    const got: unknown[][] = [];
    for (const { frame } of replayFrames(reader.records(), { size: 3, mapFor: sensorMapper(reader, now) })) {
      got.push(frameContent(frame));
    }
    expect(got).toEqual(expected.map((row) => [null, row[3], row[0]]));
    expect(Array.from(sensorIndexMap(['a', 'b', 'c'], ['c', 'a']))).toEqual([1, -1, 0]);
  });

  it('replayFrames yields empty frames up to toTick past the last record', () => {
    const dir = dirs.make();
    const ticks = collect(replayFrames(new JournalReader(dir).records(), { size: 2, fromTick: 5, toTick: 8 }), (t) => t.tick);
    expect(ticks).toEqual([5, 6, 7, 8]);
  });
});
