import { isSeq } from 'yaml';
import { flatCoords, NO_AREA, polygonProblem, whereOutside } from '../spatial/polygon.js';
import { refTo } from './ids.js';
import type { LoadContext } from './load-context.js';
import type { ZoneModel } from './model.js';
import { id, listOf, numbers } from './readers.js';
import { opt, readObject, req, type Reader, type Shape } from './schema.js';
import { type At, child, keyAt, posOf, report, valueAt } from './yaml-source.js';

type Point = readonly [number, number];

const point: Reader<Point> = (at) => {
  const v = numbers(2)(at);
  return v === undefined ? undefined : [v[0] ?? 0, v[1] ?? 0];
};

/** `rect: [[x, y], [x, y]]`: two opposite corners, stored as the four corners counter-clockwise. */
const rect: Reader<Point[]> = (at) => {
  const corners = listOf(point, { what: 'two opposite corners [[x, y], [x, y]]' })(at);
  if (corners === undefined) return undefined;
  const [a, b] = corners;
  if (a === undefined || b === undefined || corners.length !== 2) {
    report(at, 'SPATIA_CONFIG_TYPE', `expected two opposite corners [[x, y], [x, y]], got ${corners.length} points`);
    return undefined;
  }
  const [minX, maxX] = [Math.min(a[0], b[0]), Math.max(a[0], b[0])];
  const [minY, maxY] = [Math.min(a[1], b[1]), Math.max(a[1], b[1])];
  if (minX === maxX || minY === maxY) {
    report(at, 'SPATIA_CONFIG_VALUE', NO_AREA);
    return undefined;
  }
  return [
    [minX, minY],
    [maxX, minY],
    [maxX, maxY],
    [minX, maxY],
  ];
};

/** `polygon: [[x, y], ...]`: a simple polygon (see polygonProblem for what is refused and why). */
const polygon: Reader<Point[]> = (at) => {
  const points = listOf(point, { min: 3, what: 'a list of points [[x, y], ...]', items: 'points' })(at);
  if (points === undefined) return undefined;
  const problem = polygonProblem(points);
  if (problem === undefined) return points;
  report(at, 'SPATIA_CONFIG_VALUE', problem);
  return undefined;
};

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
    if (reportParentCycles(at, zones)) return undefined;
    warnParentsNotEnclosing(at, zones);
    return zones;
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

/**
 * Warns (the zone still works: membership is by its own outline) about each zone that is not
 * inside its parent, at the zone's `parent` value. Run after the cycle check, on a complete list,
 * so list item i is zone i.
 */
function warnParentsNotEnclosing(at: At, zones: readonly ZoneModel[]): void {
  const coords = new Map(zones.map((z) => [z.id, flatCoords(z.polygon)]));
  const nodes = isSeq(at.node) ? at.node.items : [];
  zones.forEach((zone, i) => {
    const inner = coords.get(zone.id);
    const outer = zone.parent === undefined ? undefined : coords.get(zone.parent);
    if (inner === undefined || outer === undefined) return;
    const where = whereOutside(inner, outer);
    if (where === undefined) return;
    const parentAt = valueAt(child(at, nodes[i], i), 'parent');
    const pos = parentAt === undefined ? { ...zone.pos, path: `${zone.pos.path}.parent` } : posOf(parentAt);
    at.src.issues.warn('SPATIA_CONFIG_VALUE', pos, `zone "${zone.id}" is not inside its parent "${zone.parent}": ${where}`);
  });
}
