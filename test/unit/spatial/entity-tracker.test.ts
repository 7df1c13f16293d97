import { describe, expect, it } from 'vitest';
import { PathsSignal } from '../../../src/sensors/mock/paths-signal.js';
import { EntityTracker, type ZoneLookup } from '../../../src/spatial/entity-tracker.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';

const S = 1_000_000;
const P = 100_000; // 10 Hz
const HALL = 0;
const DESK = 1;
const YARD = 2;
const NAMES = ['hall', 'desk', 'yard'];

/**
 * hall [0,10]x[0,10]; desk [2,4]x[2,4] nested in the hall; yard [10,20]x[0,10] sharing the hall's
 * x = 10 edge. Boundaries count as inside. Counts its queries so tests can see recomputation.
 */
class FakeZones implements ZoneLookup {
  readonly size = 3;
  queries = 0;
  private readonly rects = [
    [0, 0, 10, 10],
    [2, 2, 4, 4],
    [10, 0, 20, 10],
  ] as const;

  query(x: number, y: number, _z: number, out: Int32Array): number {
    this.queries++;
    let n = 0;
    this.rects.forEach(([x0, y0, x1, y1], i) => {
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1) out[n++] = i;
    });
    return n;
  }
}

/** This tick's events as `+zone id` / `-zone id`, zones in index order, enters first. */
function events(t: EntityTracker): string[] {
  const out: string[] = [];
  NAMES.forEach((name, z) => {
    for (const id of t.entered(z)) out.push(`+${name} ${id}`);
    for (const id of t.exited(z)) out.push(`-${name} ${id}`);
  });
  return out;
}

/** Everything a query can see at `tick`, for equivalence checks. */
function observe(t: EntityTracker, tick: number): unknown {
  const zs = [HALL, DESK, YARD];
  const ids = t.ids();
  return {
    version: t.version,
    rejected: t.rejected,
    ids,
    counts: zs.map((z) => t.countIn(z)),
    events: events(t),
    positions: ids.map((id) => t.position(id)),
    inZone: ids.map((id) => zs.map((z) => t.inZone(id, z))),
    dwell: ids.map((id) => zs.map((z) => t.dwellS(id, z, tick, P))),
  };
}

// a walks along y = 3 from x = 0 (t = 0) to x = 20 (t = 2 s): x = tick. It crosses the desk
// (x 2..4) and passes from the hall into the yard. b walks along y = 5 from x = 15 to x = 5 in 1 s:
// x = 15 - tick. Both stop reporting when their paths end (a at tick 20, b at tick 10).
const crossing = new PathsSignal({
  a: [
    [0, 0, 3],
    [2 * S, 20, 3],
  ],
  b: [
    [0, 15, 5],
    [1 * S, 5, 5],
  ],
});

function runCrossing(lastTick: number, staleTicks = 3): { tracker: EntityTracker; log: Map<number, string[]>; counts: Map<number, number[]> } {
  const tracker = new EntityTracker(new FakeZones(), staleTicks);
  const log = new Map<number, string[]>();
  const counts = new Map<number, number[]>();
  for (let tick = 0; tick <= lastTick; tick++) {
    tracker.update(tick, crossing.valueAt(tick * P) as unknown[]);
    const e = events(tracker);
    if (e.length > 0) log.set(tick, e);
    counts.set(tick, [HALL, DESK, YARD].map((z) => tracker.countIn(z)));
  }
  return { tracker, log, counts };
}

describe('EntityTracker: entities crossing zones', () => {
  it('enters and exits at the exact tick a path crosses a boundary; expiry exits after staleTicks', () => {
    const { log } = runCrossing(30);
    expect(Object.fromEntries(log)).toEqual({
      0: ['+hall a', '+yard b'], // first seen: entering where they are
      2: ['+desk a'], // x = 2: on the desk's edge
      5: ['+hall b', '-desk a'], // simultaneous: b reaches the hall's edge, a leaves the desk
      6: ['-yard b'],
      10: ['+yard a'], // x = 10: on the shared edge, in both
      11: ['-hall a'],
      14: ['-hall b'], // last seen at 10; 14 - 10 > 3
      24: ['-yard a'], // last seen at 20
    });
  });

  it.each([
    [0, [1, 0, 1]],
    [1, [1, 0, 1]],
    [2, [1, 1, 1]],
    [4, [1, 1, 1]],
    [5, [2, 0, 1]],
    [6, [2, 0, 0]],
    [10, [2, 0, 1]],
    [11, [1, 0, 1]],
    [13, [1, 0, 1]],
    [14, [0, 0, 1]],
    [23, [0, 0, 1]],
    [24, [0, 0, 0]],
    [30, [0, 0, 0]],
  ])('counts at tick %i are hall, desk, yard = %j', (tick, expected) => {
    expect(runCrossing(tick).counts.get(tick)).toEqual(expected);
  });

  it('one entity leaves one zone and enters another in the same tick', () => {
    const t = new EntityTracker(new FakeZones(), 5);
    t.update(0, [{ id: 'c', x: 9, y: 5 }]);
    t.update(1, [{ id: 'c', x: 11, y: 5 }]);
    expect(events(t)).toEqual(['-hall c', '+yard c']);
    expect([t.countIn(HALL), t.countIn(YARD)]).toEqual([0, 1]);
  });

  it('lists ids sorted, whatever the record order', () => {
    const t = new EntityTracker(new FakeZones(), 5);
    t.update(0, [
      { id: 'm', x: 1, y: 1 },
      { id: 'B', x: 1, y: 1 },
      { id: 'a', x: 1, y: 1 },
      { id: 10, x: 1, y: 1 },
    ]);
    expect(t.entered(HALL)).toEqual(['10', 'B', 'a', 'm']);
    expect(t.ids()).toEqual(['10', 'B', 'a', 'm']);
  });

  it('in_zone is 1/0 for a tracked entity and NaN for an unknown or expired one', () => {
    const { tracker } = runCrossing(3);
    expect([HALL, DESK, YARD].map((z) => tracker.inZone('a', z))).toEqual([1, 1, 0]);
    expect(tracker.inZone('b', YARD)).toBe(1);
    expect(tracker.inZone('nobody', HALL)).toBeNaN();
    expect(runCrossing(24).tracker.inZone('a', YARD)).toBeNaN();
  });

  it.each<[number, string, number, number]>([
    [2, 'a', DESK, 0], // the entering tick counts 0
    [4, 'a', DESK, 0.2],
    [5, 'a', DESK, NaN], // left
    [10, 'a', HALL, 1.0],
    [10, 'a', YARD, 0],
    [9, 'b', HALL, 0.4], // entered at 5
    [9, 'nobody', HALL, NaN],
  ])('dwell at tick %i of %s in zone %i is %d s', (tick, id, zone, seconds) => {
    const { tracker } = runCrossing(tick);
    if (Number.isNaN(seconds)) expect(tracker.dwellS(id, zone, tick, P)).toBeNaN();
    else expect(tracker.dwellS(id, zone, tick, P)).toBeCloseTo(seconds, 12);
  });

  it('keeps position (z NaN in 2-D) and forgets it at expiry', () => {
    const t = new EntityTracker(new FakeZones(), 0);
    t.update(0, [{ id: 'p', x: 1, y: 2 }, { id: 'q', x: 3, y: 4, z: 1.5 }]);
    expect(t.position('p')).toEqual({ x: 1, y: 2, z: NaN });
    expect(t.position('q')).toEqual({ x: 3, y: 4, z: 1.5 });
    t.update(1, [{ id: 'q', x: 3, y: 4, z: 1.5 }]);
    expect(t.position('p')).toBeUndefined(); // staleTicks 0: one missed tick expires
    expect(t.ids()).toEqual(['q']);
  });

  it('an entity that comes back after expiring enters again', () => {
    const t = new EntityTracker(new FakeZones(), 1);
    t.update(0, [{ id: 'r', x: 1, y: 1 }]);
    t.update(1, undefined);
    expect(events(t)).toEqual([]);
    t.update(2, null);
    expect(events(t)).toEqual(['-hall r']);
    t.update(3, [{ id: 'r', x: 1, y: 1 }]);
    expect(events(t)).toEqual(['+hall r']);
    expect(t.dwellS('r', HALL, 5, P)).toBeCloseTo(0.2, 12);
  });

  it('the later of two records for one id in one tick wins', () => {
    const t = new EntityTracker(new FakeZones(), 1);
    t.update(0, [{ id: 'd', x: 3, y: 3 }, { id: 'd', x: 15, y: 5 }]);
    expect(events(t)).toEqual(['+yard d']);
    expect(t.position('d')).toEqual({ x: 15, y: 5, z: NaN });
  });

  it('accepts a single record as a batch of one', () => {
    const t = new EntityTracker(new FakeZones(), 1);
    t.update(0, { id: 's', x: 3, y: 3 });
    expect(events(t)).toEqual(['+hall s', '+desk s']);
  });

  it('recomputes membership only for entities that moved', () => {
    const zones = new FakeZones();
    const t = new EntityTracker(zones, 5);
    const still = { id: 'still', x: 1, y: 1 };
    t.update(0, [still, { id: 'mover', x: 1, y: 1 }]);
    expect(zones.queries).toBe(2);
    t.update(1, [still, { id: 'mover', x: 1.5, y: 1 }]);
    expect(zones.queries).toBe(3);
    t.update(2, [still, { id: 'mover', x: 1.5, y: 1 }]);
    expect(zones.queries).toBe(3);
  });

  it('bumps version only when something observable changed', () => {
    const t = new EntityTracker(new FakeZones(), 5);
    const versions: number[] = [];
    const step = (tick: number, records: unknown): void => {
      t.update(tick, records);
      versions.push(t.version);
    };
    step(0, [{ id: 'v', x: 1, y: 1 }]); // new entity, entered
    step(1, [{ id: 'v', x: 1, y: 1 }]); // last tick's events cleared
    step(2, [{ id: 'v', x: 1, y: 1 }]); // nothing
    step(3, [{ id: 'v', x: 2, y: 1 }, { bad: true }]); // moved inside the hall; a rejected record is not observable
    step(4, [{ id: 'v', x: 2, y: 1 }]); // nothing
    expect(versions).toEqual([1, 2, 2, 3, 3]);
  });

  it('never mutates an events array handed out earlier', () => {
    const t = new EntityTracker(new FakeZones(), 5);
    t.update(0, [{ id: 'e', x: 1, y: 1 }]);
    const entered = t.entered(HALL);
    t.update(1, [{ id: 'e', x: 15, y: 1 }]);
    t.update(2, [{ id: 'e', x: 1, y: 1 }, { id: 'f', x: 1, y: 1 }]);
    expect(entered).toEqual(['e']);
    expect(t.entered(HALL)).toEqual(['e', 'f']);
  });

  it('refuses zone indices out of range and a negative staleTicks', () => {
    const t = new EntityTracker(new FakeZones(), 5);
    expect(() => t.countIn(3)).toThrow(RangeError);
    expect(() => t.entered(-1)).toThrow(RangeError);
    expect(() => new EntityTracker(new FakeZones(), -1)).toThrow(RangeError);
  });
});

describe('EntityTracker: malformed records', () => {
  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 5],
    ['a string', 'a'],
    ['an array', ['a', 1, 2]],
    ['no id', { x: 1, y: 1 }],
    ['an empty id', { id: '', x: 1, y: 1 }],
    ['a boolean id', { id: true, x: 1, y: 1 }],
    ['a NaN id', { id: NaN, x: 1, y: 1 }],
    ['a string x', { id: 'a', x: '1', y: 1 }],
    ['no y', { id: 'a', x: 1 }],
    ['an infinite x', { id: 'a', x: Infinity, y: 1 }],
    ['a string z', { id: 'a', x: 1, y: 1, z: '2' }],
    ['a NaN z', { id: 'a', x: 1, y: 1, z: NaN }],
  ])('skips and counts %s, and keeps going', (_what, bad) => {
    const t = new EntityTracker(new FakeZones(), 5);
    expect(() => t.update(0, [bad, { id: 'ok', x: 1, y: 1 }])).not.toThrow();
    expect(t.rejected).toBe(1);
    expect(t.ids()).toEqual(['ok']);
  });

  it('counts a value that is neither an array nor a record as one rejected record', () => {
    const t = new EntityTracker(new FakeZones(), 5);
    t.update(0, 'garbage');
    t.update(1, 42);
    expect(t.rejected).toBe(2);
    expect(t.ids()).toEqual([]);
  });

  it('accepts numeric ids, null z and extra keys', () => {
    const t = new EntityTracker(new FakeZones(), 5);
    t.update(0, [{ id: 7, x: 1, y: 1, z: null, battery: 0.8 }]);
    expect(t.rejected).toBe(0);
    expect(t.inZone('7', HALL)).toBe(1);
    expect(t.position('7')).toEqual({ x: 1, y: 1, z: NaN });
  });
});

describe('EntityTracker: snapshot and restore', () => {
  it.each([4, 5, 7, 12])('a tracker restored after tick %i behaves exactly like the original', (cut) => {
    const original = new EntityTracker(new FakeZones(), 3);
    const records = (tick: number): unknown[] => [...(crossing.valueAt(tick * P) as unknown[]), { id: 'junk' }];
    for (let tick = 0; tick <= cut; tick++) original.update(tick, records(tick));
    const restored = new EntityTracker(new FakeZones(), 3);
    restored.restore(jsonRoundTrip(original.snapshot()));
    expect(observe(restored, cut)).toEqual(observe(original, cut));
    for (let tick = cut + 1; tick <= 30; tick++) {
      original.update(tick, records(tick));
      restored.update(tick, records(tick));
      expect(observe(restored, tick)).toEqual(observe(original, tick));
    }
    expect(restored.snapshot()).toEqual(original.snapshot());
  });

  it('snapshots plain JSON, entities sorted by id', () => {
    const t = new EntityTracker(new FakeZones(), 3);
    t.update(4, [{ id: 'z', x: 3, y: 3, z: 1 }, { id: 'a', x: 15, y: 5 }]);
    expect(t.snapshot()).toEqual({
      zoneCount: 3,
      version: 1,
      rejected: 0,
      entities: [
        { id: 'a', x: 15, y: 5, z: null, seenTick: 4, zones: [[YARD, 4]] },
        { id: 'z', x: 3, y: 3, z: 1, seenTick: 4, zones: [[HALL, 4], [DESK, 4]] },
      ],
      events: [
        [HALL, ['z'], []],
        [DESK, ['z'], []],
        [YARD, ['a'], []],
      ],
    });
  });

  it.each<[string, unknown, string]>([
    ['another zone count', { zoneCount: 2, version: 0, rejected: 0, entities: [], events: [] }, 'taken with 2 zones'],
    ['not an object', 'nope', 'bad entity tracker snapshot'],
    ['a zone out of range', { zoneCount: 3, version: 0, rejected: 0, entities: [{ id: 'a', x: 0, y: 0, z: null, seenTick: 0, zones: [[3, 0]] }], events: [] }, 'entities[0].zones[0]'],
    ['duplicate ids', { zoneCount: 3, version: 0, rejected: 0, entities: [{ id: 'a', x: 0, y: 0, z: null, seenTick: 0, zones: [] }, { id: 'a', x: 0, y: 0, z: null, seenTick: 0, zones: [] }], events: [] }, 'duplicate id'],
  ])('refuses a snapshot with %s', (_what, state, message) => {
    expect(() => new EntityTracker(new FakeZones(), 3).restore(state)).toThrow(message);
  });
});
