/**
 * Persistence figures (issue "Journal, checkpoints, crash recovery and replay", Speed):
 * 1. Checkpoint of 10,000 conditions with 1-minute windows: engine.snapshot() on the tick,
 *    JSON.stringify of it, and the checkpoint write path (sliced serialization, fsync, rename).
 *    Window operators' snapshots carry the series they read, so this is the whole state.
 * 2. Journal replay: records/s read + CRC-checked + decoded + applied to a Frame, over 2,000,000
 *    records; append (encode) cost per tick.
 * 3. Bytes written per hour: the demo deployment simulated, and 100 sensors changing every tick at
 *    10 Hz (group commit every second of simulated time, checkpoints every 30 s).
 * Prints figures (`--json`: also one JSON line of them, last); asserts nothing. Writes to a
 * temporary directory on the real disk. BENCH_QUICK=1: shorter journals.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import { stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import type { DeploymentModel } from '../../src/config/model.js';
import type { EventRecord } from '../../src/core/event-record.js';
import { Frame, ReadStatus } from '../../src/core/frame.js';
import { CheckpointStore } from '../../src/persistence/checkpoint/checkpoint-store.js';
import { BlobTable, jsonChunks } from '../../src/persistence/checkpoint/json-chunks.js';
import { hashConfig } from '../../src/persistence/config-hash.js';
import { crc32Portable } from '../../src/persistence/crc32.js';
import { JournalReader } from '../../src/persistence/journal/journal-reader.js';
import { JournalWriter } from '../../src/persistence/journal/journal-writer.js';
import { replayFrames } from '../../src/persistence/journal/replay-frames.js';
import type { PersistenceTimers } from '../../src/persistence/persistence-env.js';
import { Simulation } from '../../src/runtime/simulation.js';
import { emitFigures, type Figure, figureGroup, sized } from './bench-figure.js';

const figures: Figure[] = [];
const checkpointFigure = figureGroup('checkpoint (10,000 conditions over 1 min windows, 1,000 mock sensors, after 700 ticks)', figures);
const journalFigure = figureGroup('journal', figures);
const work = mkdtempSync(join(tmpdir(), 'spatia-persist-bench-'));
const ms = (t0: number): number => performance.now() - t0;
const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(2)} MiB`;
/** Commits only when the bench says so: simulated time, not the wall clock. */
const noTimers: PersistenceTimers = { setTimeout: () => 0, clearTimeout: () => undefined };

function load(spec: unknown, file = '<bench>'): DeploymentModel {
  const { model, issues } = loadConfigText(typeof spec === 'string' ? spec : stringify(spec), file);
  if (model === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  return model;
}

/** 1,000 mock sensors (sine, random walk, square) and 10,000 conditions, each with a 1 min window or duration. */
function bigModel(): DeploymentModel {
  const sensors = Array.from({ length: 1000 }, (_, i) => ({
    id: `s${i}`,
    kind: 'mock',
    unit: 'degC',
    signal: i % 3 === 0 ? { sine: { mean: 50, amplitude: 40, period: `${20 + (i % 50)}s` } } : i % 3 === 1 ? { random_walk: { start: 50, step: 2, min: 0, max: 100 } } : { square: { low: 10, high: 90, period: `${10 + (i % 30)}s`, duty: 0.3 } },
  }));
  const kinds = [(s: string) => `avg(${s}, 1min) > 60 degC`, (s: string) => `max(${s}, 1min) > 80 degC`, (s: string) => `held(${s} > 70 degC, 1min)`, (s: string) => `within(${s} > 85 degC, 1min)`];
  const conditions = Array.from({ length: 10_000 }, (_, i) => ({ id: `c${i}`, when: (kinds[i % 4] as (s: string) => string)(`s${i % 1000}`) }));
  return load({ version: 1, runtime: { tick_rate: '10 Hz' }, sensors, conditions });
}

async function checkpointFigures(): Promise<void> {
  const sim = new Simulation(bigModel(), { seed: 1 });
  const out: EventRecord[] = [];
  for (let k = 0; k < 700; k++) {
    sim.tick(out);
    out.length = 0;
  }
  const store = new CheckpointStore(join(work, 'checkpoints'));
  const runs = sized(5, 2);
  // Each measurement takes a fresh snapshot a few ticks on, as the runtime does (a snapshot's
  // window buffers are read in place by the one checkpoint that writes it).
  const fresh = (): unknown => {
    for (let k = 0; k < 3; k++) {
      sim.tick(out);
      out.length = 0;
    }
    return sim.engine.snapshot();
  };
  const snapMs: number[] = [];
  const jsonMs: number[] = [];
  const blobMs: number[] = [];
  let jsonChars = 0;
  let blobBytes = 0;
  for (let i = 0; i < runs; i++) {
    for (let k = 0; k < 3; k++) {
      sim.tick(out);
      out.length = 0;
    }
    let t0 = performance.now();
    const snap = sim.engine.snapshot();
    snapMs.push(ms(t0));
    // What the checkpoint writer does with it, without the disk: the JSON (placeholders for the
    // window buffers) and the buffers' bytes copied into its slab.
    t0 = performance.now();
    const table = new BlobTable();
    jsonChars = 0;
    for (const piece of jsonChunks(snap, 2, undefined, table)) jsonChars += piece.length;
    jsonMs.push(ms(t0));
    t0 = performance.now();
    const slab = new Uint8Array(new ArrayBuffer(1 << 20));
    let used = 0;
    blobBytes = 0;
    for (const b of table.list) {
      if (used + b.byteLength > slab.length) used = 0;
      if (b.byteLength <= slab.length) b.copyTo(slab, used);
      used += b.byteLength;
      blobBytes += b.byteLength;
    }
    blobMs.push(ms(t0));
  }
  const median = (a: number[]): number => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] as number;
  const serializeMs = median(jsonMs.map((j, i) => j + (blobMs[i] as number)));
  const state = (parts: Record<string, unknown>) => ({ tick: sim.tickIndex - 1, configHash: hashConfig(sim.model), formatVersion: 1, periodUs: 100_000, parts });
  await store.write(state({ engine: fresh(), sampler: sim.sampler.snapshot() }));
  const w = await store.write(state({ engine: fresh(), sampler: sim.sampler.snapshot() }));
  if (w.status !== 'written') throw new Error(w.status);
  console.log(`  engine state (window buffers included): ${mb(jsonChars)} of JSON + ${mb(blobBytes)} of window buffers as raw bytes`);
  console.log(`    on the tick: engine.snapshot() ${median(snapMs).toFixed(1)} ms (median of ${runs}; window buffers copy-on-write, not copied)`);
  console.log(`    serialization, off the tick: JSON ${median(jsonMs).toFixed(1)} ms + buffers into the slab ${median(blobMs).toFixed(1)} ms = ${serializeMs.toFixed(1)} ms CPU (median of ${runs})  [the 20 ms budget]`);
  console.log(`    CheckpointStore.write: ${w.totalMs.toFixed(1)} ms in ${w.slices} slices, longest slice ${w.maxSliceMs.toFixed(1)} ms, ${mb(w.bytes)} incl. fsync + rename`);
  const t0 = performance.now();
  const back = await store.readLatestValid();
  const readMs = ms(t0);
  console.log(`    readLatestValid (read, CRC, JSON.parse): ${readMs.toFixed(1)} ms${back.checkpoint === undefined ? ' FAILED' : ''}`);
  checkpointFigure({ id: 'checkpoint.serialize', name: 'serialization, off the tick (JSON + window buffers as bytes), CPU', value: serializeMs, unit: 'ms', target: { op: '<=', value: 20 }, note: `${mb(jsonChars)} JSON + ${mb(blobBytes)} raw, median of ${runs}` });
  checkpointFigure({ id: 'checkpoint.snapshot', name: 'engine.snapshot() on the tick', value: median(snapMs), unit: 'ms', note: `median of ${runs}` });
  checkpointFigure({ id: 'checkpoint.write', name: 'CheckpointStore.write (sliced serialization, fsync, rename)', value: w.totalMs, unit: 'ms', note: `longest slice ${w.maxSliceMs.toFixed(1)} ms, ${mb(w.bytes)}` });
  checkpointFigure({ id: 'checkpoint.read', name: 'readLatestValid (read, CRC, JSON.parse)', value: readMs, unit: 'ms' });
}

/** `count` frames of the demo deployment's simulated sensors. */
function demoFrames(count: number): { frames: Frame[]; sensors: string[] } {
  const model = load(readFileSync('config/demo.yaml', 'utf8'), 'config/demo.yaml');
  const sim = new Simulation(model, { seed: 1 });
  const out: EventRecord[] = [];
  const frames: Frame[] = [];
  for (let k = 0; k < count; k++) {
    sim.tick(out);
    out.length = 0;
    frames.push(copy(sim.sampler.frame));
  }
  return { frames, sensors: model.sensors.map((s) => s.id) };
}

function copy(src: Frame): Frame {
  const f = new Frame(src.size);
  f.status.set(src.status);
  f.num.set(src.num);
  for (let i = 0; i < src.size; i++) {
    f.obj[i] = src.obj[i];
    f.error[i] = src.error[i];
  }
  return f;
}

/** 100 sensors whose value changes every tick (not float32-exact: 8 bytes each). */
function busyFrame(size: number): (tick: number) => Frame {
  const f = new Frame(size);
  f.status.fill(ReadStatus.Ok);
  return (tick) => {
    for (let i = 0; i < size; i++) f.num[i] = 20 + Math.sin(tick / 37 + i) * 5 + tick * 1e-7;
    return f;
  };
}

async function journalOf(dir: string, sensors: string[], ticks: number, frameAt: (k: number) => Frame, commitEvery: number): Promise<JournalWriter> {
  const w = await JournalWriter.open({ dir, configHash: 'bench', periodUs: 100_000, sensors, env: { timers: noTimers }, commitBytes: Infinity, maxPendingBytes: Infinity });
  for (let k = 0; k < ticks; k++) {
    w.append(k, frameAt(k));
    if ((k + 1) % commitEvery === 0) await w.flush();
  }
  await w.close();
  return w;
}

function replay(dir: string, size: number): { records: number; entries: number; ms: number } {
  const t0 = performance.now();
  const reader = new JournalReader(dir);
  let entries = 0;
  let records = 0;
  for (const r of reader.records()) {
    records++;
    entries += r.count;
  }
  const decodeMs = ms(t0);
  const t1 = performance.now();
  let n = 0;
  for (const t of replayFrames(new JournalReader(dir).records(), { size })) n += t.frame.status[0] ?? 0;
  if (reader.outcome.damage !== undefined || n < 0) throw new Error('damaged');
  return { records, entries, ms: Math.min(decodeMs, ms(t1)) };
}

async function replayFigures(): Promise<void> {
  const { frames, sensors } = demoFrames(6000);
  const dir = join(work, 'replay-demo');
  const N = sized(2_000_000, 300_000);
  const t0 = performance.now();
  const w = await journalOf(dir, sensors, N, (k) => frames[k % frames.length] as Frame, 50_000);
  const appendUs = (ms(t0) * 1000) / N;
  const r = replay(dir, sensors.length);
  console.log(`  demo input (5 sensors), ${N.toLocaleString('en')} ticks -> ${r.records.toLocaleString('en')} records, ${mb(w.stats.bytesDurable)}:`);
  console.log(`    replay (read + CRC + decode + apply to a Frame, every tick): ${((r.records / r.ms) * 1000).toFixed(0)} records/s, ${((N / r.ms) * 1000).toFixed(0)} ticks/s  [>= 1,000,000 records/s]`);
  console.log(`    append on the tick (encode into memory; incl. commits): ${appendUs.toFixed(2)} µs/tick`);
  journalFigure({ id: 'replay.records_per_s', name: `replay: read + CRC + decode + apply (demo input, ${N.toLocaleString('en-US')} records)`, value: (r.records / r.ms) * 1000, unit: 'records/s', target: { op: '>=', value: 1_000_000 } });
  journalFigure({ id: 'journal.append', name: 'append on the tick, demo input (incl. commits)', value: appendUs, unit: 'µs/tick' });
  const busy = join(work, 'replay-busy');
  const M = sized(200_000, 30_000);
  const t1 = performance.now();
  const wb = await journalOf(busy, Array.from({ length: 100 }, (_, i) => `b${i}`), M, busyFrame(100), 50_000);
  const appendBusyUs = (ms(t1) * 1000) / M;
  const rb = replay(busy, 100);
  console.log(`  100 sensors changing every tick, ${M.toLocaleString('en')} records, ${mb(wb.stats.bytesDurable)}:`);
  console.log(`    replay: ${((rb.records / rb.ms) * 1000).toFixed(0)} records/s (${((rb.entries / rb.ms) * 1000 / 1e6).toFixed(1)} M entries/s); append ${appendBusyUs.toFixed(2)} µs/tick`);
  journalFigure({ id: 'replay.busy_records_per_s', name: 'replay, 100 sensors changing every tick', value: (rb.records / rb.ms) * 1000, unit: 'records/s' });
  journalFigure({ id: 'journal.append_busy', name: 'append on the tick, 100 sensors changing', value: appendBusyUs, unit: 'µs/tick' });
}

/** One hour at 10 Hz: journal with a commit every simulated second, checkpoints every 30 s. */
async function hourFigures(key: string, name: string, sensors: string[], frameAt: (k: number) => Frame, checkpointParts: () => Record<string, unknown>): Promise<void> {
  const dir = join(work, `hour-${name}`);
  const w = await journalOf(join(dir, 'journal'), sensors, 36_000, frameAt, 10);
  const store = new CheckpointStore(join(dir, 'checkpoints'));
  const c = await store.write({ tick: 0, configHash: 'bench', formatVersion: 1, parts: checkpointParts() });
  const cpBytes = c.status === 'written' ? c.bytes : 0;
  const s = w.stats;
  const day = (perHour: number): string => `${((perHour * 24) / 1e6).toFixed(1)} MB/day`;
  console.log(`  ${name}: journal ${(s.bytesDurable / 1e6).toFixed(3)} MB/h (${day(s.bytesDurable)}), ${s.records} records, ${s.commits} commits (fdatasync) per hour`);
  console.log(`    pages the commits rewrite: ${s.pagesWritten} x 4 KiB = ${((s.pagesWritten * 4096) / 1e6).toFixed(1)} MB/h (${day(s.pagesWritten * 4096)}) before file-system metadata`);
  console.log(`    checkpoints: ${(cpBytes / 1e3).toFixed(1)} kB each, every 30 s = ${((cpBytes * 120) / 1e6).toFixed(2)} MB/h (${day(cpBytes * 120)})`);
  journalFigure({ id: `volume.${key}.journal`, name: `journal written per hour at 10 Hz, ${name}`, value: s.bytesDurable / 1e6, unit: 'MB/h' });
  journalFigure({ id: `volume.${key}.pages`, name: `4 KiB pages rewritten by 1 s group commits, ${name}`, value: (s.pagesWritten * 4096) / 1e6, unit: 'MB/h' });
}

async function volumeFigures(): Promise<void> {
  const { frames, sensors } = demoFrames(36_000);
  const model = load(readFileSync('config/demo.yaml', 'utf8'), 'config/demo.yaml');
  const sim = new Simulation(model, { seed: 1 });
  sim.runFor(3600e6);
  await hourFigures('demo', 'demo (config/demo.yaml)', sensors, (k) => frames[k] as Frame, () => ({ engine: sim.engine.snapshot(), sampler: sim.sampler.snapshot() }));
  for (const seconds of [5, 10]) {
    const w = await journalOf(join(work, `demo-${seconds}s`), sensors, 36_000, (k) => frames[k] as Frame, seconds * 10);
    console.log(`    with a commit every ${seconds} s: ${w.stats.commits} commits, ${w.stats.pagesWritten} pages = ${((w.stats.pagesWritten * 4096) / 1e6).toFixed(1)} MB/h`);
  }
  const busy = busyFrame(100);
  await hourFigures('busy', '100 sensors changing every tick', Array.from({ length: 100 }, (_, i) => `b${i}`), busy, () => ({ engine: { num: Array.from({ length: 100 }, (_, i) => i / 3) } }));
}

function crcFigures(): void {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
  const parts: string[] = [];
  for (const n of [16, 48, 64, 96, 256, 1024]) {
    const data = Buffer.alloc(n, 7);
    const reps = 2_000_000 / Math.max(1, n / 16);
    const time = (f: (d: Uint8Array) => number): number => {
      const t0 = performance.now();
      let x = 0;
      for (let i = 0; i < reps; i++) x ^= f(data);
      return x === 0.5 ? 0 : (ms(t0) * 1e6) / reps;
    };
    parts.push(`${n} B: js ${time(crc32Portable).toFixed(0)} ns, zlib ${native === undefined ? '-' : time(native).toFixed(0)} ns`);
  }
  console.log(`  crc32 per call: ${parts.join('; ')}`);
}

async function main(): Promise<void> {
  try {
    console.log('1. Checkpoint: 10,000 conditions (avg/max/held/within over 1 min), 1,000 mock sensors, 10 Hz, after 700 ticks:');
    await checkpointFigures();
    console.log('2. Journal replay:');
    await replayFigures();
    crcFigures();
    console.log('3. Write volume per hour at 10 Hz (group commit every 1 s):');
    await volumeFigures();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  emitFigures(figures);
}

await main();
