import { describe, expect, it } from 'vitest';
import { Simulation } from '../../../src/runtime/simulation.js';
import { simLog, modelOf } from '../../helpers/simulate.js';

/** Operators the random deployments of the property test do not generate, on every kind of input. */
const YAML = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - id: t
    kind: mock
    unit: degF
    signal: {sine: {mean: 70, amplitude: 20, period: 7s}}
  - id: u
    kind: mock
    unit: degC
    signal: {steps: [[0, 20], [1s, 0], [2s, -5], [3s, 31], [4.5s, 20]]}
    faults: [{at: 5s, for: 1s, mode: nan}]
  - id: b
    kind: mock
    type: boolean
    signal: {steps: [[0, false], [1.2s, true], [2.5s, false], [3.1s, true], [6s, false], [8s, true]]}
  - id: v
    kind: mock
    signal: {steps: [[0, 2], [1s, 0], [2s, -3], [3s, 0.5], [7s, 25]]}
  - id: mode
    kind: mock
    type: string
    signal: {steps: [[0, "eco"], [4s, "boost"]]}
patterns:
  - id: spread
    kind: expr
    value: t - u
  - id: ratio
    kind: expr
    value: (v + 1) / v
conditions:
  - {id: neg, when: -u < -10 degC}
  - {id: div, when: ratio > 1.04}
  - {id: conv, when: t > 25 degC and u <= 68 degF}
  - {id: diff, when: spread > 40 degF}
  - {id: hyst_units, when: "hysteresis(t, 20 degC, 25 degC)"}
  - {id: hyst_series, when: "hysteresis(u, u - 1, t)"}
  - {id: beq, when: b == (u > 10)}
  - {id: bne, when: b != true}
  - {id: eq_tol, when: u * 0.1 == 2 or u == 31}
  - {id: ne, when: u != 20}
  - {id: not_known, when: not known(u) or not b}
  - {id: string_eq, when: mode == "boost"}
  - {id: seq_stays, when: "seq(b, u > 25, 5s)"}
  - {id: rose_inside, when: "held(rose(b) or u > 25, 200ms)"}
  - {id: within_and, when: "within(b, 1s) and held(u > 10, 1s)"}
  - {id: windows, when: "max(u, 2s) - min(u, 2s) > 10 and avg(u, 1s) < 25 and rate(t, 1s) > 0"}
`;

describe('flat programs', () => {
  it('lower what they know and leave the rest on closures', () => {
    const s = new Simulation(modelOf(YAML));
    const lowered = new Map(s.engine.nodes.map((n) => [n.id, n.program >= 0] as const));
    expect(Object.fromEntries(lowered)).toEqual({
      spread: true,
      ratio: true,
      neg: true,
      div: true,
      conv: true,
      diff: true,
      hyst_units: true,
      hyst_series: true,
      beq: true,
      bne: true,
      eq_tol: true,
      ne: true,
      // known() and string equality are stateless: closures run from inside the program.
      not_known: true,
      string_eq: true,
      // Operators the programs do not hold keep the whole node on its closures.
      seq_stays: false,
      rose_inside: false,
      within_and: true,
      windows: true,
    });
    // A node on its program keeps no operator objects: its state lives in the programs.
    for (const n of s.engine.nodes) if (n.program >= 0) expect(n.ops).toEqual([]);
  });

  it.each(['poll', 'event'] as const)('log exactly what closures log (%s)', (mode) => {
    const programs = simLog(YAML, { durationS: 12, mode });
    expect(programs).toBe(simLog(YAML, { durationS: 12, mode, closures: true }));
    // Not vacuous: most conditions have edges.
    const ids = new Set([...programs.matchAll(/"type":"edge","id":"([a-z_]+)"/g)].map((m) => m[1]));
    expect(ids.size).toBeGreaterThanOrEqual(14);
  });
});

describe('a window compared with a constant, event-driven', () => {
  const yaml = (when: string): string => `version: 1
runtime: {tick_rate: 10 Hz, mode: event}
sensors:
  - id: s
    kind: mock
    signal: {steps: [[0, 10], [20s, 30], [40s, 12], [60s, 50], [80s, 10]]}
conditions:
  - {id: c, when: "${when}"}
`;

  it('sleeps until the average could reach the threshold, and logs what polling logs', () => {
    const when = 'avg(s, 30s) > 20';
    const event = new Simulation(modelOf(yaml(when)));
    const out: Parameters<Simulation['tick']>[0] = [];
    // While the window fills (the first 30 s) the node runs every tick; then it may sleep.
    for (let k = 0; k < 300; k++) event.tick(out);
    const filled = event.engine.evaluations;
    for (let k = 300; k < 1000; k++) event.tick(out);
    const poll = simLog(yaml(when), { durationS: 100, mode: 'poll' });
    expect(out.map((r) => JSON.stringify(r)).join('\n')).toContain('"edge":"rising"');
    expect(simLog(yaml(when), { durationS: 100 })).toBe(poll);
    // The window moves on every one of those 700 ticks but the last 50 (30 s after each step),
    // yet the bound lets the node sleep through most of them: it evaluates 49 times here.
    expect(event.engine.evaluations - filled).toBeLessThan(100);
    expect(simLog(yaml(when), { durationS: 100, closures: true })).toBe(poll);
  });
});
