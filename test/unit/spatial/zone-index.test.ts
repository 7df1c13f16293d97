import { describe, expect, it } from 'vitest';
import { Prng } from '../../../src/sensors/mock/prng.js';
import { flatCoords, polygonProblem, whereOutside } from '../../../src/spatial/polygon.js';
import { ZoneGeometry } from '../../../src/spatial/zone-geometry.js';
import { ZoneIndex } from '../../../src/spatial/zone-index.js';
import { randomZones } from './random-zones.js';

const SITE = 500;
const layout = randomZones(42, 200, SITE);
const zones = layout.map((z) => new ZoneGeometry(z));

function bruteForce(x: number, y: number, z: number): number[] {
  return zones.flatMap((g, i) => (g.contains(x, y, z) ? [i] : []));
}

/**
 * 2,000 points: uniform over the site (and a little beyond), half of them 3-D, plus points exactly
 * on the vertices and along the edges of random zones, where rounding would show first.
 */
function testPoints(seed: number): Array<[number, number, number]> {
  const rng = new Prng(seed);
  const pts: Array<[number, number, number]> = [];
  const z = (): number => (rng.next() < 0.5 ? NaN : -1 + rng.next() * 7);
  for (let i = 0; i < 1400; i++) pts.push([-10 + rng.next() * (SITE + 20), -10 + rng.next() * (SITE + 20), z()]);
  while (pts.length < 2000) {
    const g = zones[Math.floor(rng.next() * zones.length)] as ZoneGeometry;
    const n = g.coords.length >> 1;
    const k = Math.floor(rng.next() * n);
    const t = pts.length % 2 === 0 ? 0 : rng.next();
    const [x1, y1] = [g.coords[2 * k] as number, g.coords[2 * k + 1] as number];
    const [x2, y2] = [g.coords[(2 * k + 2) % (2 * n)] as number, g.coords[(2 * k + 3) % (2 * n)] as number];
    pts.push([x1 + t * (x2 - x1), y1 + t * (y2 - y1), z()]);
  }
  return pts;
}

describe('random layout', () => {
  it('is valid: simple outlines, children inside their parents', () => {
    for (const z of layout) expect(polygonProblem(z.polygon), z.id).toBeUndefined();
    const byId = new Map(layout.map((z) => [z.id, z]));
    const nested = layout.filter((z) => z.parent !== undefined);
    expect(nested.length).toBeGreaterThan(20);
    for (const z of nested) {
      const parent = byId.get(z.parent ?? '');
      expect(whereOutside(flatCoords(z.polygon), flatCoords(parent?.polygon ?? [])), z.id).toBeUndefined();
    }
  });
});

describe('ZoneIndex', () => {
  const index = new ZoneIndex(zones);
  const points = testPoints(7);

  it('finds exactly what testing every zone finds, on 2,000 points over 200 zones', () => {
    const out = new Int32Array(index.maxCandidates);
    let hits = 0;
    for (const [x, y, z] of points) {
      const n = index.query(x, y, z, out);
      expect(Array.from(out.subarray(0, n)), `(${x}, ${y}, ${z})`).toEqual(bruteForce(x, y, z));
      hits += n;
    }
    // The comparison means something only if points land in zones, nested ones included.
    expect(hits).toBeGreaterThan(1000);
    expect(points.some(([x, y, z]) => index.zonesContainingPoint(x, y, z).length >= 2)).toBe(true);
  });

  it.each([0.7, 13, 900])('gives the same answers whatever the cell size (%d m)', (cellSize) => {
    const other = new ZoneIndex(zones, { cellSize });
    for (const [x, y, z] of points.slice(0, 500).concat(points.slice(1400, 1700))) {
      expect(other.zonesContainingPoint(x, y, z)).toEqual(index.zonesContainingPoint(x, y, z));
    }
  });

  it('keeps its answer within the clearance of a point in the same region (moves just short of it)', () => {
    const rng = new Prng(3);
    let checked = 0;
    let finite = 0;
    for (const [x, y, z] of points) {
      const r = index.clearance(x, y);
      expect(r).toBeGreaterThanOrEqual(0);
      const region = index.regionAt(x, y);
      const want = bruteForce(x, y, z);
      // Up to the clearance (or 30 m where it is infinite), in every direction, just short of it.
      const reach = Number.isFinite(r) ? r : 30;
      if (Number.isFinite(r)) finite++;
      for (let k = 0; k < 8; k++) {
        const a = rng.next() * 2 * Math.PI;
        const d = reach * (k < 4 ? 0.999999 : rng.next());
        const [qx, qy] = [x + d * Math.cos(a), y + d * Math.sin(a)];
        if (index.regionAt(qx, qy) !== region || Math.hypot(qx - x, qy - y) >= r) continue;
        expect(bruteForce(qx, qy, z), `(${x}, ${y}) -> (${qx}, ${qy})`).toEqual(want);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5000);
    expect(finite).toBeGreaterThan(300);
  });

  it('gives a clearance of 0 on an outline and Infinity off the grid; one region for all empty cells', () => {
    const g = zones[5] as ZoneGeometry;
    expect(index.clearance(g.coords[0] as number, g.coords[1] as number)).toBe(0);
    expect(index.clearance(-1000, 5)).toBe(Infinity);
    expect(index.regionAt(-1000, 5)).toBe(-1);
    expect(index.regionAt(NaN, 5)).toBe(-1);
    expect(new ZoneIndex([]).regionAt(0, 0)).toBe(-1);
    const a = new ZoneGeometry({ id: 'a', polygon: [[0, 0], [10, 0], [10, 10], [0, 10]], height: undefined });
    const b = new ZoneGeometry({ id: 'b', polygon: [[20, 0], [30, 0], [30, 10], [20, 10]], height: undefined });
    const two = new ZoneIndex([a, b], { cellSize: 2.5 });
    // Gap cells between the rects share the empty region; inner cells of a rect share one region.
    expect(two.regionAt(15, 5)).toBe(-1);
    expect(two.regionAt(3.5, 3.5)).toBe(two.regionAt(6.5, 6.5));
    expect(two.regionAt(3.5, 3.5)).not.toBe(two.regionAt(23.5, 3.5));
    expect(two.clearance(3.5, 3.5)).toBe(Infinity);
    // A cell the outline crosses is its own region, with the distance to that outline, a little less.
    expect(two.regionAt(9, 5)).not.toBe(two.regionAt(9, 2));
    expect(two.clearance(9, 5)).toBeLessThan(1);
    expect(two.clearance(9, 5)).toBeGreaterThan(1 - 1e-6);
  });

  it('answers nothing for points off the grid, NaN coordinates, or with no zones', () => {
    const out = new Int32Array(8);
    expect(index.query(-1000, 5, NaN, out)).toBe(0);
    expect(index.query(NaN, 5, NaN, out)).toBe(0);
    const empty = new ZoneIndex([]);
    expect([empty.size, empty.maxCandidates, empty.query(0, 0, NaN, out)]).toEqual([0, 0, 0]);
  });

  it('counts the far edge of the grid, and truncates to a short out', () => {
    const a = new ZoneGeometry({ id: 'a', polygon: [[0, 0], [10, 0], [10, 10], [0, 10]], height: undefined });
    const b = new ZoneGeometry({ id: 'b', polygon: [[2, 2], [10, 2], [10, 10]], height: [0, 1] });
    const small = new ZoneIndex([a, b], { cellSize: 2.5 });
    expect(small.zonesContainingPoint(10, 10, NaN)).toEqual([0, 1]);
    expect(small.zonesContainingPoint(10, 10, 2)).toEqual([0]);
    expect(small.zonesContainingPoint(0, 0, NaN)).toEqual([0]);
    const one = new Int32Array(1);
    expect(small.query(10, 10, NaN, one)).toBe(1);
    expect(one[0]).toBe(0);
  });
});
