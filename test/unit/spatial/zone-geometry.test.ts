import { describe, expect, it } from 'vitest';
import { flatCoords, type Point, pointInPolygon } from '../../../src/spatial/polygon.js';
import { ZoneGeometry } from '../../../src/spatial/zone-geometry.js';

const square: Point[] = [
  [0, 0],
  [10, 0],
  [10, 10],
  [0, 10],
];
const u: Point[] = [
  [0, 0],
  [9, 0],
  [9, 9],
  [6, 9],
  [6, 3],
  [3, 3],
  [3, 9],
  [0, 9],
];

describe('ZoneGeometry.contains', () => {
  const room = new ZoneGeometry({ id: 'room', polygon: square, height: [1, 3] });
  const flat = new ZoneGeometry({ id: 'flat', polygon: square, height: undefined });
  const shelf = new ZoneGeometry({ id: 'shelf', polygon: u, height: [0, 2] });

  it.each([
    ['below', room, 5, 5, 0.5, false],
    ['at zmin', room, 5, 5, 1, true],
    ['inside', room, 5, 5, 2, true],
    ['at zmax', room, 5, 5, 3, true],
    ['above', room, 5, 5, 3.5, false],
    ['2-D point in a 3-D zone', room, 5, 5, NaN, true],
    ['2-D point outside a 3-D zone', room, 11, 5, NaN, false],
    ['3-D point at a corner and zmax', room, 10, 10, 3, true],
    ['3-D point beside a 3-D zone, at a good height', room, 10.5, 5, 2, false],
    ['3-D point in a 2-D zone, far up', flat, 5, 5, 100, true],
    ['3-D point in a 2-D zone, below ground', flat, 5, 5, -2, true],
    ['2-D point in a 2-D zone', flat, 5, 5, NaN, true],
    ['3-D point in the notch of a concave 3-D zone', shelf, 4.5, 6, 1, false],
    ['3-D point in an arm of a concave 3-D zone', shelf, 1.5, 6, 1, true],
    ['3-D point on the notch edge at zmax', shelf, 4.5, 3, 2, true],
    ['3-D point on the notch edge above zmax', shelf, 4.5, 3, 2.01, false],
  ])('%s', (_name, zone, x, y, z, expected) => {
    expect(zone.contains(x, y, z)).toBe(expected);
  });

  it('precomputes coordinates, box, tolerance and heights', () => {
    expect(Array.from(shelf.coords)).toEqual(u.flat());
    expect([shelf.minX, shelf.minY, shelf.maxX, shelf.maxY]).toEqual([0, 0, 9, 9]);
    expect(shelf.eps).toBeCloseTo(9e-9, 20);
    expect([room.zMin, room.zMax, room.hasHeight]).toEqual([1, 3, true]);
    expect([flat.zMin, flat.zMax, flat.hasHeight]).toEqual([-Infinity, Infinity, false]);
  });

  it('takes the box path only for axis-aligned rectangles, and agrees with the edge loop', () => {
    const tilted = new ZoneGeometry({ id: 't', polygon: [[5, 0], [10, 5], [5, 10], [0, 5]], height: undefined });
    const bowtie = new ZoneGeometry({ id: 'b', polygon: [[0, 0], [10, 10], [10, 0], [0, 10]], height: undefined });
    expect([flat.isBox, shelf.isBox, tilted.isBox, bowtie.isBox]).toEqual([true, false, false, false]);
    for (let x = -1; x <= 11; x += 0.5) {
      for (let y = -1; y <= 11; y += 0.5) {
        expect(flat.contains(x, y, NaN)).toBe(pointInPolygon(flatCoords(square), x, y));
      }
    }
  });
});
