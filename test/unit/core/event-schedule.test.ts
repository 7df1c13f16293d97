/**
 * Event mode runs a node when an input changed (a bit set by the wake) or when a deadline of its
 * operators falls due (a timer wheel of WHEEL = 256 ticks). Deadlines a lap or more ahead, ticks
 * that do not follow each other, and a restore must all run exactly what polling runs.
 */
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/core/event-record.js';
import { tickTimeUs } from '../../../src/conditions/temporal-op.js';
import { Simulation } from '../../../src/runtime/simulation.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';
import { modelOf, simLog, withMode } from '../../helpers/simulate.js';

const YAML = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - id: s
    kind: mock
    signal: {square: {low: 0, high: 10, period: 200s, duty: 0.5}}
  - id: t
    kind: mock
    signal: {sine: {mean: 5, amplitude: 5, period: 37s}}
conditions:
  # Deadlines 300, 700 and 1,000 ticks ahead: more than a lap of the wheel.
  - {id: long_hold, when: "held(s > 5, 30s)"}
  - {id: longer_hold, when: "held(s > 5, 70s)"}
  - {id: recent, when: "within(s > 5, 100s)"}
  - {id: avg_high, when: "avg(t, 2min) > 5.2"}
  - {id: both, when: "held(t > 8, 3s) and s > 5"}
`;

describe('event-mode schedule', () => {
  it('runs deadlines more than a lap of the timer wheel ahead on their tick', () => {
    const event = simLog(YAML, { durationS: 900, mode: 'event' });
    expect(event).toBe(simLog(YAML, { durationS: 900, mode: 'poll' }));
    expect(event.split('\n').filter((l) => l.includes('"id":"longer_hold"')).length).toBeGreaterThan(2);
  });

  it('gives the polling log when the ticks jump (a resume gap) and after a restore', () => {
    const run = (mode: 'event' | 'poll'): EventRecord[] => {
      let sim = new Simulation(withMode(modelOf(YAML), mode), { seed: 1 });
      const out: EventRecord[] = [];
      while (sim.tickIndex < 4000) {
        // Ticks 2100-2399 never run (as after a downtime), with long_hold due at 2300 and no
        // input changing at 2400: it must still run there.
        if (sim.tickIndex === 2100) sim.tickIndex = 2400;
        if (sim.tickIndex === 3000) {
          const copy = new Simulation(withMode(modelOf(YAML), mode), { seed: 1 });
          copy.restore(jsonRoundTrip<ReturnType<Simulation['snapshot']>>(sim.snapshot()));
          sim = copy;
        }
        const frame = sim.sampler.sample(tickTimeUs(sim.tickIndex, sim.periodUs));
        out.push(...sim.engine.step(frame, sim.tickIndex).records);
        sim.tickIndex++;
      }
      return out;
    };
    const event = run('event');
    expect(event).toEqual(run('poll'));
    expect(event.find((r) => r.id === 'long_hold' && r.tick >= 2400)).toMatchObject({ tick: 2400, edge: 'rising' });
  });
});
