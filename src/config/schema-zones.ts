import { refTo } from './ids.js';
import type { LoadContext } from './load-context.js';
import type { ZoneModel } from './model.js';
import { id, listOf, numbers } from './readers.js';
import { opt, readObject, req, type Reader, type Shape } from './schema.js';
import { type At, keyAt, posOf, report } from './yaml-source.js';

type Point = readonly [number, number];

const point: Reader<Point> = (at) => {
  const v = numbers(2)(at);
  return v === undefined ? undefined : [v[0] ?? 0, v[1] ?? 0];
};

/** Twice the signed area (shoelace); 0 for a degenerate outline. */
function doubleArea(poly: readonly Point[]): number {
  let sum = 0;
  poly.forEach(([x1, y1], i) => {
    const [x2, y2] = poly[(i + 1) % poly.length] ?? [x1, y1];
    sum += x1 * y2 - x2 * y1;
  });
  return sum;
}

function withArea(read: Reader<Point[]>): Reader<Point[]> {
  return (at) => {
    const poly = read(at);
    if (poly === undefined) return undefined;
    if (doubleArea(poly) !== 0) return poly;
    report(at, 'SPATIA_CONFIG_VALUE', 'the outline has no area (its points are on one line)');
    return undefined;
  };
}

/** `rect: [[x, y], [x, y]]`: two opposite corners, stored as the four corners counter-clockwise. */
const rect: Reader<Point[]> = withArea((at) => {
  const corners = listOf(point, { what: 'two opposite corners [[x, y], [x, y]]' })(at);
  if (corners === undefined) return undefined;
  const [a, b] = corners;
  if (a === undefined || b === undefined || corners.length !== 2) {
    report(at, 'SPATIA_CONFIG_TYPE', `expected two opposite corners [[x, y], [x, y]], got ${corners.length} points`);
    return undefined;
  }
  const [minX, maxX] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
  const [minY, maxY] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
  return [
    [minX, minY],
    [maxX, minY],
    [maxX, maxY],
    [minX, maxY],
  ];
});

const polygon: Reader<Point[]> = withArea(listOf(point, { min: 3, what: 'a list of points [[x, y], ...]', items: 'points' }));

const height: Reader<readonly [number, number]> = (at) => {
  const v = numbers(2)(at);
  if (v === undefined) return undefined;
  const [zMin = 0, zMax = 0] = v;
  if (zMin < zMax) return [zMin, zMax];
  report(at, 'SPATIA_CONFIG_VALUE', `height is [zmin, zmax] with zmin < zmax, got [${zMin}, ${zMax}]`);
  return undefined;
};

/** One item of `zones:`. Coordinates are metres in the site frame. */
export function zoneShape(ctx: LoadContext) {
  return {
    id: req(id, 'The zone id, used by expressions (`in_zone(x, lobby)`) and pattern `zone:` keys.'),
    rect: opt(rect, 'Axis-aligned rectangle given by any two opposite corners. Exactly one of rect and polygon.'),
    polygon: opt(polygon, 'Outline with at least 3 points [[x, y], ...]. Exactly one of rect and polygon.'),
    height: opt(height, 'Optional vertical extent [zmin, zmax] in metres; without it the zone has no z limit.'),
    parent: opt(refTo(ctx.ids, 'zones'), 'The id of an enclosing zone.'),
  } satisfies Shape;
}

function readZone(ctx: LoadContext): Reader<ZoneModel> {
  const shape = zoneShape(ctx);
  return (at) => {
    const v = readObject(at, shape);
    if (v === undefined) return undefined;
    const outline = v.rect ?? v.polygon;
    if (outline === undefined) {
      report(at, 'SPATIA_CONFIG_MISSING', 'a zone needs rect or polygon');
      return undefined;
    }
    if (v.rect !== undefined && v.polygon !== undefined) {
      report(keyAt(at, 'polygon') ?? at, 'SPATIA_CONFIG_VALUE', 'write either rect or polygon, not both');
      return undefined;
    }
    if (v.parent === v.id) {
      report(keyAt(at, 'parent') ?? at, 'SPATIA_CONFIG_CYCLE', `zone "${v.id}" cannot be its own parent`);
      return undefined;
    }
    return {
      id: v.id,
      polygon: outline,
      shape: v.rect !== undefined ? 'rect' : 'polygon',
      height: v.height,
      parent: v.parent,
      pos: posOf(at),
    };
  };
}

/** `zones:` — a list of zones whose `parent` links must not form a cycle. */
export function readZones(ctx: LoadContext): Reader<ZoneModel[]> {
  const list = listOf(readZone(ctx), { what: 'a list of zones' });
  return (at: At) => {
    const zones = list(at);
    if (zones === undefined) return undefined;
    return reportParentCycles(at, zones) ? undefined : zones;
  };
}

/** Reports each cycle of `parent` links once, at its first zone; true if there was one. */
function reportParentCycles(at: At, zones: readonly ZoneModel[]): boolean {
  const parentOf = new Map(zones.map((z) => [z.id, z.parent]));
  const reported = new Set<string>();
  let found = false;
  for (const zone of zones) {
    const chain: string[] = [];
    let cur: string | undefined = zone.id;
    while (cur !== undefined && !chain.includes(cur)) {
      chain.push(cur);
      cur = parentOf.get(cur);
    }
    if (cur !== zone.id || reported.has(zone.id)) continue;
    chain.forEach((id) => reported.add(id));
    found = true;
    at.src.issues.error(
      'SPATIA_CONFIG_CYCLE',
      { ...zone.pos, path: `${zone.pos.path}.parent` },
      `zone parents form a cycle: ${[...chain, zone.id].join(' -> ')}`,
    );
  }
  return found;
}
