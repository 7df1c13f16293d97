/**
 * Damage to journal segments: each case with its exact recovery behaviour. The rule: records
 * after a bad frame cannot be trusted to be in order, so reading stops at the last good record and
 * reports the file, the offset and the bytes dropped; the writer, on start, cuts the last segment
 * there before appending.
 */
import { readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalReader } from '../../../src/persistence/journal/journal-reader.js';
import { JournalWriter } from '../../../src/persistence/journal/journal-writer.js';
import { FRAME_BYTES, SegmentCursor } from '../../../src/persistence/journal/segment-format.js';
import { frameStream, ManualTimers, tempDirs } from './helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());
const SENSORS = ['a', 'b', 'c', 'd', 'e', 'f'];

async function journal(ticks: number, segments = 1): Promise<{ dir: string; files: string[] }> {
  const dir = dirs.make();
  const next = frameStream(SENSORS.length, 7);
  const per = Math.ceil(ticks / segments);
  for (let s = 0; s < segments; s++) {
    const w = await JournalWriter.open({ dir, configHash: 'h', periodUs: 100_000, sensors: SENSORS, env: { timers: new ManualTimers() } });
    for (let k = s * per; k < Math.min(ticks, (s + 1) * per); k++) w.append(k, next(k));
    await w.close();
  }
  return { dir, files: readdirSync(dir).sort().map((n) => join(dir, n)) };
}

/** Offsets where each record's frame starts, in a segment file. */
function recordOffsets(file: string): number[] {
  const data = readFileSync(file);
  const cur = new SegmentCursor(data);
  const out: number[] = [];
  while (cur.next()) out.push(cur.payloadStart - FRAME_BYTES);
  return out;
}

function readAll(dir: string): { ticks: number[]; reader: JournalReader } {
  const reader = new JournalReader(dir);
  const ticks: number[] = [];
  for (const r of reader.records()) ticks.push(r.tick);
  return { ticks, reader };
}

describe('journal damage', () => {
  it('a torn final record: reading stops before it; the writer cuts it on start and appends after', async () => {
    const { dir, files } = await journal(100);
    const file = files[0] as string;
    const offsets = recordOffsets(file);
    const size = statSync(file).size;
    const lastStart = offsets[offsets.length - 1] as number;
    const before = readAll(dir).ticks;
    const lastTick = before.at(-1) as number;
    truncateSync(file, size - 3);

    const { ticks, reader } = readAll(dir);
    expect(ticks).toEqual(before.slice(0, -1));
    expect(reader.outcome.damage).toMatchObject({ file, offset: lastStart, problem: 'torn', droppedBytes: size - 3 - lastStart, unreadSegments: [] });
    expect(reader.outcome.damage?.message).toMatch(/torn write.*reading stopped at the last good record/);

    const w = await JournalWriter.open({ dir, configHash: 'h', periodUs: 100_000, sensors: SENSORS, env: { timers: new ManualTimers() } });
    expect(w.recovery.cuts).toEqual([expect.objectContaining({ file, offset: lastStart, droppedBytes: size - 3 - lastStart, problem: 'torn', removed: false })]);
    expect(statSync(file).size).toBe(lastStart);
    expect(w.recovery.lastTick).toBe(ticks.at(-1));
    w.append(lastTick, frameStream(SENSORS.length, 1)(0));
    await w.close();
    const after = readAll(dir);
    expect(after.reader.outcome.damage).toBeUndefined();
    expect(after.ticks).toEqual([...ticks, lastTick]);
  });

  it('a segment truncated in the middle: everything before the cut is read, the rest reported', async () => {
    const { dir, files } = await journal(300, 3);
    const middle = files[1] as string;
    const offsets = recordOffsets(middle);
    const cutAt = (offsets[20] as number) + 5;
    const before = readAll(dir).ticks;
    truncateSync(middle, cutAt);
    const { ticks, reader } = readAll(dir);
    // All of the first segment, the first 20 records of the second, nothing of the third.
    expect(ticks).toEqual(before.slice(0, recordOffsets(files[0] as string).length + 20));
    expect(reader.outcome.damage).toMatchObject({ file: middle, offset: offsets[20], problem: 'torn', droppedBytes: 5, unreadSegments: [files[2]] });
  });

  it('a bit flipped in a middle record: stop at the record before it, report the bytes dropped', async () => {
    const { dir, files } = await journal(200);
    const file = files[0] as string;
    const offsets = recordOffsets(file);
    const bad = offsets[50] as number;
    const data = readFileSync(file);
    data[bad + FRAME_BYTES + 2] = (data[bad + FRAME_BYTES + 2] as number) ^ 0x10;
    writeFileSync(file, data);
    const { ticks, reader } = readAll(dir);
    expect(ticks).toHaveLength(50);
    expect(reader.outcome.damage).toMatchObject({ file, offset: bad, problem: 'checksum', droppedBytes: data.length - bad });
    expect(reader.outcome.damage?.message).toContain(`checksum mismatch: corrupt data at byte ${bad}`);
    // The writer cuts there too: the 150 records after it are not trusted.
    const w = await JournalWriter.open({ dir, configHash: 'h', periodUs: 100_000, sensors: SENSORS, env: { timers: new ManualTimers() } });
    expect(w.recovery.cuts).toEqual([expect.objectContaining({ offset: bad, problem: 'checksum' })]);
    await w.close();
    expect(readAll(dir).ticks).toEqual(ticks);
  });

  it('a corrupt length field is caught before it is trusted', async () => {
    const { dir, files } = await journal(50);
    const file = files[0] as string;
    const at = recordOffsets(file)[10] as number;
    const data = readFileSync(file);
    data.writeUInt32LE(0, at);
    writeFileSync(file, data);
    expect(readAll(dir).reader.outcome.damage).toMatchObject({ offset: at, problem: 'length' });
    data.writeUInt32LE(0xfffffff0, at);
    writeFileSync(file, data);
    expect(readAll(dir).reader.outcome.damage).toMatchObject({ offset: at, problem: 'length' });
  });

  it('a segment cut inside its header (crash right after creating it) is removed on start', async () => {
    const { dir, files } = await journal(100, 2);
    truncateSync(files[1] as string, 12);
    expect(readAll(dir).reader.outcome.damage).toMatchObject({ file: files[1], offset: 0, problem: 'torn' });
    const w = await JournalWriter.open({ dir, configHash: 'h', periodUs: 100_000, sensors: SENSORS, env: { timers: new ManualTimers() } });
    expect(w.recovery.cuts).toEqual([expect.objectContaining({ file: files[1], removed: true, droppedBytes: 12 })]);
    expect(w.recovery.lastTick).toBe(49);
    await w.close();
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('a new segment whose first record was torn is removed, and the journal continues after the previous one', async () => {
    const { dir, files } = await journal(100, 2);
    const second = files[1] as string;
    const firstRecord = recordOffsets(second)[0] as number;
    truncateSync(second, firstRecord + 4);
    const w = await JournalWriter.open({ dir, configHash: 'h', periodUs: 100_000, sensors: SENSORS, env: { timers: new ManualTimers() } });
    expect(w.recovery.cuts).toEqual([expect.objectContaining({ file: second, removed: true, offset: 0, problem: 'torn' })]);
    expect(w.recovery.lastTick).toBe(49);
    w.append(50, frameStream(SENSORS.length, 7)(0));
    await w.close();
    const { ticks, reader } = readAll(dir);
    expect(reader.outcome.damage).toBeUndefined();
    expect(ticks.at(-1)).toBe(50);
  });

  it('an empty or foreign file under a segment name is reported, not read', async () => {
    const { dir, files } = await journal(10);
    writeFileSync(files[0] as string, 'hello, this is not a journal');
    expect(readAll(dir).reader.outcome.damage).toMatchObject({ problem: 'magic', offset: 0 });
    writeFileSync(files[0] as string, '');
    expect(readAll(dir).reader.outcome.damage).toMatchObject({ problem: 'torn', offset: 0 });
  });
});
