import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  flatCoords,
  NO_AREA,
  type Point,
  pointInPolygon,
  polygonArea,
  polygonProblem,
  whereOutside,
} from '../../../src/spatial/polygon.js';
import { segmentContact } from '../../../src/spatial/segment-contact.js';

const SQUARE: Point[] = [
  [0, 0],
  [10, 0],
  [10, 10],
  [0, 10],
];
/** A U open at the top: the notch is 3 < x < 6, 3 < y <= 9. */
const U: Point[] = [
  [0, 0],
  [9, 0],
  [9, 9],
  [6, 9],
  [6, 3],
  [3, 3],
  [3, 9],
  [0, 9],
];
/** An L: the 10 x 10 square without 4 < x, 4 < y. */
const L: Point[] = [
  [0, 0],
  [10, 0],
  [10, 4],
  [4, 4],
  [4, 10],
  [0, 10],
];

const inside = (poly: Point[], x: number, y: number): boolean => pointInPolygon(flatCoords(poly), x, y);
const reversed = (poly: Point[]): Point[] => [...poly].reverse();

/** Every vertex, and points at 1/4, 1/2 and 0.9 along every edge. */
function boundaryPoints(poly: Point[]): Point[] {
  return poly.flatMap(([x1, y1], i): Point[] => {
    const [x2, y2] = poly[(i + 1) % poly.length] ?? [x1, y1];
    return [[x1, y1], ...[0.25, 0.5, 0.9].map((t): Point => [x1 + t * (x2 - x1), y1 + t * (y2 - y1)])];
  });
}

describe('pointInPolygon', () => {
  it.each([
    ['square', SQUARE],
    ['U (concave)', U],
    ['L (concave)', L],
    ['square, clockwise', reversed(SQUARE)],
    ['U, clockwise', reversed(U)],
  ])('%s: every vertex and points along every edge are inside', (_name, poly) => {
    for (const [x, y] of boundaryPoints(poly)) expect(inside(poly, x, y), `(${x}, ${y})`).toBe(true);
  });

  it.each([
    // strictly inside and outside
    [5, 5, true],
    [0.001, 9.999, true],
    [-1, 5, false],
    [11, 5, false],
    [5, -0.001, false],
    [5, 10.001, false],
    [10.001, 10.001, false],
    // each edge: bottom and top are horizontal, left and right vertical
    [5, 0, true],
    [10, 5, true],
    [5, 10, true],
    [0, 5, true],
    // each vertex
    [0, 0, true],
    [10, 0, true],
    [10, 10, true],
    [0, 10, true],
    // the tolerance is 1e-9 x the extent (10 m): 5 nm off the top edge is on it, 50 nm is not
    [5, 10 + 5e-9, true],
    [5, 10 + 5e-8, false],
    [10 + 5e-9, 10 + 5e-9, true],
  ])('square: (%d, %d) -> %s', (x, y, expected) => {
    expect(inside(SQUARE, x, y)).toBe(expected);
    expect(inside(reversed(SQUARE), x, y)).toBe(expected);
  });

  it.each([
    // arms and base
    [1.5, 6, true],
    [7.5, 6, true],
    [4.5, 1.5, true],
    // the notch, including its open top, is outside
    [4.5, 6, false],
    [4.5, 9, false],
    [4.5, 3.001, false],
    [3.001, 8.999, false],
    // the notch's own edges are boundary, so inside
    [4.5, 3, true],
    [3, 6, true],
    [6, 6, true],
    [3, 3, true],
    [6, 3, true],
    // on the height of the notch's bottom vertices: the ray passes through two vertices
    [1.5, 3, true],
    [7.5, 3, true],
    [-1, 3, false],
    [10, 3, false],
    // on the height of the top edges
    [1.5, 9, true],
    [7.5, 9, true],
    [-1, 9, false],
    [10, 9, false],
    [4.5, 9.5, false],
  ])('U: (%d, %d) -> %s', (x, y, expected) => {
    expect(inside(U, x, y)).toBe(expected);
    expect(inside(reversed(U), x, y)).toBe(expected);
  });

  it.each([
    [7, 7, false],
    [4.001, 4.001, false],
    [4, 4, true],
    [4, 7, true],
    [7, 4, true],
    [2, 8, true],
    [8, 2, true],
    [11, 4, false],
  ])('L: (%d, %d) -> %s', (x, y, expected) => {
    expect(inside(L, x, y)).toBe(expected);
  });

  it('keeps its boundary far from the origin (site coordinates in UTM metres)', () => {
    const far = U.map(([x, y]): Point => [x + 500_000, y + 4_649_776]);
    for (const [x, y] of boundaryPoints(far)) expect(inside(far, x, y)).toBe(true);
    expect(inside(far, 500_004.5, 4_649_782)).toBe(false);
    expect(inside(far, 500_001.5, 4_649_782)).toBe(true);
  });
});

describe('polygonProblem', () => {
  it.each<[string, Point[], string | undefined]>([
    ['bow-tie', [[0, 0], [10, 10], [10, 0], [0, 10]], 'the outline crosses itself: edges 1 and 3 cross at (5, 5)'],
    ['collinear', [[0, 0], [5, 5], [10, 10]], NO_AREA],
    ['collinear, more points', [[0, 0], [1, 0], [3, 0], [2, 0]], NO_AREA],
    ['consecutive duplicates', [[0, 0], [10, 0], [10, 0], [0, 10]], 'points 2 and 3 are the same point (10, 0)'],
    ['closing copy of the first point', [[0, 0], [10, 0], [10, 10], [0, 0]], 'the last point repeats the first (0, 0); leave it out, the outline closes by itself'],
    ['2 points', [[0, 0], [1, 1]], 'needs at least 3 distinct points, got 2'],
    ['3 points, 2 distinct', [[0, 0], [1, 1], [0, 0]], 'needs at least 3 distinct points, got 2'],
    ['not a number', [[0, 0], [1, NaN], [0, 1]], 'point 2 is not a pair of finite numbers'],
    ['a vertex on another edge', [[0, 0], [10, 0], [10, 10], [5, 0], [0, 10]], 'the outline touches itself: edges 1 and 3 touch at (5, 0)'],
    ['two vertices in one place', [[0, 0], [10, 0], [5, 5], [10, 10], [0, 10], [5, 5]], 'the outline touches itself: edges 2 and 5 touch at (5, 5)'],
    ['a spike back along an edge', [[0, 0], [10, 0], [5, 0], [5, 5]], 'the outline runs back over itself: edges 1 and 2 overlap from (10, 0) to (5, 0)'],
    ['fractional crossing', [[0, 0], [3, 0], [0, 1], [3, 1]], 'the outline crosses itself: edges 2 and 4 cross at (1.5, 0.5)'],
    ['valid concave U', U, undefined],
    ['valid concave L, clockwise', reversed(L), undefined],
    ['valid triangle', [[0, 0], [1, 0], [0, 1]], undefined],
    ['valid with a straight-through vertex', [[0, 0], [5, 0], [10, 0], [10, 10]], undefined],
  ])('%s', (_name, points, expected) => {
    expect(polygonProblem(points)).toBe(expected);
  });
});

describe('segmentContact', () => {
  it('tells crossing, touching and overlapping apart', () => {
    expect(segmentContact(0, 0, 10, 0, 3, 0, 6, 0, 1e-9)).toEqual({ kind: 'overlap', x: 3, y: 0, x2: 6, y2: 0 });
    expect(segmentContact(0, 0, 10, 0, 5, -1, 5, 1, 1e-9)).toEqual({ kind: 'cross', x: 5, y: 0 });
    expect(segmentContact(0, 0, 10, 0, 5, 0, 5, 1, 1e-9)).toEqual({ kind: 'touch', x: 5, y: 0 });
    expect(segmentContact(0, 0, 10, 0, 10, 0, 12, 0, 1e-9)).toEqual({ kind: 'touch', x: 10, y: 0 });
    expect(segmentContact(0, 0, 10, 0, 11, 0, 12, 0, 1e-9)).toBeUndefined();
    expect(segmentContact(0, 0, 10, 0, 0, 1, 10, 1, 1e-9)).toBeUndefined();
  });
});

describe('polygonArea, boundsOf', () => {
  it('gives the signed area and the box', () => {
    expect(polygonArea(flatCoords(SQUARE))).toBe(100);
    expect(polygonArea(flatCoords(reversed(SQUARE)))).toBe(-100);
    expect(polygonArea(flatCoords(U))).toBe(63);
    expect(polygonArea(flatCoords(L))).toBe(64);
    expect(boundsOf(flatCoords(U))).toEqual({ minX: 0, minY: 0, maxX: 9, maxY: 9 });
  });
});

describe('whereOutside', () => {
  const u = flatCoords(U);
  it.each<[string, Point[], string | undefined]>([
    ['inside an arm', [[0.5, 4], [2.5, 4], [2.5, 8]], undefined],
    ['sharing the outer boundary', [[0, 0], [9, 0], [9, 3], [0, 3]], undefined],
    ['a vertex outside', [[1, 1], [2, 1], [2, 12]], 'point 3 (2, 12) is outside it'],
    ['across the notch', [[1, 4], [8, 4], [8, 8], [1, 8]], 'edge 1 crosses its outline at (3, 4)'],
    ['the notch itself: every vertex on the boundary', [[3, 9], [6, 9], [6, 3], [3, 3]], 'edge 1 passes outside it at (4.5, 9)'],
  ])('%s', (_name, inner, expected) => {
    expect(whereOutside(flatCoords(inner), u)).toBe(expected);
  });
});
