import { describe, expect, it } from 'vitest';
import { engineBuffers } from '../../../src/profiler/engine-memory.js';
import { Simulation } from '../../../src/runtime/simulation.js';
import { modelOf, simLog } from '../../helpers/simulate.js';
import { SeriesBuffer } from '../../../src/conditions/series-buffer.js';
import { WindowSumOp } from '../../../src/conditions/window-sum-op.js';
import { makeWindow, WINDOW_KINDS } from './helpers.js';

/**
 * Four thresholds on one average (three in event mode: two of them compare it with a constant
 * and sleep until it could cross, sharing the window's low/high of each tick), and a window on a
 * stateful series.
 */
const YAML = `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - id: s
    kind: mock
    signal: {steps: [[0, 4], [3s, 7], [3.3s, 2], [6s, 9], [9s, 9.5], [12s, 4]]}
    faults: [{at: 14s, for: 1s, mode: nan}]
conditions:
  - {id: warn, when: "avg(s, 5s) > 5", mode: poll}
  - {id: alarm, when: "avg(s, 5s) > 7", mode: event}
  - {id: exact, when: "avg(s, 5s) == 4", mode: event}
  - {id: low, when: "avg(s, 5s) < 3.5", mode: event}
  - {id: other_length, when: "avg(s, 2s) > 5"}
  - {id: rises, when: "count(rose(s > 5), 10s) >= 2"}
  - {id: rises_again, when: "count(rose(s > 5), 10s) >= 1"}
`;

describe('windows shared between nodes', () => {
  it('one window per function, length and stateless series; stateful series keep their own', () => {
    const sim = new Simulation(modelOf(YAML));
    // avg(s, 5s) and avg(s, 2s) over one series each; each count(rose(...)) its own.
    expect(engineBuffers(sim.engine).seriesBuffers).toBe(4);
    const alone = new Simulation(modelOf(YAML.replace(/\n {2}- \{id: (alarm|exact|low).*/g, '')));
    expect(engineBuffers(alone.engine).seriesBuffers).toBe(4);
  });

  it('log what unshared windows log, whatever mode each reader runs in', () => {
    const shared = simLog(YAML, { durationS: 20 });
    expect(shared).toBe(simLog(YAML, { durationS: 20, mode: 'poll' }));
    expect(shared).toBe(simLog(YAML, { durationS: 20, mode: 'event' }));
    // Each condition alone has the window to itself: the same edges as when shared.
    for (const id of ['warn', 'alarm', 'exact', 'low']) {
      const only = YAML.replace(new RegExp(`\\n  - \\{id: (?!${id}\\b)[a-z_]+, when: "avg\\(s, 5s\\).*`, 'g'), '');
      const edges = (log: string): string[] => log.split('\n').filter((l) => l.includes(`"id":"${id}"`) && l.includes('"type":"edge"'));
      expect(edges(simLog(only, { durationS: 20 })), id).toEqual(edges(shared));
      expect(edges(shared).length, id).toBeGreaterThan(0);
    }
  });
});

describe('a window updated twice in a tick (two readers)', () => {
  it.each(WINDOW_KINDS)('%s: the second update changes nothing, to the bit', (kind) => {
    // Values inexact in binary, so an incremental sum and one recomputed from the runs differ.
    const xs = Array.from({ length: 200 }, (_, k) => [0.1, 0.7, 0.2, 0.3, 1e-3, 0.1][Math.floor(k / 3) % 6] as number);
    const once = makeWindow(kind, 20);
    const twice = makeWindow(kind, 20);
    xs.forEach((x, k) => {
      const a = once.step(k, x);
      twice.step(k, x);
      // toBe compares with Object.is: the same double, NaN included.
      expect(twice.op.eval(k), `${kind} at tick ${k}`).toBe(a);
    });
  });
});

describe('a sum window that sleeps through ticks (event mode) and catches up', () => {
  it.each(['sum', 'avg', 'count'] as const)('%s: the same bits as one updated every tick', (kind) => {
    // A series of inexact values that changes every few ticks; the sleeper is updated where the
    // value changes (as a woken node is) and at a few other ticks, never in between.
    const xs: number[] = [];
    let v = 0.1;
    for (let k = 0; k < 400; k++) {
      if (k % 7 === 0 || k % 11 === 0) v = [0.1, 0.7, 0.2, 0.3, 1e-3, 1 / 3][(k * 5) % 6] as number;
      xs.push(kind === 'count' ? (v > 0.25 ? 1 : 0) : v);
    }
    const every = makeWindow(kind, 30);
    const sleeper = makeWindow(kind, 30);
    let woken = 0;
    xs.forEach((x, k) => {
      const want = every.step(k, x);
      if (k > 0 && x === xs[k - 1] && k % 13 !== 0) return;
      woken++;
      expect(sleeper.step(k, x), `${kind} at tick ${k}`).toBe(want);
    });
    expect(woken).toBeLessThan(300);
  });
});

describe('sum windows sharing one series buffer, read on different ticks', () => {
  it.each(['sum', 'avg', 'count'] as const)('%s: each has the bits of a window of its own updated every tick', (kind) => {
    // Inexact values in runs of varying length, some longer than either window, some unknown.
    const xs: number[] = [];
    let v = 0.1;
    for (let k = 0; k < 1500; k++) {
      // Magnitudes far apart, so that sums reached by different roundings differ in their bits.
      if (k % 7 === 0 || k % 11 === 0 || k % 97 === 0) v = [0.1, 0.7, NaN, 1e6 + 0.3, 1e-3, 1 / 3, 123.456][(k * 5) % 7] as number;
      if (k >= 600 && k < 800) v = 0.7;
      xs.push(kind === 'count' ? (v !== v ? NaN : v > 0.25 ? 1 : 0) : v);
    }
    // Sized as the compiler sizes a buffer for its longest window.
    const buffer = new SeriesBuffer(50 + 2);
    const long = new WindowSumOp(buffer, 50, kind);
    const short = new WindowSumOp(buffer, 30, kind);
    const alone = { long: makeWindow(kind, 50), short: makeWindow(kind, 30) };
    xs.forEach((x, k) => {
      const wantLong = alone.long.step(k, x);
      const wantShort = alone.short.step(k, x);
      // Both read where the value changes (event mode wakes every reader of a changed input);
      // besides, the long one at a few ticks of its own, the short one on stretches of
      // consecutive ticks (as a polled reader does), while the long one sleeps on.
      const changed = k === 0 || !Object.is(x, xs[k - 1]);
      const readLong = changed || k % 17 === 0;
      const readShort = changed || k % 29 < 6;
      if (readLong || readShort) buffer.record(k, x);
      if (readLong) expect(long.eval(k), `long ${kind} at tick ${k}`).toBe(wantLong);
      if (readShort) expect(short.eval(k), `short ${kind} at tick ${k}`).toBe(wantShort);
    });
  });
});
