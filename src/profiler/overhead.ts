import { DurationHistogram } from './histograms.js';
import { SensorReads } from './sensor-reads.js';
import { TickProfiler } from './tick-profiler.js';
import { TickPhase } from './tick-phase.js';
import { type UnitCosts, ZERO_COSTS } from './unit-costs.js';

/** The profiler's own cost over a run, counted from its operations and their measured unit costs. */
export interface Overhead {
  /** Own time per tick, on average (µs). */
  readonly usPerTick: number;
  /** Own time as a share of the ticks' busy time (%): SPEC §8 wants it under 1. */
  readonly pctOfTickTime: number;
  /** Own time as a share of the tick period (%). */
  readonly pctOfPeriod: number;
  /** How it was obtained: operations counted, each at its cost calibrated on this machine. */
  readonly method: 'counted';
  /** The unit costs, in ns. */
  readonly clockReadNs: number;
  readonly markNs: number;
  readonly nodeMarkNs: number;
  readonly timedTickNs: number;
  readonly untimedTickNs: number;
  readonly recordNs: number;
  /** Work the profiler adds to every tick besides its marks (simulation: counting read failures). */
  readonly perTickWorkNs: number;
}

/**
 * Short rounds, many of them, and the median: on a busy machine a round the scheduler interrupts
 * is an outlier, not the figure. The warm-up rounds are not counted: until V8 has compiled the
 * code (in the background, late on a busy machine), a round measures the interpreter.
 *
 * Each operation is written out in a small batch function that loops over it: V8 compiles the
 * batch as a whole, inlining the operation as it does in the run, once it has been called often
 * enough. A closure per operation would measure a megamorphic call instead, and one long loop
 * would run on code compiled mid-loop (on-stack replacement), which can stay several times slower.
 */
const WARMUP_ROUNDS = 40;
const ROUNDS = 25;
const CALLS = 20;
const PER_CALL = 50;

/** A batch: `n` of one operation on `arg`. */
type Batch<T> = (arg: T, n: number) => void;

/** The cost of one operation of `batch`, in µs: the median round, after the warm-up rounds. */
function costOf<T>(now: () => number, batch: Batch<T>, arg: T): number {
  const costs = new Float64Array(ROUNDS);
  for (let r = 0; r < WARMUP_ROUNDS + ROUNDS; r++) {
    const t0 = now();
    for (let c = 0; c < CALLS; c++) batch(arg, PER_CALL);
    if (r >= WARMUP_ROUNDS) costs[r - WARMUP_ROUNDS] = (now() - t0) / (CALLS * PER_CALL);
  }
  return Math.max(0, costs.sort()[ROUNDS >> 1] ?? 0);
}

let sink = 0;

function clockReads(now: () => number, n: number): void {
  for (let i = 0; i < n; i++) sink += now();
}

function marks(p: TickProfiler, n: number): void {
  for (let i = 0; i < n; i++) p.mark(TickPhase.Conditions);
}

function nodeMarks(p: TickProfiler, n: number): void {
  for (let i = 0; i < n; i++) p.mark(TickPhase.Conditions, 0);
}

// Two functions for the same calls: each is compiled for the path its profiler takes.
function timedTicks(p: TickProfiler, n: number): void {
  for (let i = 0; i < n; i++) {
    p.beginTick();
    p.endTick();
  }
}

function untimedTicks(p: TickProfiler, n: number): void {
  for (let i = 0; i < n; i++) {
    p.beginTick();
    p.endTick();
  }
}

function records(h: DurationHistogram, n: number): void {
  // Durations of µs to ms, as the run records.
  for (let i = 0; i < n; i++) h.recordUs(1 + (i & 1023) * 1.37);
}

function frameCounts(reads: SensorReads, n: number): void {
  for (let i = 0; i < n; i++) reads.countWatched();
}

/**
 * Measures the profiler's unit costs on this machine with `now`, running the real TickProfiler
 * methods on scratch instances (the same code as the run's). Takes a tenth of a second or so.
 */
export function calibrate(now: () => number): UnitCosts {
  const opts = { now, periodUs: 1e5, sensorCount: 0, nodeCount: 1, nodeWarmupTicks: 0 };
  const clockReadUs = costOf(now, clockReads, now);
  // Past its first burst, this one times no tick.
  const untimed = new TickProfiler({ ...opts, tickStride: 1e9 });
  untimedTicks(untimed, 4);
  const untimedTickUs = costOf(now, untimedTicks, untimed);
  const marking = new TickProfiler({ ...opts, tickStride: 1, nodeStride: 1 });
  marking.beginTick();
  const markUs = costOf(now, marks, marking);
  const nodeMarkUs = costOf(now, nodeMarks, marking);
  marking.endTick();
  // Adaptive with zero costs: every tick is timed, and the stride logic runs as in a run.
  const timedTickUs = costOf(now, timedTicks, new TickProfiler({ ...opts, costs: ZERO_COSTS }));
  const recordUs = costOf(now, records, new DurationHistogram());
  if (sink === -1) throw new Error('unreachable: keeps the clock reads from being optimised away');
  return { clockReadUs, markUs, nodeMarkUs, timedTickUs, untimedTickUs, recordUs };
}

/** The cost of `SensorReads.countWatched` on `status` (µs per call), on a scratch counter. */
export function calibrateCountFrame(now: () => number, status: Uint8Array): number {
  const reads = new SensorReads(status.length);
  reads.watch(status);
  return costOf(now, frameCounts, reads);
}

/**
 * The profiler's own time over the ticks `p` saw: every operation it performed at its unit cost,
 * plus `perTickWorkUs` on every tick. Relative to the mean busy time of the timed ticks, and to
 * the period.
 */
export function countedOverhead(p: TickProfiler, costs: UnitCosts, periodUs: number, perTickWorkUs = 0): Overhead {
  const untimed = p.ticks - p.timedTicks;
  const totalUs =
    untimed * costs.untimedTickUs +
    p.timedTicks * costs.timedTickUs +
    p.phaseMarks * costs.markUs +
    p.nodeMarks * costs.nodeMarkUs +
    p.recorded * costs.recordUs +
    p.ticks * perTickWorkUs;
  const usPerTick = totalUs / Math.max(1, p.ticks);
  const busy = p.meanTickUs;
  const ns = (us: number): number => Math.round(us * 1e4) / 10;
  return {
    usPerTick: Math.round(usPerTick * 1e4) / 1e4,
    pctOfTickTime: busy > 0 ? round4((100 * usPerTick) / busy) : 0,
    // Two significant digits: against a period of milliseconds the figure is tiny, not zero.
    pctOfPeriod: Number(((100 * usPerTick) / periodUs).toPrecision(2)),
    method: 'counted',
    clockReadNs: ns(costs.clockReadUs),
    markNs: ns(costs.markUs),
    nodeMarkNs: ns(costs.nodeMarkUs),
    timedTickNs: ns(costs.timedTickUs),
    untimedTickNs: ns(costs.untimedTickUs),
    recordNs: ns(costs.recordUs),
    perTickWorkNs: ns(perTickWorkUs),
  };
}

/** Four decimals of a percentage: small overheads stay visible. */
function round4(pct: number): number {
  return Math.round(pct * 1e4) / 1e4;
}
