import type { ZoneModel } from '../config/model.js';
import { type Bounds, boundsOf, epsilonOf, flatCoords, pointInPolygon } from './polygon.js';

/**
 * A zone's shape prepared for containment tests: flat coordinates, bounding box, boundary tolerance
 * and height range, all computed once at load time so that `contains` allocates nothing.
 *
 * Contract of `contains(x, y, z)`: true when (x, y) is inside the outline or on its boundary
 * (within `eps`), and, only when both the zone has a height and the point has a z (z is NaN for
 * a 2-D point), zMin <= z <= zMax. A 2-D point is in a 3-D zone whenever its (x, y) is; a 3-D point
 * is in a 2-D zone whatever its z.
 */
export class ZoneGeometry implements Bounds {
  readonly id: string;
  /** Outline as `x0, y0, x1, y1, ...`. */
  readonly coords: Float64Array;
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
  /** Boundary tolerance in metres (see BOUNDARY_EPSILON). */
  readonly eps: number;
  /** Height range; -Infinity / +Infinity for a zone without `height`. */
  readonly zMin: number;
  readonly zMax: number;
  readonly hasHeight: boolean;
  /** An axis-aligned rectangle: its box is its outline, so containment needs no edge loop. */
  readonly isBox: boolean;

  constructor(zone: Pick<ZoneModel, 'id' | 'polygon' | 'height'>) {
    this.id = zone.id;
    this.coords = flatCoords(zone.polygon);
    const b = boundsOf(this.coords);
    this.minX = b.minX;
    this.minY = b.minY;
    this.maxX = b.maxX;
    this.maxY = b.maxY;
    this.eps = epsilonOf(b);
    this.hasHeight = zone.height !== undefined;
    this.zMin = zone.height?.[0] ?? -Infinity;
    this.zMax = zone.height?.[1] ?? Infinity;
    this.isBox = isAxisAlignedBox(this.coords, b);
  }

  contains(x: number, y: number, z: number): boolean {
    if (!this.inHeight(z)) return false;
    const e = this.eps;
    if (x < this.minX - e || x > this.maxX + e || y < this.minY - e || y > this.maxY + e) return false;
    return this.isBox || pointInPolygon(this.coords, x, y, e);
  }

  /** The height half of `contains`: true for a 2-D point (z NaN) or a zone without height. */
  inHeight(z: number): boolean {
    // Comparisons with NaN are false, so a NaN z passes; no Number.isNaN call in the hot path.
    return !(z < this.zMin || z > this.zMax);
  }
}

/** The four distinct corners of its box, going round it (not a bow-tie through the corners). */
function isAxisAlignedBox(c: Float64Array, b: Bounds): boolean {
  if (c.length !== 8 || b.minX === b.maxX || b.minY === b.maxY) return false;
  let seen = 0;
  for (let i = 0; i < 4; i++) {
    const j = (i + 1) % 4;
    const x = c[2 * i] as number;
    const y = c[2 * i + 1] as number;
    if ((x !== b.minX && x !== b.maxX) || (y !== b.minY && y !== b.maxY)) return false;
    seen |= 1 << ((x === b.maxX ? 1 : 0) + (y === b.maxY ? 2 : 0));
    // Consecutive corners share exactly one coordinate: each edge is horizontal or vertical.
    if ((x === c[2 * j]) === (y === c[2 * j + 1])) return false;
  }
  return seen === 15;
}
