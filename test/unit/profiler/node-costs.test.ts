import { describe, expect, it } from 'vitest';
import { type NodeInfo } from '../../../src/profiler/node-costs.js';
import { TickPhase } from '../../../src/profiler/tick-phase.js';
import { TickProfiler } from '../../../src/profiler/tick-profiler.js';

const NODES: NodeInfo[] = [
  ...Array.from({ length: 12 }, (_, i) => ({ id: `p${String(i).padStart(2, '0')}`, kind: 'pattern' as const })),
  ...Array.from({ length: 12 }, (_, i) => ({ id: `c${String(i).padStart(2, '0')}`, kind: 'condition' as const })),
];

/** Node i costs `costOf(i)` µs per evaluation, on the fake clock; `skip(i)` leaves it unevaluated (event mode). */
function run(ticks: number, costOf: (i: number) => number, skip: (i: number, tick: number) => boolean = () => false): TickProfiler {
  let t = 0;
  const p = new TickProfiler({ now: () => t, periodUs: 100_000, sensorCount: 0, nodeCount: NODES.length, tickStride: 1, nodeStride: 1, nodeWarmupTicks: 0, burstTicks: 1 });
  for (let k = 0; k < ticks; k++) {
    p.beginTick();
    expect(p.timeNodes).toBe(true);
    NODES.forEach((n, i) => {
      if (skip(i, k)) return;
      t += costOf(i);
      p.mark(n.kind === 'pattern' ? TickPhase.Patterns : TickPhase.Conditions, i);
    });
    p.endTick();
  }
  return p;
}

describe('NodeCosts: the costliest patterns and conditions', () => {
  it('ranks by time per tick, ten of each kind, costliest first', () => {
    // Costs rise with the index within each kind: p11 and c11 are the costliest.
    const p = run(4, (i) => 1 + (i % 12));
    const patterns = p.nodes.costliest(NODES, 'pattern');
    const conditions = p.nodes.costliest(NODES, 'condition');
    expect(patterns.map((n) => n.id)).toEqual(['p11', 'p10', 'p09', 'p08', 'p07', 'p06', 'p05', 'p04', 'p03', 'p02']);
    expect(conditions.map((n) => n.id)).toEqual(['c11', 'c10', 'c09', 'c08', 'c07', 'c06', 'c05', 'c04', 'c03', 'c02']);
    expect(patterns[0]).toEqual({ id: 'p11', usPerTick: 12, meanUs: 12, evaluationsPerTick: 1, sharePct: Math.round((1e4 * 12) / 156) / 100 });
  });

  it('an event-driven node that runs rarely ranks by its total, not by its cost per evaluation', () => {
    // c00 costs 50 µs but runs one tick in ten; c01 costs 10 µs every tick.
    const p = run(20, (i) => (i === 12 ? 50 : i === 13 ? 10 : 1), (i, k) => i === 12 && k % 10 !== 0);
    const [first, second] = p.nodes.costliest(NODES, 'condition', 2);
    expect(first).toMatchObject({ id: 'c01', usPerTick: 10, meanUs: 10, evaluationsPerTick: 1 });
    expect(second).toMatchObject({ id: 'c00', usPerTick: 5, meanUs: 50, evaluationsPerTick: 0.1 });
  });

  it('breaks ties by id, and leaves out nodes never evaluated', () => {
    const p = run(3, () => 2, (i) => i === 0);
    const patterns = p.nodes.costliest(NODES, 'pattern', 3);
    expect(patterns.map((n) => n.id)).toEqual(['p01', 'p02', 'p03']);
    expect(p.nodes.costliest(NODES, 'pattern', 100)).toHaveLength(11);
  });
});
