import { pointInPolygon } from './polygon.js';
import type { ZoneGeometry } from './zone-geometry.js';

/**
 * How a zone covers an axis-aligned grid cell, decided once when the zone index is built:
 * - `none`: no point of the cell is in the zone (its box meets the cell, its outline does not);
 * - `full`: every point of the cell is in the zone (only the height is left to test);
 * - `partial`: the zone's boundary passes near the cell; each point needs the full test.
 *
 * Conservative by `grow` metres: a boundary within `grow` plus the zone's tolerance of the cell
 * makes it `partial`, so points a rounding error outside the cell are classified correctly too.
 */
export type CellCover = 'none' | 'full' | 'partial';

export function cellCover(zone: ZoneGeometry, x0: number, y0: number, x1: number, y1: number, grow: number): CellCover {
  const g = grow + 2 * zone.eps;
  const [bx0, by0, bx1, by1] = [x0 - g, y0 - g, x1 + g, y1 + g];
  if (bx1 < zone.minX || bx0 > zone.maxX || by1 < zone.minY || by0 > zone.maxY) return 'none';
  const c = zone.coords;
  const n = c.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    if (segmentMeetsBox(c[2 * j] as number, c[2 * j + 1] as number, c[2 * i] as number, c[2 * i + 1] as number, bx0, by0, bx1, by1)) return 'partial';
  }
  // No boundary in the grown cell: it lies wholly inside or wholly outside; its centre tells which.
  return pointInPolygon(c, (x0 + x1) / 2, (y0 + y1) / 2, zone.eps) ? 'full' : 'none';
}

/** Whether segment a-b meets the closed box (Liang-Barsky clipping of the segment's parameter). */
function segmentMeetsBox(ax: number, ay: number, bx: number, by: number, x0: number, y0: number, x1: number, y1: number): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = bx - ax;
  const dy = by - ay;
  // Each pair (p, q) is one side of the box: the segment is inside that side where p * t <= q.
  const sides: Array<[number, number]> = [
    [-dx, ax - x0],
    [dx, x1 - ax],
    [-dy, ay - y0],
    [dy, y1 - ay],
  ];
  for (const [p, q] of sides) {
    if (p === 0) {
      if (q < 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      if (t > t0) t0 = t;
    } else {
      if (t < t0) return false;
      if (t < t1) t1 = t;
    }
  }
  return t0 <= t1;
}
