/**
 * Engine.step applies good readings of healthy plain numeric sensors itself, off typed arrays
 * (SensorRuntime.plainOk); everything else goes through SensorRuntime.apply. The two must keep
 * one truth: the last good tick (age(), stale_after), health records, and state across restore.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/runtime/simulation.js';
import { brief, modelOf, simRecords } from '../../helpers/simulate.js';

const YAML = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - id: s
    kind: mock
    stale_after: 1s
    signal: {sine: {mean: 20, amplitude: 5, period: 8s}}
    faults:
      - {at: 5s, for: 500ms, mode: timeout}
      - {at: 8s, for: 3s, mode: error}
conditions:
  - {id: old, when: age(s) > 0.35 s}
  - {id: gone, when: not known(s)}
`;

describe('the sensor fast path', () => {
  it('keeps the last good tick for age() and stale_after while readings take it', () => {
    expect(brief(simRecords(YAML, { durationS: 14 })).filter((l) => !l.includes(' action '))).toEqual([
      '5 sensor s stale',
      // Good until 4.9 s: age 0.4 s > 0.35 s at 5.3 s.
      '5.3 edge old rising',
      '5.5 sensor s recovered',
      '5.5 edge old falling',
      '8 sensor s stale',
      '8.3 edge old rising',
      // Last good at 7.9 s; unknown once older than 1 s.
      '9 sensor s unknown',
      '9 edge gone rising',
      '11 sensor s recovered',
      '11 edge old falling',
      '11 edge gone falling',
    ]);
  });

  it('reports the last tick as the last good one while readings take it (snapshot, age)', () => {
    const sim = new Simulation(modelOf(YAML));
    for (let k = 0; k < 30; k++) sim.tick([]);
    const sensor = sim.engine.sensors[0];
    expect(sensor?.lastGoodTick).toBe(29);
    expect((sim.snapshot().engine as { sensors: Array<{ lastGoodTick: number }> }).sensors[0]?.lastGoodTick).toBe(29);
    // The timeout from 5 s: the last good tick stays 49 however long the fault lasts.
    for (let k = 30; k < 53; k++) sim.tick([]);
    expect(sensor?.lastGoodTick).toBe(49);
  });

  it('is resumed after a restore, wherever the sensor was', () => {
    const whole = new Simulation(modelOf(YAML));
    const log: Parameters<Simulation['tick']>[0] = [];
    for (let k = 0; k < 140; k++) whole.tick(log);
    for (const at of [30, 52, 85, 95, 112]) {
      const a = new Simulation(modelOf(YAML));
      const out: Parameters<Simulation['tick']>[0] = [];
      for (let k = 0; k < at; k++) a.tick(out);
      // b has run on its own first: its sensor is on the fast path when the state arrives.
      const b = new Simulation(modelOf(YAML));
      for (let k = 0; k < 20; k++) b.tick([]);
      b.restore(JSON.parse(JSON.stringify(a.snapshot())) as ReturnType<Simulation['snapshot']>);
      for (let k = at; k < 140; k++) b.tick(out);
      expect(out, `restored at tick ${at}`).toEqual(log);
    }
  });
});
