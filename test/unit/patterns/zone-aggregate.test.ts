/**
 * zone_aggregate (issue 3 item 2): avg/min/max/count/stale_count of the known members, converted
 * to one unit; unknown members drop out instead of poisoning the aggregate.
 */
import { describe, expect, it } from 'vitest';
import {
  AGG_AVG,
  AGG_COUNT,
  AGG_MAX,
  AGG_MIN,
  AGG_STALE_COUNT,
  AGGREGATE_FIELDS,
  AGGREGATE_WIDTH,
  aggregateInto,
} from '../../../src/patterns/zone-aggregate.js';

const ID = [0, 1, 0];
/** degF -> degC (absolute): (x - 32) * 5/9. */
const F_TO_C = [-32, 5 / 9, 0];

interface Member {
  slot: number;
  conv: number[];
  stale?: boolean;
}

function run(values: number[], members: Member[], out = new Float64Array(AGGREGATE_WIDTH)): number[] {
  aggregateInto(
    Float64Array.from(values),
    Int32Array.from(members.map((m) => m.slot)),
    Float64Array.from(members.flatMap((m) => m.conv)),
    out,
    Uint8Array.from(members.map((m) => (m.stale === true ? 1 : 0))),
  );
  return Array.from(out);
}

describe('aggregateInto', () => {
  it('lays out its output as avg, min, max, count, stale_count', () => {
    expect(AGGREGATE_FIELDS).toEqual(['avg', 'min', 'max', 'count', 'stale_count']);
    expect([AGG_AVG, AGG_MIN, AGG_MAX, AGG_COUNT, AGG_STALE_COUNT]).toEqual([0, 1, 2, 3, 4]);
  });

  // Slots: 0 = 21 degC, 1 = unknown, 2 = 68 degF (= 20 degC), 3 = 19.5 degC held while stale,
  // 4 = 95 degF (= 35 degC), 5 = not a member of the zone.
  const values = [21, NaN, 68, 19.5, 95, 1000];
  const table: Array<[string, Member[], number[]]> = [
    ['one member', [{ slot: 0, conv: ID }], [21, 21, 21, 1, 0]],
    ['unknown member drops out', [{ slot: 0, conv: ID }, { slot: 1, conv: ID }], [21, 21, 21, 1, 0]],
    ['degF member converted to degC', [{ slot: 0, conv: ID }, { slot: 2, conv: F_TO_C }], [20.5, 20, 21, 2, 0]],
    [
      'stale member still counts (it holds its last good value)',
      [{ slot: 0, conv: ID }, { slot: 3, conv: ID, stale: true }],
      [20.25, 19.5, 21, 2, 1],
    ],
    [
      'mixed: unknown, stale, two degF members',
      [
        { slot: 0, conv: ID },
        { slot: 1, conv: ID },
        { slot: 2, conv: F_TO_C },
        { slot: 3, conv: ID, stale: true },
        { slot: 4, conv: F_TO_C },
      ],
      [(21 + 20 + 19.5 + 35) / 4, 19.5, 35, 4, 1],
    ],
    ['every member unknown', [{ slot: 1, conv: ID }, { slot: 1, conv: F_TO_C }], [NaN, NaN, NaN, 0, 0]],
    ['no members', [], [NaN, NaN, NaN, 0, 0]],
    [
      'a stale flag on an unknown member is still counted as stale',
      [{ slot: 1, conv: ID, stale: true }],
      [NaN, NaN, NaN, 0, 1],
    ],
    ['post offset (K -> degC style)', [{ slot: 0, conv: [0, 1, -273.15] }], [21 - 273.15, 21 - 273.15, 21 - 273.15, 1, 0]],
  ];

  it.each(table)('%s', (_name, members, expected) => {
    const got = run(values, members);
    expect(got.length).toBe(expected.length);
    got.forEach((v, i) => {
      const want = expected[i] ?? NaN;
      if (Number.isNaN(want)) expect(v).toBeNaN();
      else expect(v).toBeCloseTo(want, 12);
    });
  });

  it('overwrites every field of a reused output buffer', () => {
    const out = new Float64Array(AGGREGATE_WIDTH);
    run(values, [{ slot: 0, conv: ID, stale: true }], out);
    expect(Array.from(out)).toEqual([21, 21, 21, 1, 1]);
    run(values, [{ slot: 1, conv: ID }], out);
    expect(Array.from(out)).toEqual([NaN, NaN, NaN, 0, 0]);
  });

  it('negative values: min and max are not seeded with 0', () => {
    expect(run([-5, -2], [{ slot: 0, conv: ID }, { slot: 1, conv: ID }])).toEqual([-3.5, -5, -2, 2, 0]);
  });
});
