import { describe, expect, it } from 'vitest';
import { calibrate, calibrateCountFrame, countedOverhead } from '../../../src/profiler/overhead.js';
import { TickPhase } from '../../../src/profiler/tick-phase.js';
import { TickProfiler } from '../../../src/profiler/tick-profiler.js';
import type { UnitCosts } from '../../../src/profiler/unit-costs.js';

describe('the profiler overhead', () => {
  it('is counted: every operation at its unit cost, against the mean tick time and the period', () => {
    let t = 0;
    const costs: UnitCosts = { clockReadUs: 0.04, markUs: 0.05, nodeMarkUs: 0.06, timedTickUs: 0.2, untimedTickUs: 0.01, recordUs: 0.03 };
    const p = new TickProfiler({ now: () => t, periodUs: 1000, sensorCount: 1, nodeCount: 2, costs, tickStride: 4, nodeStride: 2, nodeWarmupTicks: 0, burstTicks: 1 });
    for (let k = 0; k < 16; k++) {
      if (!p.beginTick()) continue;
      t += 10.05;
      p.mark(TickPhase.Read);
      if (p.timeNodes) {
        t += 5.06;
        p.mark(TickPhase.Patterns, 0);
        t += 5.06;
        p.mark(TickPhase.Conditions, 1);
      } else {
        t += 10.05;
        p.mark(TickPhase.Conditions);
      }
      p.endTick();
    }
    p.recordRead(0, 100, 'ok');
    // 16 ticks: 4 timed (2 of them node-timed), 12 untimed; 6 phase marks, 4 node marks, 1 record.
    expect([p.timedTicks, p.nodeTicks, p.phaseMarks, p.nodeMarks, p.recorded]).toEqual([4, 2, 6, 4, 1]);
    expect(p.meanTickUs).toBeCloseTo(20, 9);
    const o = countedOverhead(p, costs, 1000, 0.002);
    const totalUs = 12 * 0.01 + 4 * 0.2 + 6 * 0.05 + 4 * 0.06 + 1 * 0.03 + 16 * 0.002;
    expect(o.usPerTick).toBeCloseTo(totalUs / 16, 4);
    expect(o.pctOfTickTime).toBeCloseTo((100 * totalUs) / 16 / 20, 3);
    expect(o.pctOfPeriod).toBeCloseTo((100 * totalUs) / 16 / 1000, 4);
    expect(o).toMatchObject({ method: 'counted', clockReadNs: 40, markNs: 50, nodeMarkNs: 60, timedTickNs: 200, untimedTickNs: 10, recordNs: 30, perTickWorkNs: 2 });
  });

  it('calibrates its unit costs on this machine (figures only: tests never judge timings)', () => {
    const now = (): number => performance.now() * 1000;
    const c = calibrate(now);
    for (const v of Object.values(c)) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
    }
    const scan = calibrateCountFrame(now, new Uint8Array(1000));
    expect(Number.isFinite(scan)).toBe(true);
  });
});
