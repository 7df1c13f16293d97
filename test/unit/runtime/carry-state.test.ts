import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../src/config/load.js';
import type { DeploymentModel } from '../../../src/config/model.js';
import type { EventRecord } from '../../../src/core/event-record.js';
import { carryEngineState, engineLayout } from '../../../src/runtime/carry-state.js';
import { Simulation } from '../../../src/runtime/simulation.js';

function model(conditions: string, patterns = ''): DeploymentModel {
  const text = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - {id: door, kind: mock, signal: {constant: 1}}
  - {id: temp, kind: mock, signal: {sine: {mean: 20, amplitude: 5, period: 10s}}}
${patterns}conditions:
${conditions}`;
  const { model: m, issues } = loadConfigText(text, 'site.yaml');
  if (m === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  return m;
}

const BASE = `  - {id: open_long, when: 'held(door > 0.5, 6s)'}
  - {id: warm, when: temp > 22}
  - {id: warm_avg, when: 'avg(temp, 3s) > 21'}
`;

/** Runs `a` for `ticks`, carries its state into a simulation of `b`, runs that to `until`; b's edges. */
function carry(a: DeploymentModel, b: DeploymentModel, ticks: number, until: number): { edges: EventRecord[]; carried: ReturnType<typeof carryEngineState> } {
  const first = new Simulation(a);
  const out: EventRecord[] = [];
  while (first.tickIndex < ticks) first.tick(out);
  const second = new Simulation(b);
  const carried = carryEngineState(first.engine.snapshot(), engineLayout(first.engine), second.engine);
  second.restore({ tickIndex: first.tickIndex, engine: carried.state, sampler: first.sampler.snapshot() });
  const after: EventRecord[] = [];
  while (second.tickIndex < until) second.tick(after);
  return { edges: after.filter((r) => r.type === 'edge'), carried };
}

describe('carryEngineState', () => {
  it('with an unchanged configuration, keeps everything: the run goes on exactly as if uninterrupted', () => {
    const m = model(BASE);
    const straight = new Simulation(m).runFor(12e6).filter((r) => r.tick >= 30 && r.type === 'edge');
    const { edges, carried } = carry(m, model(BASE), 30, 120);
    expect(carried.fresh).toEqual([]);
    expect([...carried.kept].sort()).toEqual(['open_long', 'warm', 'warm_avg']);
    expect(edges).toEqual(straight);
  });

  it('keeps unchanged conditions by id (reordered too), starts changed and new ones fresh, names removed ones', () => {
    const changed = `  - {id: cold, when: temp < 16}
  - {id: warm_avg, when: 'avg(temp, 3s) > 21.5'}
  - {id: open_long, when: 'held(door > 0.5, 6s)'}
`;
    const { edges, carried } = carry(model(BASE), model(changed), 30, 120);
    expect(carried.kept).toEqual(['open_long']);
    expect([...carried.fresh].sort()).toEqual(['cold', 'warm_avg']);
    expect(carried.removed).toEqual(['warm']);
    // The held timer started at tick 0 survived: it rises at 6 s, not 6 s after the change.
    expect(edges.filter((r) => r['id'] === 'open_long')).toEqual([expect.objectContaining({ tick: 60, edge: 'rising' })]);
  });

  it('a condition whose input pattern changed starts fresh even though its own text did not', () => {
    const p1 = `patterns:\n  - {id: hot, kind: expr, value: temp * 2}\n`;
    const p2 = `patterns:\n  - {id: hot, kind: expr, value: temp * 3}\n`;
    const cond = `  - {id: very_hot, when: 'held(hot > 30, 2s)'}\n  - {id: open_long, when: 'held(door > 0.5, 6s)'}\n`;
    const { carried } = carry(model(cond, p1), model(cond, p2), 10, 11);
    expect(carried.kept).toEqual(['open_long']);
    expect([...carried.fresh].sort()).toEqual(['hot', 'very_hot']);
  });
});
