/**
 * What the profiler's own operations cost on this machine, in µs, measured by `calibrate` (see
 * overhead.ts). They correct the timings (each interval between two clock reads holds one mark's
 * overhead, subtracted from it), size the sampling strides, and add up to the overhead figure.
 */
export interface UnitCosts {
  /** Reading the clock once. */
  readonly clockReadUs: number;
  /** One phase mark on a timed tick: a clock read and its bookkeeping. */
  readonly markUs: number;
  /** One node mark on a node-timed tick (a mark plus the node's accounting). */
  readonly nodeMarkUs: number;
  /** beginTick + endTick of a timed tick, marks excluded. */
  readonly timedTickUs: number;
  /** beginTick + endTick of a tick that is not timed. */
  readonly untimedTickUs: number;
  /** One value recorded into a histogram (live reads, actions, loop figures). */
  readonly recordUs: number;
}

/** No correction and no cost: every tick timed (tests with a fake clock). */
export const ZERO_COSTS: UnitCosts = { clockReadUs: 0, markUs: 0, nodeMarkUs: 0, timedTickUs: 0, untimedTickUs: 0, recordUs: 0 };
