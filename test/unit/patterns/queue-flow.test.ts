/**
 * queue_flow (issue 3 item 5): length, arrival and service rates per minute over a sliding window,
 * wait by Little's law; rates decay as the window slides; lazy recording equals per-tick recording.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ticksAtLeast } from '../../../src/conditions/temporal-op.js';
import { QueueFlow } from '../../../src/patterns/queue-flow.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';

/** 10 Hz and a 60 s window: 600 ticks, and a count in the window is directly a rate per minute. */
const P10_US = 100_000;
const W60 = ticksAtLeast(60_000_000, P10_US);

type Outputs = [length: number, arrivalRate: number, serviceRate: number, waitS: number, ignored: number];
const outputs = (q: QueueFlow): Outputs => [q.length, q.arrivalRate, q.serviceRate, q.waitS, q.ignoredDepartures];

describe('QueueFlow', () => {
  it('a 60 s window at 10 Hz is 600 ticks', () => {
    expect(W60).toBe(600);
  });

  /*
   * Arrivals at t = 0, 1, 2 s (ticks 0, 10, 20); one departure at t = 5 s (tick 50).
   * Tick 0 leaves the window at tick 600 (t_k - 60 s < t_j fails from t = 60 s), tick 10 at 610,
   * tick 20 at 620, the departure at 650. Wait = length / (service / 60 s) = 2 / (1 / 60) = 120 s.
   */
  const table: Array<[tick: number, arrivals: number, departures: number, expected: Outputs, nextDue: number]> = [
    [0, 1, 0, [1, 1, 0, NaN, 0], 600],
    [10, 1, 0, [2, 2, 0, NaN, 0], 600],
    [20, 1, 0, [3, 3, 0, NaN, 0], 600],
    [50, 0, 1, [2, 3, 1, 120, 0], 600],
    [599, 0, 0, [2, 3, 1, 120, 0], 600],
    [600, 0, 0, [2, 2, 1, 120, 0], 610],
    [610, 0, 0, [2, 1, 1, 120, 0], 620],
    [620, 0, 0, [2, 0, 1, 120, 0], 650],
    [649, 0, 0, [2, 0, 1, 120, 0], 650],
    [650, 0, 0, [2, 0, 0, NaN, 0], Infinity],
    [700, 0, 0, [2, 0, 0, NaN, 0], Infinity],
  ];

  it('rates over the window, decaying to 0 once it has passed; wait unknown while service is 0', () => {
    const q = new QueueFlow(W60, P10_US);
    expect(outputs(q)).toEqual([0, 0, 0, NaN, 0]);
    expect(q.nextDue(0)).toBe(Infinity);
    for (const [tick, a, d, expected, due] of table) {
      q.record(tick, a, d);
      expect([tick, ...outputs(q)]).toEqual([tick, ...expected]);
      expect([tick, q.nextDue(tick)]).toEqual([tick, due]);
    }
  });

  it('per-tick recording gives the same table', () => {
    const q = new QueueFlow(W60, P10_US);
    const byTick = new Map(table.map((row) => [row[0], row]));
    for (let k = 0; k <= 700; k++) {
      const row = byTick.get(k);
      q.record(k, row?.[1] ?? 0, row?.[2] ?? 0);
      if (row !== undefined) expect([k, ...outputs(q)]).toEqual([k, ...row[3]]);
    }
  });

  it('a departure from an empty queue is ignored and counted, and is not service', () => {
    const q = new QueueFlow(W60, P10_US);
    q.record(0, 0, 1);
    expect(outputs(q)).toEqual([0, 0, 0, NaN, 1]);
    expect(q.nextDue(0)).toBe(Infinity);
    q.record(5, 1, 3);
    expect(outputs(q)).toEqual([0, 1, 1, 0, 3]);
  });

  it('arrivals count before departures within a tick', () => {
    const q = new QueueFlow(W60, P10_US);
    q.record(3, 2, 1);
    expect(outputs(q)).toEqual([1, 2, 1, 60, 0]);
  });

  it('rates are per minute whatever the window: 30 s window at 10 Hz, 4 arrivals = 8/min', () => {
    const q = new QueueFlow(ticksAtLeast(30_000_000, P10_US), P10_US);
    q.record(0, 2, 0);
    q.record(1, 2, 1);
    // Wait: length 3 / (service 2/min / 60) = 90 s.
    expect(outputs(q)).toEqual([3, 8, 2, 90, 0]);
    q.record(300, 0, 0);
    expect(outputs(q)).toEqual([3, 4, 2, 90, 0]);
    q.record(301, 0, 0);
    expect(outputs(q)).toEqual([3, 0, 0, NaN, 0]);
  });

  it('a second record for the same tick adds to it; an earlier tick is ignored', () => {
    const q = new QueueFlow(10, P10_US);
    q.record(5, 1, 0);
    q.record(5, 1, 1);
    q.record(4, 9, 9);
    // A 1 s window: 2 arrivals = 120/min, 1 departure = 60/min = 1/s, so the wait is 1 / 1 = 1 s.
    expect(outputs(q)).toEqual([1, 2 * 60, 1 * 60, 1, 0]);
    q.record(15, 0, 0);
    expect(outputs(q)).toEqual([1, 0, 0, NaN, 0]);
  });

  it('unknown or negative counts are no events', () => {
    const q = new QueueFlow(W60, P10_US);
    q.record(0, NaN, -1);
    q.record(1, Infinity, NaN);
    expect(outputs(q)).toEqual([0, 0, 0, NaN, 0]);
    expect(q.nextDue(1)).toBe(Infinity);
  });

  it('refuses a window shorter than one tick', () => {
    expect(() => new QueueFlow(0, P10_US)).toThrow(/at least one tick/);
    expect(() => new QueueFlow(1.5, P10_US)).toThrow(/at least one tick/);
  });

  it('reset forgets everything', () => {
    const q = new QueueFlow(W60, P10_US);
    q.record(0, 3, 1);
    q.record(1, 0, 5);
    q.reset();
    expect(outputs(q)).toEqual([0, 0, 0, NaN, 0]);
    expect(q.nextDue(1)).toBe(Infinity);
  });

  /** Random event streams over a few windows: arrivals and departures 0..3 on some ticks. */
  const streams = fc.record({
    window: fc.integer({ min: 1, max: 40 }),
    events: fc.array(
      fc.tuple(fc.integer({ min: 0, max: 150 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
      { maxLength: 60 },
    ),
  });
  const N = 200;

  function eventsByTick(events: Array<[number, number, number]>): Map<number, [number, number]> {
    const m = new Map<number, [number, number]>();
    for (const [k, a, d] of events) {
      const prev = m.get(k) ?? [0, 0];
      m.set(k, [prev[0] + a, prev[1] + d]);
    }
    return m;
  }

  /** Outputs at every tick when recording every tick. */
  function perTick(window: number, byTick: Map<number, [number, number]>): Outputs[] {
    const q = new QueueFlow(window, P10_US);
    const out: Outputs[] = [];
    for (let k = 0; k < N; k++) {
      const [a, d] = byTick.get(k) ?? [0, 0];
      q.record(k, a, d);
      out.push(outputs(q));
    }
    return out;
  }

  it('lazy recording (only ticks with events and ticks nextDue asks for) equals per-tick recording', () => {
    fc.assert(
      fc.property(streams, ({ window, events }) => {
        const byTick = eventsByTick(events);
        const expected = perTick(window, byTick);
        const q = new QueueFlow(window, P10_US);
        let due = 0;
        let last = outputs(q);
        for (let k = 0; k < N; k++) {
          const ev = byTick.get(k);
          if (ev !== undefined || k >= due) {
            q.record(k, ev?.[0] ?? 0, ev?.[1] ?? 0);
            due = q.nextDue(k);
            last = outputs(q);
          }
          // Outputs held between evaluations must be what per-tick recording shows.
          expect([k, ...last]).toEqual([k, ...(expected[k] ?? [])]);
        }
      }),
    );
  });

  it('snapshot / restore through JSON at any tick continues exactly like the uninterrupted run', () => {
    fc.assert(
      fc.property(streams, fc.integer({ min: 0, max: N - 1 }), ({ window, events }, cut) => {
        const byTick = eventsByTick(events);
        const expected = perTick(window, byTick);
        let q = new QueueFlow(window, P10_US);
        for (let k = 0; k < N; k++) {
          const [a, d] = byTick.get(k) ?? [0, 0];
          q.record(k, a, d);
          if (k === cut) {
            const restored = new QueueFlow(window, P10_US);
            restored.record(3, 5, 0);
            restored.restore(jsonRoundTrip(q.snapshot()));
            expect(restored.nextDue(k)).toBe(q.nextDue(k));
            q = restored;
          }
          expect([k, ...outputs(q)]).toEqual([k, ...(expected[k] ?? [])]);
        }
      }),
    );
  });

  it('the ring grows past its first size and keeps order (busy window)', () => {
    const q = new QueueFlow(W60, P10_US);
    for (let k = 0; k < 100; k++) q.record(k, 1, k % 2);
    expect(outputs(q)).toEqual([50, 100, 50, 60, 0]);
    q.record(650, 0, 0);
    // Ticks 51..99 remain: 49 arrivals, departures at the 24 odd ticks 51..97 plus 99 = 25.
    expect(outputs(q)).toEqual([50, 49, 25, 120, 0]);
    expect(q.nextDue(650)).toBe(651);
  });
});
