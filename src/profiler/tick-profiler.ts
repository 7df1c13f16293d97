import type { Engine, EngineProfiler, StepResult } from '../core/engine.js';
import type { Frame } from '../core/frame.js';
import { ActionStats } from './action-stats.js';
import { DurationHistogram } from './histograms.js';
import { NodeCosts } from './node-costs.js';
import { type ReadOutcome, SensorReads } from './sensor-reads.js';
import { MAX_STRIDE, primeAtLeast } from './strides.js';
import { PHASE_COUNT, type TickPhase } from './tick-phase.js';
import { type UnitCosts, ZERO_COSTS } from './unit-costs.js';

/** What the profiler needs of the engine: its step, plain and marked. */
export type ProfiledEngine = Pick<Engine, 'step' | 'stepProfiled'>;

/** How a {@link TickProfiler} is set up. */
export interface TickProfilerOptions {
  /** A monotonic clock in µs (fractions welcome): `() => performance.now() * 1000`, or a fake. */
  readonly now: () => number;
  readonly periodUs: number;
  readonly sensorCount: number;
  readonly nodeCount: number;
  /** Measured unit costs (`calibrate`); default zero: no correction, every tick timed. */
  readonly costs?: UnitCosts;
  /**
   * Share of tick time the profiler may cost in all, default 0.008 (the SPEC allows 1%): what
   * every tick costs anyway (untimed bookkeeping, `perTickWorkUs`) comes first, and the rest is
   * what timing ticks and nodes may spend.
   */
  readonly budget?: number;
  /** Work the caller adds to every tick for the profiler (simulation: counting read failures), µs. */
  readonly perTickWorkUs?: number;
  /** Time every Nth tick (fixed) instead of the stride the budget allows. */
  readonly tickStride?: number;
  /** Of the timed ticks, time nodes one by one on every Nth (fixed) instead of the budget's stride. */
  readonly nodeStride?: number;
  /**
   * No node is timed before this many ticks, default 500: a node's first evaluations run before
   * the JIT has compiled it, and a few cold samples would rank nodes by their compile time.
   */
  readonly nodeWarmupTicks?: number;
  /**
   * Sampled ticks come in bursts of this many in a row, default 4; the first of a burst is not
   * recorded: it warms the timed code path (instruction cache, branch predictors), since a lone
   * timed tick among untimed ones runs cold and reads high. 1: single ticks, all recorded.
   */
  readonly burstTicks?: number;
}

/** Of what the budget leaves after the per-tick upkeep: timing ticks (phases, duration), and timing nodes. */
const TICK_SHARE = 0.6;
const NODE_SHARE = 0.4;
/** Sampling never gets less than this share of the budget, even when the upkeep takes it all. */
const MIN_SAMPLING_SHARE = 0.2;
/** Node-timed ticks are left out of the tick figures, so at least this many timed ticks in a row share one. */
const MIN_NODE_STRIDE = 4;

/**
 * Profiles ticks: phase marks into per-phase sums and a tick-duration histogram, per node
 * evaluation time, sensor reads, actions, and (live) lateness and overruns. One per run.
 *
 * A tick is `beginTick()`, then `mark(phase)` at the end of each phase (the engine marks its own
 * phases when run through `step(engine, ...)`), then `endTick()`. To keep its own cost under
 * `budget` of tick time, the profiler times a burst of `burstTicks` ticks every `tickStride`
 * (each recorded tick standing for its share of the stride in the figures) and, on one recorded
 * tick in `nodeStride`, every node: the strides follow the measured tick time. Untimed ticks cost
 * a decrement; `mark` is a no-op on them.
 *
 * Each interval between two clock reads holds one mark's own cost, which is subtracted, so the
 * phases of a tick add up to its duration, and on node-timed ticks the nodes' times add up to the
 * patterns and conditions phases. Node-timed ticks are left out of tick duration and phases.
 */
export class TickProfiler implements EngineProfiler {
  /** True during a tick whose nodes are timed one by one (read by the engine). */
  timeNodes = false;
  /** Busy time of timed ticks (sum of their phases), each counted for the ticks it stands for. */
  readonly tickDuration = new DurationHistogram();
  /** Live: how late each tick started, and how long the loop saw it run. */
  readonly lateness = new DurationHistogram();
  readonly loopDuration = new DurationHistogram();
  readonly reads: SensorReads;
  readonly actions = new ActionStats();
  readonly nodes: NodeCosts;
  /** Per phase, over the timed ticks (node-timed ones excepted): Σ µs × weight, and the distribution. */
  readonly phaseSumUs = new Float64Array(PHASE_COUNT);
  readonly phaseHistograms: readonly DurationHistogram[] = Array.from({ length: PHASE_COUNT }, () => new DurationHistogram());
  /** The current (after endTick: the last) timed tick's time per phase. */
  readonly tickUs = new Float64Array(PHASE_COUNT);
  /** Σ weights of the ticks in phaseSumUs: the ticks they stand for. */
  weightSum = 0;
  ticks = 0;
  timedTicks = 0;
  nodeTicks = 0;
  phaseMarks = 0;
  nodeMarks = 0;
  overruns = 0;
  /** Values recorded by recordLoop, recordRead and recordAction (each a histogram record). */
  recorded = 0;
  tickStride: number;
  nodeStride: number;
  /** Timed ticks come in bursts of this many (see `burstTicks`). */
  readonly burst: number;
  private readonly now: () => number;
  private readonly costs: UnitCosts;
  private readonly budget: number;
  private readonly upkeepUs: number;
  private readonly adaptive: boolean;
  private readonly nodeAdaptive: boolean;
  private readonly nodeWarmupTicks: number;
  private timing = false;
  private last = 0;
  private weight = 1;
  private burstLeft = 0;
  /** This timed tick only warms the timed path (the first of a burst): not recorded. */
  private warming = false;
  private tickCountdown = 1;
  private nodeCountdown: number;
  private marksThisTick = 0;
  private nodeMarksThisTick = 0;
  /** Typical busy time of timed ticks, and node marks per node-timed tick: the strides follow them. */
  private busyEmaUs = NaN;
  private nodeMarksPerTick: number;
  private lastRaw = 1;

  constructor(opts: TickProfilerOptions) {
    this.now = opts.now;
    this.costs = opts.costs ?? ZERO_COSTS;
    this.budget = opts.budget ?? 0.008;
    this.upkeepUs = this.costs.untimedTickUs + (opts.perTickWorkUs ?? 0);
    this.nodeWarmupTicks = opts.nodeWarmupTicks ?? 500;
    this.burst = Math.max(1, Math.round(opts.burstTicks ?? 4));
    this.adaptive = opts.tickStride === undefined;
    this.nodeAdaptive = opts.nodeStride === undefined;
    this.tickStride = Math.max(1, Math.round(opts.tickStride ?? 1));
    this.nodeStride = Math.max(1, Math.round(opts.nodeStride ?? MIN_NODE_STRIDE));
    this.nodeCountdown = this.nodeStride;
    this.nodeMarksPerTick = opts.nodeCount;
    this.reads = new SensorReads(opts.sensorCount);
    this.nodes = new NodeCosts(opts.nodeCount);
  }

  /** Starts a tick; true when it is timed (marks count), false when marks are no-ops. */
  beginTick(): boolean {
    this.ticks++;
    if (--this.tickCountdown > 0 && this.burstLeft === 0) return false;
    if (this.burstLeft > 0) {
      this.burstLeft--;
      this.warming = false;
    } else {
      const stride = this.tickStride;
      this.tickCountdown = stride;
      // Stride 1 times every tick: nothing runs cold. Otherwise a burst of b ticks every `stride`,
      // b - 1 of them recorded, each standing for stride / (b - 1) ticks.
      const b = stride > 1 ? Math.min(this.burst, stride) : 1;
      this.burstLeft = b - 1;
      this.warming = b > 1;
      this.weight = stride / (b > 1 ? b - 1 : 1);
    }
    this.timeNodes = !this.warming && this.ticks > this.nodeWarmupTicks && --this.nodeCountdown <= 0;
    if (this.timeNodes) this.nodeCountdown = this.nodeStride;
    this.tickUs.fill(0);
    this.marksThisTick = 0;
    this.nodeMarksThisTick = 0;
    this.timing = true;
    this.last = this.now();
    return true;
  }

  /** The work since the previous mark (or beginTick) was `phase`; `node` >= 0: that node's evaluation. */
  mark(phase: TickPhase, node = -1): void {
    if (!this.timing) return;
    const t = this.now();
    let dt = t - this.last - (node >= 0 ? this.costs.nodeMarkUs : this.costs.markUs);
    this.last = t;
    if (dt < 0) dt = 0;
    this.tickUs[phase] = (this.tickUs[phase] ?? 0) + dt;
    this.marksThisTick++;
    if (node >= 0) {
      this.nodeMarksThisTick++;
      this.nodes.add(node, dt);
    }
  }

  /** Runs the engine's step of this tick: marked, phase by phase, when the tick is timed. */
  step(engine: ProfiledEngine, frame: Frame, tick: number): StepResult {
    return this.timing ? engine.stepProfiled(frame, tick, this) : engine.step(frame, tick);
  }

  /** Ends the tick (a no-op when it was not timed). */
  endTick(): void {
    if (!this.timing) return;
    this.timing = false;
    this.timedTicks++;
    this.nodeMarks += this.nodeMarksThisTick;
    this.phaseMarks += this.marksThisTick - this.nodeMarksThisTick;
    if (this.warming) return;
    if (this.timeNodes) {
      this.timeNodes = false;
      this.nodeTicks++;
      this.nodes.ticks++;
      this.nodeMarksPerTick = this.nodeMarksThisTick;
      return;
    }
    let busy = 0;
    const w = this.weight;
    // Histogram counts are integers: the weight to the nearest tick.
    const count = Math.max(1, Math.round(w));
    for (let p = 0; p < PHASE_COUNT; p++) {
      const us = this.tickUs[p] ?? 0;
      busy += us;
      this.phaseSumUs[p] = (this.phaseSumUs[p] ?? 0) + us * w;
      (this.phaseHistograms[p] as DurationHistogram).recordUs(us, count);
    }
    this.weightSum += w;
    this.tickDuration.recordUs(busy, count);
    this.adapt(busy);
  }

  /** Live: the loop's view of a tick (lateness at its start, its duration, whether it overran). */
  recordLoop(latenessUs: number, durationUs: number, overran: boolean): void {
    this.lateness.recordUs(latenessUs);
    this.loopDuration.recordUs(durationUs);
    this.recorded += 2;
    if (overran) this.overruns++;
  }

  /** Live: one read of sensor `sensorIndex` took `us` and ended as `outcome`. */
  recordRead(sensorIndex: number, us: number, outcome: ReadOutcome): void {
    this.reads.recordRead(sensorIndex, us, outcome);
    this.recorded++;
  }

  /** One action or callback finished (`us` from dispatch; undefined when not timed, as in sim). */
  recordAction(kind: string, us: number | undefined, ok: boolean): void {
    this.actions.recordAction(kind, us, ok);
    if (us !== undefined) this.recorded++;
  }

  /** Mean busy time per tick over the timed ticks (µs), NaN before any. */
  get meanTickUs(): number {
    let sum = 0;
    for (let p = 0; p < PHASE_COUNT; p++) sum += this.phaseSumUs[p] ?? 0;
    return this.weightSum > 0 ? sum / this.weightSum : NaN;
  }

  /** Re-sizes the strides from the smoothed busy time so the timing stays within budget. */
  private adapt(busyUs: number): void {
    // The typical tick: the estimate falls fast and rises slowly, so that a tick the scheduler or
    // the garbage collector interrupted does not make the profiler time many more.
    const ema = this.busyEmaUs;
    this.busyEmaUs = ema !== ema ? busyUs : ema + (busyUs - ema) / (busyUs < ema ? 2 : 16);
    const busy = this.busyEmaUs;
    if (!(busy > 0)) return;
    const c = this.costs;
    const sampling = Math.max(MIN_SAMPLING_SHARE * this.budget * busy, this.budget * busy - this.upkeepUs);
    if (this.adaptive) {
      // Ticks per timed tick that the budget allows; a burst times `burst` of them.
      const raw = Math.ceil((c.timedTickUs + this.marksThisTick * c.markUs) / (TICK_SHARE * sampling));
      if (raw !== this.lastRaw) {
        this.lastRaw = raw;
        this.tickStride = raw <= 1 ? 1 : primeAtLeast(Math.min(MAX_STRIDE, Math.max(this.burst + 1, this.burst * raw)));
        if (this.tickCountdown > this.tickStride) this.tickCountdown = this.tickStride;
      }
    }
    if (this.nodeAdaptive) {
      const b = this.tickStride > 1 ? Math.min(this.burst, this.tickStride) : 1;
      const ticksPerRecorded = this.tickStride / (b > 1 ? b - 1 : 1);
      const perTick = (this.nodeMarksPerTick * c.nodeMarkUs) / (NODE_SHARE * sampling * ticksPerRecorded);
      this.nodeStride = Math.max(MIN_NODE_STRIDE, Math.min(MAX_STRIDE, Math.ceil(perTick)));
      if (this.nodeCountdown > this.nodeStride) this.nodeCountdown = this.nodeStride;
    }
  }
}
