/**
 * The disk refusing journal writes (full, read-only, forbidden), simulated with an injected file
 * system: a test running as root cannot make a real directory read-only, and no small tmpfs is
 * available. The writer never throws into the tick: it reports once, keeps input in memory,
 * retries with backoff, and writes everything once the disk takes it again.
 */
import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalReader } from '../../../src/persistence/journal/journal-reader.js';
import { JournalWriter } from '../../../src/persistence/journal/journal-writer.js';
import type { JournalWriterOptions } from '../../../src/persistence/journal/journal-writer-options.js';
import { FaultyFs, frameStream, healthLog, ManualTimers, tempDirs } from './helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());
const SENSORS = ['a', 'b', 'c', 'd'];

interface Rig {
  dir: string;
  fs: FaultyFs;
  timers: ManualTimers;
  health: ReturnType<typeof healthLog>;
  writer: JournalWriter;
  append: (from: number, to: number) => void;
  ticks: () => number[];
}

async function rig(extra: Partial<JournalWriterOptions> = {}, failFirst?: (fs: FaultyFs) => void): Promise<Rig> {
  const dir = `${dirs.make()}/journal`;
  const fs = new FaultyFs();
  failFirst?.(fs);
  const timers = new ManualTimers();
  const health = healthLog();
  const writer = await JournalWriter.open({ dir, configHash: 'h', periodUs: 100_000, sensors: SENSORS, onHealth: health.listener, env: { fs, timers }, ...extra });
  const next = frameStream(SENSORS.length, 3);
  return {
    dir,
    fs,
    timers,
    health,
    writer,
    append: (from, to) => {
      for (let k = from; k < to; k++) writer.append(k, next(k));
    },
    ticks: () => {
      const out: number[] = [];
      for (const r of new JournalReader(dir).records()) out.push(r.tick);
      return out;
    },
  };
}

/** Fires the commit timer and lets that commit run to completion. */
async function tick(r: Rig): Promise<void> {
  r.timers.fire();
  await r.writer.settled();
}

describe('journal: group commit', () => {
  it('appends touch no file; the timer commits once per interval with one fdatasync', async () => {
    const r = await rig({ fsyncIntervalMs: 1000 });
    r.append(0, 50);
    expect(r.fs.calls.get('write') ?? 0).toBe(0);
    expect([...r.timers.pending.values()].map((t) => t.ms)).toEqual([1000]);
    await tick(r);
    expect(r.fs.calls.get('datasync')).toBe(1);
    expect(r.writer.stats.lastDurableTick).toBe(49);
    r.append(50, 60);
    await tick(r);
    expect(r.fs.calls.get('datasync')).toBe(2);
    expect(r.ticks().at(-1)).toBe(59);
    await r.writer.close();
  });

  it('commits early when a lot is pending', async () => {
    const r = await rig({ commitBytes: 200 });
    r.append(0, 100);
    expect([...r.timers.pending.values()].map((t) => t.ms)).toEqual([0]);
    await r.writer.close();
  });
});

describe('journal: the disk refuses writes', () => {
  it('ENOSPC (a full disk that took part of the write): one health event, input kept, all written after', async () => {
    const r = await rig();
    r.append(0, 100);
    await tick(r);
    r.fs.failWith('ENOSPC', ['write'], 10);
    r.append(100, 200);
    await tick(r);
    r.append(200, 300);
    await tick(r);
    await tick(r);
    expect(r.health.events).toHaveLength(1);
    expect(r.health.events[0]).toMatchObject({ component: 'journal', status: 'degraded', code: 'SPATIA_JOURNAL_WRITE', errno: 'ENOSPC' });
    expect(r.health.events[0]?.message).toMatch(/disk is full.*keeping input in memory \(up to 16 MiB\) and retrying/);
    expect(r.writer.pendingBytes).toBeGreaterThan(0);
    // Backoff: the retries wait longer and longer.
    expect([...r.timers.pending.values()].map((t) => t.ms)).toEqual([4000]);

    r.fs.heal();
    await tick(r);
    expect(r.health.events.map((e) => e.status)).toEqual(['degraded', 'ok']);
    expect(r.writer.pendingBytes).toBe(0);
    const got = r.ticks();
    expect(got.at(-1)).toBe(299);
    expect(new JournalReader(r.dir).outcome.damage).toBeUndefined();
    expect([...r.timers.pending.values()].map((t) => t.ms)).toEqual([1000]);
    await r.writer.close();
  });

  it('EROFS from the start (a read-only state dir): opens anyway, keeps input, writes once writable', async () => {
    const r = await rig({}, (fs) => fs.failWith('EROFS', ['mkdir', 'readdir', 'open']));
    expect(r.health.events).toHaveLength(1);
    expect(r.health.events[0]).toMatchObject({ status: 'degraded', errno: undefined });
    expect(r.health.events[0]?.message).toMatch(/cannot open journal directory .*read-only/);
    r.append(0, 100);
    await tick(r);
    expect(r.health.events).toHaveLength(1);
    r.fs.heal();
    await tick(r);
    expect(r.health.events.map((e) => e.status)).toEqual(['degraded', 'ok']);
    expect(r.ticks()).toHaveLength(new Set(r.ticks()).size);
    expect(r.ticks().at(-1)).toBe(99);
    await r.writer.close();
  });

  it('EACCES on the segment file: reported with the fix, retried', async () => {
    const r = await rig({}, (fs) => fs.failWith('EACCES', ['open']));
    r.append(0, 10);
    await tick(r);
    expect(r.health.events).toHaveLength(1);
    expect(r.health.events[0]).toMatchObject({ errno: 'EACCES' });
    expect(r.health.events[0]?.message).toMatch(/check the owner of state_dir/);
    r.fs.heal();
    await r.writer.close();
    expect(r.ticks().at(-1)).toBe(9);
  });

  it('past the memory bound, pending input is dropped (reported), and the gap is marked in the journal', async () => {
    const r = await rig({ maxPendingBytes: 2000 });
    r.append(0, 20);
    await tick(r);
    const durable = r.writer.stats.lastDurableTick;
    r.fs.failWith('ENOSPC', ['write', 'datasync'], 5);
    r.append(20, 400);
    expect(r.health.events.map((e) => e.code)).toContain('SPATIA_JOURNAL_LOST');
    const lost = r.health.events.find((e) => e.status === 'lost');
    expect(lost?.message).toMatch(/dropped \d+ bytes of input up to tick \d+.*replay will have a gap/);
    expect(r.writer.stats.bytesDropped).toBeGreaterThan(0);
    await tick(r);
    r.fs.heal();
    r.append(400, 420);
    await r.writer.close();
    const reader = new JournalReader(r.dir);
    const ticks: number[] = [];
    for (const rec of reader.records()) ticks.push(rec.tick);
    expect(reader.outcome.damage).toBeUndefined();
    expect(reader.outcome.gaps).toHaveLength(1);
    // What was durable before the failure, then nothing until the segment that marks the gap.
    const gapEnd = reader.outcome.gaps[0]?.beforeTick ?? NaN;
    expect(durable).toBe(19);
    expect(gapEnd).toBeGreaterThan(durable + 1);
    expect(ticks.every((t) => t <= durable || t >= gapEnd)).toBe(true);
    expect(ticks).toContain(19);
    expect(ticks).toContain(gapEnd);
    expect(ticks.at(-1)).toBe(419);
    expect(readdirSync(r.dir).length).toBeGreaterThanOrEqual(2);
  });

  it('failing to delete old segments is reported, not thrown', async () => {
    const r = await rig({ maxSegmentBytes: 300, retention: { durationUs: 0 } });
    for (let k = 0; k < 200; k += 20) {
      r.append(k, k + 20);
      await tick(r);
    }
    const before = readdirSync(r.dir).length;
    expect(before).toBeGreaterThan(3);
    r.fs.failWith('EROFS', ['unlink']);
    expect(await r.writer.deleteCoveredBy(150)).toEqual([]);
    expect(r.health.events.at(-1)?.message).toMatch(/cannot delete old segments/);
    r.fs.heal();
    const deleted = await r.writer.deleteCoveredBy(150);
    expect(deleted.length).toBeGreaterThan(0);
    expect(readdirSync(r.dir).length).toBe(before - deleted.length);
    await r.writer.close();
  });
});
