/**
 * occupancy_field (issue 3 item 4): percent, occupied cells, percent_in(zone) over cell centres,
 * hotspots(k), with hand-computed values on a 4×4 grid.
 */
import { describe, expect, it } from 'vitest';
import { OccupancyField } from '../../../src/patterns/occupancy-field.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';

/*
 * Origin (0, 0), 1 m cells, threshold 0.5. Row 0 is y in [0, 1), column 0 is x in [0, 1).
 * Occupied (>= 0.5) marked *:
 *   r0: 0.9*  0.1   0.0   0.6*
 *   r1: 0.7*  0.5*  0.2   0.0
 *   r2: 0.0   0.0   0.9*  0.3
 *   r3: 0.4   0.8*  0.0   1.0*
 * 7 of 16 occupied = 43.75 %. Left half (x in [0, 2]: columns 0, 1): 4 of 8 = 50 %.
 * Right half (columns 2, 3): 3 of 8 = 37.5 %.
 */
const GRID = [
  [0.9, 0.1, 0.0, 0.6],
  [0.7, 0.5, 0.2, 0.0],
  [0.0, 0.0, 0.9, 0.3],
  [0.4, 0.8, 0.0, 1.0],
];

const make = (originX = 0, originY = 0, cellSizeM = 1): OccupancyField =>
  new OccupancyField({ originX, originY, cellSizeM, threshold: 0.5 });

/** A rect zone, boundaries inside (issue 3 item 1). */
const rect =
  (x0: number, y0: number, x1: number, y1: number) =>
  (x: number, y: number): boolean =>
    x >= x0 && x <= x1 && y >= y0 && y <= y1;

describe('OccupancyField', () => {
  it('percent and occupied cells', () => {
    const f = make();
    f.update(GRID);
    expect(f.isKnown).toBe(true);
    expect(f.error).toBeUndefined();
    expect([f.rows, f.cols]).toEqual([4, 4]);
    expect(f.percent).toBe(43.75);
    expect(f.occupiedCells).toBe(7);
  });

  it.each([
    ['left half', rect(0, 0, 2, 4), 50],
    ['right half', rect(2, 0, 4, 4), 37.5],
    ['top-left quarter', rect(0, 0, 2, 2), 75],
    ['one cell centre on the zone boundary counts', rect(0.5, 0.5, 0.5, 0.5), 100],
    ['covers every centre', rect(-10, -10, 10, 10), 43.75],
    ['no cell centre inside', rect(0, 0, 0.4, 4), NaN],
  ])('percentIn: %s', (_name, zone, expected) => {
    const f = make();
    f.update(GRID);
    expect(f.percentIn(zone, 1)).toBe(expected);
  });

  it('hotspots: highest values first, ties by row then column, centres in the site frame', () => {
    const f = make();
    f.update(GRID);
    expect(f.hotspots(3)).toEqual([
      { x: 3.5, y: 3.5, value: 1.0 },
      { x: 0.5, y: 0.5, value: 0.9 },
      { x: 2.5, y: 2.5, value: 0.9 },
    ]);
    expect(f.hotspots(1)).toEqual([{ x: 3.5, y: 3.5, value: 1.0 }]);
    // Only the 7 occupied cells, never the free ones.
    expect(f.hotspots(10)).toEqual([
      { x: 3.5, y: 3.5, value: 1.0 },
      { x: 0.5, y: 0.5, value: 0.9 },
      { x: 2.5, y: 2.5, value: 0.9 },
      { x: 1.5, y: 3.5, value: 0.8 },
      { x: 0.5, y: 1.5, value: 0.7 },
      { x: 3.5, y: 0.5, value: 0.6 },
      { x: 1.5, y: 1.5, value: 0.5 },
    ]);
    expect(f.hotspots(0)).toEqual([]);
    expect(f.hotspots(2.9)).toHaveLength(2);
  });

  it('hotspots: equal values keep row-then-column order even when k cuts through them', () => {
    const f = make();
    f.update([
      [1, 2, 2],
      [2, 3, 2],
    ]);
    expect(f.hotspots(3)).toEqual([
      { x: 1.5, y: 1.5, value: 3 },
      { x: 1.5, y: 0.5, value: 2 },
      { x: 2.5, y: 0.5, value: 2 },
    ]);
  });

  it('origin and cell size place the cells', () => {
    const f = make(10, 20, 0.5);
    f.update(GRID);
    expect(f.hotspots(1)).toEqual([{ x: 11.75, y: 21.75, value: 1.0 }]);
    // Left half of this placement: x in [10, 11].
    expect(f.percentIn(rect(10, 20, 11, 22), 7)).toBe(50);
  });

  it('caches the zone mask per key and grid shape', () => {
    const f = make();
    let calls = 0;
    const zone = (x: number, y: number): boolean => (calls++, rect(0, 0, 2, 4)(x, y));
    f.update(GRID);
    expect(f.percentIn(zone, 1)).toBe(50);
    expect(calls).toBe(16);
    expect(f.percentIn(zone, 1)).toBe(50);
    f.update(GRID.map((row) => row.map((v) => 1 - v)));
    // Same shape: same mask, new values (left half now 0.1, 0.9, 0.3, 0.5, 1.0, 1.0, 0.6, 0.2 -> 5 of 8).
    expect(f.percentIn(zone, 1)).toBe(62.5);
    expect(calls).toBe(16);
    // Another key is another zone.
    expect(f.percentIn(zone, 2)).toBe(62.5);
    expect(calls).toBe(32);
    // A new shape rebuilds the mask: 2 rows × 3 columns, centres x = 0.5, 1.5 in the zone.
    f.update([
      [1, 0, 1],
      [0, 0, 1],
    ]);
    expect(f.percentIn(zone, 1)).toBe(25);
    expect(calls).toBe(38);
  });

  it.each<[string, unknown, RegExp]>([
    ['not an array', { cells: [] }, /not an array of rows/],
    ['no rows', [], /no cells/],
    ['empty rows', [[]], /no cells/],
    ['a row that is not an array', [[1, 2], 3], /row 1 is not an array/],
    ['ragged', [[1, 2], [3]], /row 1 has 1 cells, expected 2/],
    ['NaN', [[1, NaN]], /cell \[0\]\[1\] is not a finite number/],
    ['Infinity', [[1], [Infinity]], /cell \[1\]\[0\]/],
    ['a string', [['1']], /cell \[0\]\[0\]/],
    ['null', null, /not an array of rows/],
  ])('rejects %s: unknown with an error', (_name, grid, message) => {
    const f = make();
    f.update(GRID);
    f.update(grid);
    expect(f.isKnown).toBe(false);
    expect(f.error).toMatch(message);
    expect(f.percent).toBeNaN();
    expect(f.occupiedCells).toBeNaN();
    expect(f.percentIn(rect(0, 0, 2, 4), 1)).toBeNaN();
    expect(f.hotspots(3)).toBeUndefined();
    // A good value afterwards clears the error.
    f.update(GRID);
    expect(f.error).toBeUndefined();
    expect(f.percent).toBe(43.75);
  });

  it('an unknown sensor (undefined) is unknown without an error', () => {
    const f = make();
    expect(f.percent).toBeNaN();
    f.update(undefined);
    expect(f.isKnown).toBe(false);
    expect(f.error).toBeUndefined();
  });

  it('never schedules itself: outputs change only with the input', () => {
    const f = make();
    f.update(GRID);
    expect(f.nextDue(5)).toBe(Infinity);
  });

  it.each<[string, unknown]>([
    ['a grid', GRID],
    ['an invalid value', [[1], [2, 3]]],
    ['unknown', undefined],
  ])('snapshot / restore through JSON: %s', (_name, grid) => {
    const a = make();
    a.update(grid);
    const b = make();
    b.update([[5]]);
    b.restore(jsonRoundTrip(a.snapshot()));
    const outputs = (f: OccupancyField): unknown[] => [
      f.isKnown,
      f.error,
      f.percent,
      f.occupiedCells,
      f.percentIn(rect(0, 0, 2, 4), 1),
      f.hotspots(4),
    ];
    expect(outputs(b)).toEqual(outputs(a));
  });
});
