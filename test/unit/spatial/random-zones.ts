import type { Point } from '../../../src/spatial/polygon.js';
import { Prng } from '../../../src/sensors/mock/prng.js';

/**
 * Seeded random zone layouts for the index tests and the spatial benchmark: axis-aligned rects,
 * concave star-shaped polygons and L shapes over a square site, about a quarter of them nested in
 * an earlier zone, some with a height range. Every outline is simple by construction.
 */
export interface RandomZone {
  readonly id: string;
  readonly polygon: Point[];
  readonly height: readonly [number, number] | undefined;
  readonly parent: string | undefined;
}

function rect(cx: number, cy: number, w: number, h: number): Point[] {
  return [
    [cx - w / 2, cy - h / 2],
    [cx + w / 2, cy - h / 2],
    [cx + w / 2, cy + h / 2],
    [cx - w / 2, cy + h / 2],
  ];
}

/** Star-shaped around (cx, cy): vertices at increasing angles, radii in [0.4 r, r]. */
function star(rng: Prng, cx: number, cy: number, r: number): Point[] {
  const n = 5 + Math.floor(rng.next() * 8);
  const out: Point[] = [];
  for (let i = 0; i < n; i++) {
    const a = ((i + 0.2 + rng.next() * 0.6) / n) * 2 * Math.PI;
    const rr = r * (0.4 + 0.6 * rng.next());
    out.push([cx + rr * Math.cos(a), cy + rr * Math.sin(a)]);
  }
  return out;
}

/** An L: a w x h box without its top-right quarter-ish corner. */
function ell(rng: Prng, cx: number, cy: number, w: number, h: number): Point[] {
  const [x0, y0] = [cx - w / 2, cy - h / 2];
  const nx = x0 + w * (0.3 + 0.4 * rng.next());
  const ny = y0 + h * (0.3 + 0.4 * rng.next());
  return [
    [x0, y0],
    [x0 + w, y0],
    [x0 + w, ny],
    [nx, ny],
    [nx, y0 + h],
    [x0, y0 + h],
  ];
}

/** How far from its centre a zone of size r reaches at most (an L's half-diagonal: 1.25 * sqrt 2 r). */
const REACH = 1.8;

/** `count` zones on a `site` x `site` metre square, the same for the same seed. */
export function randomZones(seed: number, count: number, site: number): RandomZone[] {
  const rng = new Prng(seed);
  const zones: RandomZone[] = [];
  // Where a nested zone can go: the centre and a radius that stays inside each parent.
  const room: Array<{ id: string; cx: number; cy: number; r: number }> = [];
  for (let i = 0; i < count; i++) {
    const id = `z${i}`;
    const height: readonly [number, number] | undefined = rng.next() < 0.2 ? [0, 1 + Math.round(rng.next() * 4)] : undefined;
    const host = room.length > 0 && rng.next() < 0.25 ? room[Math.floor(rng.next() * room.length)] : undefined;
    const size = host !== undefined ? host.r : 5 + rng.next() * 45;
    const cx = host?.cx ?? size + rng.next() * (site - 2 * size);
    const cy = host?.cy ?? size + rng.next() * (site - 2 * size);
    const kind = rng.next();
    let polygon: Point[];
    if (kind < 0.4) {
      const [w, h] = [size * (1 + rng.next()), size * (1 + rng.next())];
      polygon = rect(cx, cy, w, h);
      room.push({ id, cx, cy, r: Math.min(w, h) / 2 / REACH });
    } else if (kind < 0.75) {
      polygon = star(rng, cx, cy, size);
      // Edges between vertices at >= 0.4 r and < 0.32 turn apart stay >= 0.21 r from the centre.
      room.push({ id, cx, cy, r: (size * 0.21) / REACH });
    } else {
      const w = size * (1.5 + rng.next());
      const h = size * (1.5 + rng.next());
      polygon = ell(rng, cx, cy, w, h);
      // The L's bottom-left box always holds a square of 0.3 w x 0.3 h at its own centre.
      room.push({ id, cx: cx - w / 2 + 0.15 * w, cy: cy - h / 2 + 0.15 * h, r: (Math.min(w, h) * 0.15) / REACH });
    }
    zones.push({ id, polygon, height, parent: host?.id });
  }
  return zones;
}
