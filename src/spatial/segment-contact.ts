/**
 * How two line segments meet, with a distance tolerance: the building block of the self-intersection
 * check of zone outlines. A tolerance is used instead of exact predicates because containment treats
 * everything within the same tolerance of an edge as on the edge: two edges closer than that already
 * behave as touching.
 */

/** Where two segments meet. `x2`/`y2` is the far end of the shared stretch for an `overlap`. */
export type SegmentContact =
  | { readonly kind: 'cross'; readonly x: number; readonly y: number }
  | { readonly kind: 'touch'; readonly x: number; readonly y: number }
  | { readonly kind: 'overlap'; readonly x: number; readonly y: number; readonly x2: number; readonly y2: number };

/** Distance from (px, py) to the segment a-b (to the point a when the segment has no length). */
export function distanceToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Signed distance of (px, py) from the line through a and b (positive on the left of a→b). */
function sideOf(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const len = Math.hypot(bx - ax, by - ay);
  return len === 0 ? 0 : ((bx - ax) * (py - ay) - (by - ay) * (px - ax)) / len;
}

/**
 * How segment a-b meets segment c-d, or undefined when they stay more than `eps` apart. `cross`:
 * they pass through each other; `touch`: an end of one lies on (within eps of) the other; `overlap`:
 * they run along each other for more than eps.
 */
export function segmentContact(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
  eps: number,
): SegmentContact | undefined {
  const sa = sideOf(ax, ay, cx, cy, dx, dy);
  const sb = sideOf(bx, by, cx, cy, dx, dy);
  const sc = sideOf(cx, cy, ax, ay, bx, by);
  const sd = sideOf(dx, dy, ax, ay, bx, by);
  const apart = (s1: number, s2: number): boolean => (s1 > eps && s2 < -eps) || (s1 < -eps && s2 > eps);
  if (apart(sa, sb) && apart(sc, sd)) {
    const t = sa / (sa - sb);
    return { kind: 'cross', x: ax + t * (bx - ax), y: ay + t * (by - ay) };
  }
  const collinear = Math.abs(sa) <= eps && Math.abs(sb) <= eps && Math.abs(sc) <= eps && Math.abs(sd) <= eps;
  if (collinear) {
    const overlap = sharedStretch(ax, ay, bx, by, cx, cy, dx, dy, eps);
    if (overlap !== undefined) return overlap;
  }
  // Otherwise they meet, if at all, where an end of one lies on the other.
  if (distanceToSegment(ax, ay, cx, cy, dx, dy) <= eps) return { kind: 'touch', x: ax, y: ay };
  if (distanceToSegment(bx, by, cx, cy, dx, dy) <= eps) return { kind: 'touch', x: bx, y: by };
  if (distanceToSegment(cx, cy, ax, ay, bx, by) <= eps) return { kind: 'touch', x: cx, y: cy };
  if (distanceToSegment(dx, dy, ax, ay, bx, by) <= eps) return { kind: 'touch', x: dx, y: dy };
  return undefined;
}

/** For two segments on one line: the stretch they share, when it is longer than eps. */
function sharedStretch(
  ax: number,
  ay: number,
  bx: number,
  by: number,
  cx: number,
  cy: number,
  dx: number,
  dy: number,
  eps: number,
): SegmentContact | undefined {
  const len = Math.hypot(bx - ax, by - ay);
  if (len === 0) return undefined;
  const ux = (bx - ax) / len;
  const uy = (by - ay) / len;
  const tc = (cx - ax) * ux + (cy - ay) * uy;
  const td = (dx - ax) * ux + (dy - ay) * uy;
  const lo = Math.max(0, Math.min(tc, td));
  const hi = Math.min(len, Math.max(tc, td));
  if (hi - lo <= eps) return undefined;
  return { kind: 'overlap', x: ax + lo * ux, y: ay + lo * uy, x2: ax + hi * ux, y2: ay + hi * uy };
}
