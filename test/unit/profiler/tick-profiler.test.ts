import { describe, expect, it } from 'vitest';
import type { EngineProfiler, StepResult } from '../../../src/core/engine.js';
import { Frame } from '../../../src/core/frame.js';
import { TickPhase } from '../../../src/profiler/tick-phase.js';
import { TickProfiler, type TickProfilerOptions } from '../../../src/profiler/tick-profiler.js';
import { ZERO_COSTS } from '../../../src/profiler/unit-costs.js';

/** A clock that moves only when told: every timing below is exact. */
function fakeClock(): { now: () => number; advance: (us: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (us) => void (t += us) };
}

function profiler(clock: { now: () => number }, opts: Partial<TickProfilerOptions> = {}): TickProfiler {
  return new TickProfiler({ now: clock.now, periodUs: 100_000, sensorCount: 2, nodeCount: 3, nodeWarmupTicks: 0, burstTicks: 1, ...opts });
}

/** One tick: each phase takes the given µs, marked as a loop and the engine would. */
function tick(p: TickProfiler, clock: { advance: (us: number) => void }, phases: Partial<Record<keyof typeof TickPhase, number>>): boolean {
  const timed = p.beginTick();
  for (const [name, us] of Object.entries(phases)) {
    clock.advance(us);
    p.mark(TickPhase[name as keyof typeof TickPhase]);
  }
  p.endTick();
  return timed;
}

describe('TickProfiler', () => {
  it('accounts every µs of a tick to one phase: the phases add up to the tick duration', () => {
    const clock = fakeClock();
    const p = profiler(clock, { tickStride: 1, nodeStride: 1e9 });
    tick(p, clock, { Read: 5, Sensors: 2, Patterns: 10, Conditions: 20, Dispatch: 3, Journal: 1 });
    tick(p, clock, { Read: 7, Sensors: 2, Spatial: 4, Patterns: 10, Conditions: 30, Dispatch: 1, Journal: 1 });
    expect(Array.from(p.phaseSumUs)).toEqual([12, 4, 4, 20, 50, 4, 2]);
    expect(p.weightSum).toBe(2);
    expect(p.meanTickUs).toBe(48);
    const d = p.tickDuration.summary();
    expect(d?.count).toBe(2);
    expect(d?.maxUs).toBeCloseTo(55, 0);
    expect(d?.meanUs).toBeCloseTo(48, 0);
    expect(Array.from(p.tickUs).reduce((a, b) => a + b, 0)).toBe(55);
  });

  it('subtracts the cost of each mark from the interval it ends', () => {
    const clock = fakeClock();
    const p = profiler(clock, { tickStride: 1, costs: { ...ZERO_COSTS, markUs: 0.5, nodeMarkUs: 0.25 } });
    tick(p, clock, { Read: 5, Conditions: 0.2 });
    expect(Array.from(p.tickUs)).toEqual([4.5, 0, 0, 0, 0, 0, 0]);
  });

  it('on a node-timed tick, the nodes add up to the patterns and conditions phases, and the tick stays out of the tick figures', () => {
    const clock = fakeClock();
    const p = profiler(clock, { tickStride: 1, nodeStride: 2 });
    tick(p, clock, { Read: 1, Conditions: 9 });
    // The second timed tick times nodes: the engine marks after every evaluated node.
    expect(p.beginTick()).toBe(true);
    expect(p.timeNodes).toBe(true);
    clock.advance(2);
    p.mark(TickPhase.Read);
    for (const [node, us] of [[0, 3], [1, 4], [2, 8]] as const) {
      clock.advance(us);
      p.mark(node === 2 ? TickPhase.Conditions : TickPhase.Patterns, node);
    }
    p.endTick();
    expect(p.tickUs[TickPhase.Patterns]).toBe(7);
    expect(p.tickUs[TickPhase.Conditions]).toBe(8);
    expect(Array.from(p.nodes.sumUs)).toEqual([3, 4, 8]);
    expect(p.nodes.ticks).toBe(1);
    expect(p.nodeTicks).toBe(1);
    expect(p.nodeMarks).toBe(3);
    // Only the first tick is in the tick figures.
    expect(p.weightSum).toBe(1);
    expect(p.meanTickUs).toBe(10);
  });

  it('samples one tick in tickStride, each standing for tickStride ticks; untimed ticks ignore marks', () => {
    const clock = fakeClock();
    const p = profiler(clock, { tickStride: 5, nodeStride: 1e9 });
    const timed: number[] = [];
    for (let k = 0; k < 50; k++) if (tick(p, clock, { Read: 1, Conditions: k % 5 === 0 ? 10 : 1000 })) timed.push(k);
    expect(timed).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(p.ticks).toBe(50);
    expect(p.timedTicks).toBe(10);
    expect(p.weightSum).toBe(50);
    expect(p.meanTickUs).toBe(11);
    expect(p.phaseMarks).toBe(20);
  });

  it('runs the engine step marked on timed ticks, plain on the others', () => {
    const clock = fakeClock();
    const p = profiler(clock, { tickStride: 3, nodeStride: 1e9 });
    const calls: string[] = [];
    const result: StepResult = { records: [], actions: [] };
    const engine = {
      step: (): StepResult => (calls.push('step'), result),
      stepProfiled: (_f: Frame, _k: number, hook: EngineProfiler): StepResult => {
        expect(hook).toBe(p);
        calls.push('marked');
        return result;
      },
    };
    for (let k = 0; k < 7; k++) {
      p.beginTick();
      expect(p.step(engine, new Frame(0), k)).toBe(result);
      p.endTick();
    }
    expect(calls).toEqual(['marked', 'step', 'step', 'marked', 'step', 'step', 'marked']);
  });

  it('in bursts, the first tick of each only warms the timed path and is not recorded', () => {
    const clock = fakeClock();
    const p = profiler(clock, { tickStride: 10, nodeStride: 1e9, burstTicks: 4 });
    const timed: number[] = [];
    for (let k = 0; k < 31; k++) if (tick(p, clock, { Read: 1, Conditions: 2 })) timed.push(k);
    // Bursts of 4 every 10 ticks.
    expect(timed).toEqual([0, 1, 2, 3, 10, 11, 12, 13, 20, 21, 22, 23, 30]);
    // 3 recorded ticks a burst (30 warms the next), each standing for 10 / 3 ticks.
    expect(p.weightSum).toBeCloseTo(9 * (10 / 3), 9);
    expect(p.timedTicks).toBe(13);
    expect(p.phaseMarks).toBe(26);
  });

  it('widens the stride when timing would cost more than the budget of the measured tick time', () => {
    const clock = fakeClock();
    // Timing a tick costs 1 µs; ticks take 10 µs; budget 1%, 60% of it for timing ticks: 1 in 17 at least.
    const p = profiler(clock, { costs: { ...ZERO_COSTS, timedTickUs: 1 }, nodeStride: 1e9, budget: 0.01 });
    for (let k = 0; k < 2000; k++) tick(p, clock, { Read: 2, Conditions: 8 });
    expect(p.tickStride).toBe(17);
    expect(p.timedTicks).toBeLessThan(2000 / 17 + 2);
    expect(p.meanTickUs).toBe(10);
    expect(p.tickDuration.summary()?.count).toBeGreaterThan(1900);
  });

  it('leaves the sampling what the per-tick upkeep does not take of the budget', () => {
    const clock = fakeClock();
    // Budget 1% of 10 µs = 0.1 µs; the upkeep takes 0.05 µs of it: 0.03 µs for timing ticks, 1 in 34 (37).
    const p = profiler(clock, { costs: { ...ZERO_COSTS, timedTickUs: 1, untimedTickUs: 0.03 }, perTickWorkUs: 0.02, nodeStride: 1e9, budget: 0.01 });
    for (let k = 0; k < 500; k++) tick(p, clock, { Read: 2, Conditions: 8 });
    expect(p.tickStride).toBe(37);
  });

  it('keeps the stride at 1 when the ticks are long enough to time them all', () => {
    const clock = fakeClock();
    const p = profiler(clock, { costs: { ...ZERO_COSTS, timedTickUs: 0.2, markUs: 0.05 } });
    for (let k = 0; k < 100; k++) tick(p, clock, { Read: 500, Conditions: 500 });
    expect(p.tickStride).toBe(1);
    expect(p.timedTicks).toBe(100);
  });

  it('records live figures: lateness and overruns, reads per sensor, actions by kind', () => {
    const clock = fakeClock();
    const p = profiler(clock);
    p.recordLoop(120, 900, false);
    p.recordLoop(40_000, 150_000, true);
    p.recordRead(0, 800, 'ok');
    p.recordRead(0, 200_000, 'timeout');
    p.recordRead(1, 1500, 'error');
    p.recordAction('mqtt', 2500, true);
    p.recordAction('callback', 12_000, false);
    expect(p.overruns).toBe(1);
    expect(p.lateness.summary()?.maxUs).toBeCloseTo(40_000, -2);
    const [s0, s1] = p.reads.summaries();
    expect(s0).toMatchObject({ reads: 2, timeouts: 1, errors: 0 });
    expect(s1).toMatchObject({ reads: 1, timeouts: 0, errors: 1 });
    expect(s0?.latency?.p50Us).toBeCloseTo(800, -1);
    expect(p.actions.summaries().map((a) => [a.kind, a.count, a.failed])).toEqual([
      ['callback', 1, 1],
      ['mqtt', 1, 0],
    ]);
    expect(p.recorded).toBe(9);
  });
});
