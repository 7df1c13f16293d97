import { distanceToSegment, segmentContact } from './segment-contact.js';

/**
 * Plane polygons as flat coordinate arrays (`x0, y0, x1, y1, ...`, closed implicitly: the last
 * point joins the first). Flat Float64Arrays keep the containment loop free of allocation and
 * pointer chasing; the validation functions take the points as written in the config.
 */

/** A point [x, y] in metres. */
export type Point = readonly [number, number];

/** An axis-aligned box. */
export interface Bounds {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

/**
 * The boundary tolerance relative to a polygon's size: points this close to an edge, times the
 * polygon's larger extent, count as on it. Relative so that millimetre and kilometre sites behave
 * alike; far above the rounding error of coordinates in metres.
 */
export const BOUNDARY_EPSILON = 1e-9;

/** Points as a flat `x0, y0, x1, y1, ...` array. */
export function flatCoords(points: ReadonlyArray<Point>): Float64Array {
  const out = new Float64Array(points.length * 2);
  points.forEach(([x, y], i) => {
    out[2 * i] = x;
    out[2 * i + 1] = y;
  });
  return out;
}

/** The bounding box of flat coordinates (an inverted infinite box when there are none). */
export function boundsOf(coords: Float64Array): Bounds {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < coords.length; i += 2) {
    const x = coords[i] as number;
    const y = coords[i + 1] as number;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/** The boundary tolerance of a polygon with these bounds (see BOUNDARY_EPSILON). */
export function epsilonOf(b: Bounds): number {
  const extent = Math.max(b.maxX - b.minX, b.maxY - b.minY);
  return Number.isFinite(extent) ? BOUNDARY_EPSILON * extent : 0;
}

/** Signed area (shoelace): positive when the points run counter-clockwise. */
export function polygonArea(coords: Float64Array): number {
  const n = coords.length >> 1;
  let sum = 0;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    sum += (coords[2 * j] as number) * (coords[2 * i + 1] as number) - (coords[2 * i] as number) * (coords[2 * j + 1] as number);
  }
  return sum / 2;
}

/**
 * Whether (x, y) lies inside the polygon or on its boundary (within `eps` of an edge or vertex).
 * Works for any simple polygon, convex or not, in either orientation. `eps` defaults to the
 * polygon's own tolerance; callers testing many points pass it precomputed.
 *
 * One pass over the edges does both tests: the distance to each edge whose (tolerance-grown) box
 * holds the point, and the even-odd crossing count of a ray towards +x. The crossing rule counts an
 * edge when exactly one end is strictly above the point, so horizontal edges and vertices at the
 * ray's height are counted consistently; points on the boundary never reach that rule's answer.
 */
export function pointInPolygon(coords: Float64Array, x: number, y: number, eps = epsilonOf(boundsOf(coords))): boolean {
  const n = coords.length >> 1;
  const eps2 = eps * eps;
  let inside = false;
  let x1 = coords[2 * n - 2] as number;
  let y1 = coords[2 * n - 1] as number;
  for (let i = 0; i < n; i++) {
    const x2 = coords[2 * i] as number;
    const y2 = coords[2 * i + 1] as number;
    const dx = x2 - x1;
    const dy = y2 - y1;
    if (
      x >= (x1 < x2 ? x1 : x2) - eps &&
      x <= (x1 < x2 ? x2 : x1) + eps &&
      y >= (y1 < y2 ? y1 : y2) - eps &&
      y <= (y1 < y2 ? y2 : y1) + eps
    ) {
      const cross = dx * (y - y1) - dy * (x - x1);
      // |cross| / |edge| is the distance to the edge's line; compare squares to skip the sqrt.
      if (cross * cross <= eps2 * (dx * dx + dy * dy)) return true;
    }
    if (y1 > y !== y2 > y && x < x1 + ((y - y1) * dx) / dy) inside = !inside;
    x1 = x2;
    y1 = y2;
  }
  return inside;
}

/**
 * Distance from (x, y) to the nearest point of the polygon's outline (0 on it), whichever side the
 * point is on. Allocates nothing.
 */
export function distanceToOutline(coords: Float64Array, x: number, y: number): number {
  const n = coords.length >> 1;
  let best = Infinity;
  let x1 = coords[2 * n - 2] as number;
  let y1 = coords[2 * n - 1] as number;
  for (let i = 0; i < n; i++) {
    const x2 = coords[2 * i] as number;
    const y2 = coords[2 * i + 1] as number;
    const dx = x2 - x1;
    const dy = y2 - y1;
    const len2 = dx * dx + dy * dy;
    const t = len2 === 0 ? 0 : ((x - x1) * dx + (y - y1) * dy) / len2;
    const u = t < 0 ? 0 : t > 1 ? 1 : t;
    const ex = x - (x1 + u * dx);
    const ey = y - (y1 + u * dy);
    const d2 = ex * ex + ey * ey;
    if (d2 < best) best = d2;
    x1 = x2;
    y1 = y2;
  }
  return Math.sqrt(best);
}

/** A coordinate as users wrote it: `5`, `2.5`, `-0.125`, rounded to 6 significant digits. */
function fmt(v: number): string {
  const r = Number(v.toPrecision(6));
  return String(Object.is(r, -0) ? 0 : r);
}

const at = (x: number, y: number): string => `(${fmt(x)}, ${fmt(y)})`;

/**
 * Why `points` is not a usable zone outline, or undefined when it is a simple polygon with an
 * area. The reason is a sentence for the user; edges are numbered from 1, edge k joining point k
 * and point k + 1 (the last edge joins the last point and the first). Checked in order: finite
 * numbers, at least 3 distinct points, no repeated consecutive point (nor a closing copy of the
 * first), not all on one line, and no two edges that cross, touch or overlap other than where
 * consecutive edges share their point.
 */
export function polygonProblem(points: ReadonlyArray<Point>): string | undefined {
  const bad = points.findIndex(([x, y]) => !Number.isFinite(x) || !Number.isFinite(y));
  if (bad >= 0) return `point ${bad + 1} is not a pair of finite numbers`;
  const distinct = new Set(points.map(([x, y]) => `${x},${y}`)).size;
  if (distinct < 3) return `needs at least 3 distinct points, got ${distinct}`;
  const coords = flatCoords(points);
  const eps = epsilonOf(boundsOf(coords));
  return repeatedPoint(coords, eps) ?? (collinear(coords, eps) ? NO_AREA : undefined) ?? selfContact(coords, eps);
}

/** Also what a degenerate `rect` reports, so both outlines read alike. */
export const NO_AREA = 'the outline has no area (its points are on one line)';

function repeatedPoint(c: Float64Array, eps: number): string | undefined {
  const n = c.length >> 1;
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    if (Math.hypot((c[2 * j] as number) - (c[2 * i] as number), (c[2 * j + 1] as number) - (c[2 * i + 1] as number)) > eps) continue;
    if (j === 0) return `the last point repeats the first ${at(c[0] as number, c[1] as number)}; leave it out, the outline closes by itself`;
    return `points ${i + 1} and ${j + 1} are the same point ${at(c[2 * i] as number, c[2 * i + 1] as number)}`;
  }
  return undefined;
}

/** True when every point is within eps of the line through the first point and the farthest one. */
function collinear(c: Float64Array, eps: number): boolean {
  const n = c.length >> 1;
  const x0 = c[0] as number;
  const y0 = c[1] as number;
  let far = 0;
  let farD = 0;
  for (let i = 1; i < n; i++) {
    const d = Math.hypot((c[2 * i] as number) - x0, (c[2 * i + 1] as number) - y0);
    if (d > farD) [far, farD] = [i, d];
  }
  const ux = ((c[2 * far] as number) - x0) / farD;
  const uy = ((c[2 * far + 1] as number) - y0) / farD;
  for (let i = 1; i < n; i++) {
    if (Math.abs(ux * ((c[2 * i + 1] as number) - y0) - uy * ((c[2 * i] as number) - x0)) > eps) return false;
  }
  return true;
}

/** The first pair of edges that meet where they should not, as a sentence. */
function selfContact(c: Float64Array, eps: number): string | undefined {
  const n = c.length >> 1;
  const px = (k: number): number => c[2 * (k % n)] as number;
  const py = (k: number): number => c[2 * (k % n) + 1] as number;
  const edges = (i: number, j: number): string => `edges ${Math.min(i, j) + 1} and ${Math.max(i, j) + 1}`;
  for (let i = 0; i < n; i++) {
    // Consecutive edges share point i + 1 and may only meet there: they overlap when one folds back
    // along the other, putting an end of one on the other.
    const [ax, ay, vx, vy, bx, by] = [px(i), py(i), px(i + 1), py(i + 1), px(i + 2), py(i + 2)];
    if (distanceToSegment(bx, by, ax, ay, vx, vy) <= eps) return `the outline runs back over itself: ${edges(i, (i + 1) % n)} overlap from ${at(vx, vy)} to ${at(bx, by)}`;
    if (distanceToSegment(ax, ay, vx, vy, bx, by) <= eps) return `the outline runs back over itself: ${edges(i, (i + 1) % n)} overlap from ${at(vx, vy)} to ${at(ax, ay)}`;
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      const hit = segmentContact(px(i), py(i), px(i + 1), py(i + 1), px(j), py(j), px(j + 1), py(j + 1), eps);
      if (hit === undefined) continue;
      if (hit.kind === 'cross') return `the outline crosses itself: ${edges(i, j)} cross at ${at(hit.x, hit.y)}`;
      if (hit.kind === 'touch') return `the outline touches itself: ${edges(i, j)} touch at ${at(hit.x, hit.y)}`;
      return `the outline runs over itself: ${edges(i, j)} overlap from ${at(hit.x, hit.y)} to ${at(hit.x2, hit.y2)}`;
    }
  }
  return undefined;
}

/**
 * Where the polygon `inner` leaves `outer` (boundaries may touch), as a phrase such as
 * `point 3 (12, 4) is outside it`, or undefined when inner lies within outer. Checks every vertex
 * and edge midpoint of inner, and that no edge of inner passes through an edge of outer; the
 * midpoints catch an edge that leaves a concave outer polygon between two of its vertices.
 */
export function whereOutside(inner: Float64Array, outer: Float64Array): string | undefined {
  const eps = epsilonOf(boundsOf(outer));
  const n = inner.length >> 1;
  const m = outer.length >> 1;
  for (let i = 0; i < n; i++) {
    const [ax, ay] = [inner[2 * i] as number, inner[2 * i + 1] as number];
    if (!pointInPolygon(outer, ax, ay, eps)) return `point ${i + 1} ${at(ax, ay)} is outside it`;
  }
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    const [ax, ay, bx, by] = [inner[2 * i] as number, inner[2 * i + 1] as number, inner[2 * j] as number, inner[2 * j + 1] as number];
    // Name the crossing nearest the edge's start: the place where it leaves.
    let first: { x: number; y: number; d: number } | undefined;
    for (let k = 0; k < m; k++) {
      const l = (k + 1) % m;
      const hit = segmentContact(ax, ay, bx, by, outer[2 * k] as number, outer[2 * k + 1] as number, outer[2 * l] as number, outer[2 * l + 1] as number, eps);
      const d = hit?.kind === 'cross' ? Math.hypot(hit.x - ax, hit.y - ay) : Infinity;
      if (hit !== undefined && d < (first?.d ?? Infinity)) first = { x: hit.x, y: hit.y, d };
    }
    if (first !== undefined) return `edge ${i + 1} crosses its outline at ${at(first.x, first.y)}`;
    if (!pointInPolygon(outer, (ax + bx) / 2, (ay + by) / 2, eps)) return `edge ${i + 1} passes outside it at ${at((ax + bx) / 2, (ay + by) / 2)}`;
  }
  return undefined;
}
