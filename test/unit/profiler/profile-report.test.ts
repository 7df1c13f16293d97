import { describe, expect, it } from 'vitest';
import { buildProfileReport } from '../../../src/profiler/profile-report.js';
import { profileSimulation } from '../../../src/profiler/profiled-simulation.js';
import { ZERO_COSTS } from '../../../src/profiler/unit-costs.js';
import { modelOf } from '../../helpers/simulate.js';

const YAML = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - {id: level, kind: mock, signal: {sine: {mean: 50, amplitude: 40, period: 20s}}, faults: [{at: 5s, for: 1s, mode: timeout}]}
  - {id: flow, kind: mock, signal: {random_walk: {start: 5, step: 1, min: 0, max: 10}}}
patterns:
  - {id: level_avg, kind: expr, value: "avg(level, 1min)"}
conditions:
  - {id: high, when: "level_avg > 60 or level > 85", actions: [{log: "high {level}"}]}
  - {id: flowing, when: "held(flow > 5, 2s)"}
`;

describe('buildProfileReport', () => {
  it('turns a profiled run into every SPEC §8 figure', async () => {
    const model = modelOf(YAML);
    // Every clock read is 1 µs after the previous one: each marked interval is exactly 1 µs.
    let t = 0;
    const run = await profileSimulation(model, { durationUs: 60e6, seed: 1, baseDir: '.', journalDir: undefined, now: () => ++t, costs: ZERO_COSTS, tickStride: 1, nodeStride: 3, warmupTicks: 0 });
    const r = buildProfileReport({
      config: 'x.yaml',
      source: 'simulation',
      seed: 1,
      mode: 'configured',
      model,
      engine: run.sim.engine,
      profiler: run.profiler,
      costs: run.costs,
      perTickWorkUs: 0,
      periodUs: run.sim.periodUs,
      wallUs: run.wallUs,
      counts: run.counts,
      journal: null,
      notes: [],
    });
    expect(r.ticks).toMatchObject({ run: 600, periodUs: 100_000, targetHz: 10, runS: 60, timed: 600, tickStride: 1, nodeTimed: 200, nodeStride: 3 });
    expect(r.ticks.achievedHz).toBeGreaterThan(0);
    // Poll mode, no spatial feeds: read, sensors, patterns, conditions, dispatch: 1 µs each.
    expect(r.phases.every((p) => p.p50Us === p.meanUs && p.p99Us === p.meanUs)).toBe(true);
    expect(r.phases.map((p) => [p.phase, p.meanUs])).toEqual([
      ['read', 1],
      ['sensors', 1],
      ['spatial', 0],
      ['patterns', 1],
      ['conditions', 1],
      ['dispatch', 1],
      ['journal', 0],
    ]);
    expect(r.phases.reduce((s, p) => s + p.sharePct, 0)).toBeCloseTo(100, 6);
    expect(r.tickDuration).toMatchObject({ p50Us: 5, p99Us: 5, maxUs: 5, meanUs: 5, count: 400 });
    expect(r.lateness).toBeNull();
    expect(r.sensors).toEqual([
      { id: 'level', kind: 'mock', reads: null, p50Us: null, p99Us: null, timeouts: 10, errors: 0 },
      { id: 'flow', kind: 'mock', reads: null, p50Us: null, p99Us: null, timeouts: 0, errors: 0 },
    ]);
    // Node-timed ticks: one clock read per node, 1 µs each.
    expect(r.costliest.ticksSampled).toBe(200);
    expect(r.costliest.patterns).toEqual([{ id: 'level_avg', usPerTick: 1, meanUs: 1, evaluationsPerTick: 1, sharePct: 33.33 }]);
    expect(r.costliest.conditions.map((c) => c.id).sort()).toEqual(['flowing', 'high']);
    expect(r.actions.latencyMeasured).toBe(false);
    expect(r.actions.kinds).toEqual([{ kind: 'log', count: run.counts.actions, failed: 0, latency: null }]);
    expect(run.counts.actions).toBeGreaterThan(0);
    expect(r.memory.seriesBuffers).toBe(1);
    // A 1 min window at 10 Hz: 602 samples of 8 bytes, and the run starts it remembers.
    expect(r.memory.seriesBufferBytes).toBe(602 * 8 + 33 * 8);
    expect(r.memory.engineBufferBytes).toBeGreaterThanOrEqual(r.memory.seriesBufferBytes);
    expect(r.memory.rssBytes).toBeGreaterThan(r.memory.heapUsedBytes);
    expect(r.journal).toBeNull();
    expect(r.eventLog.bytes).toBeGreaterThan(0);
    expect(r.eventLog.bytesPerSecond).toBeCloseTo(r.eventLog.bytes / 60, 1);
    expect(r.overhead.method).toBe('counted');
    expect(Number.isFinite(r.overhead.pctOfTickTime)).toBe(true);
  });

  it('measures the journal in bytes per second of simulated time', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'spatia-profile-test-'));
    try {
      const run = await profileSimulation(modelOf(YAML), { durationUs: 60e6, seed: 1, baseDir: '.', journalDir: join(dir, 'journal'), costs: ZERO_COSTS, warmupTicks: 0 });
      expect(run.journal?.records).toBe(600);
      expect(run.journal?.bytes).toBeGreaterThan(600);
      expect(run.journal?.durableBytes).toBeGreaterThanOrEqual(run.journal?.bytes ?? Infinity);
      expect(run.journal?.problems).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
