import type { SensorModel } from '../config/model.js';
import { ExprError, type Expr } from '../expr/ast.js';
import { computed, constant } from '../expr/compile.js';
import type { Compiled, TickContext } from '../expr/compiled.js';
import { lookupUnit, NO_UNIT } from '../expr/units.js';
import type { SpatialContext } from './spatial-context.js';
import { ZoneGeometry } from './zone-geometry.js';

/** Something with a position: a tracked entity (by id) or a fixed point (a sensor, `point()`). */
type Place = { readonly entity: string } | { readonly x: number; readonly y: number; readonly z: number };

/** What compiling a spatial call needs from the graph. */
export interface SpatialEnv {
  readonly spatial: SpatialContext;
  readonly sensors: readonly SensorModel[];
  readonly zones: ReadonlyMap<string, ZoneGeometry>;
  readonly ctx: TickContext;
  /** entered()/exited() report the ids that crossed in their node's edge record. */
  readonly onCrossing: (zone: number, entering: boolean) => void;
}

const METRES = lookupUnit('m') ?? NO_UNIT;
const SECONDS = lookupUnit('s') ?? NO_UNIT;

/**
 * in_zone, count_in, entered, exited, dwell, distance (SPEC §3). Entities are named by a string
 * (`"forklift_7"`) or through their feed (`tags.forklift_7`); sensors by id (their `location`);
 * fixed points by `point(x, y[, z])`. Zones are resolved to indices once, here.
 */
export function compileSpatialCall(name: string, args: readonly Expr[], at: number, env: SpatialEnv): Compiled {
  const zoneArg = (i: number): number => {
    const a = args[i];
    const zi = a?.type === 'ref' ? env.spatial.zoneIndexOf(a.name) : -1;
    if (zi < 0) throw new ExprError(a?.at ?? at, `${name}() needs a zone id as argument ${i + 1}`, 'reference');
    return zi;
  };
  const arity = (n: number): void => {
    if (args.length !== n) throw new ExprError(at, `${name}() takes ${n} argument${n === 1 ? '' : 's'}, not ${args.length}`);
  };
  const s = env.spatial;
  switch (name) {
    case 'count_in': {
      arity(1);
      const zi = zoneArg(0);
      return computed('number', NO_UNIT, [], (r) => () => {
        r[0] = s.countIn(zi);
      });
    }
    case 'entered':
    case 'exited': {
      arity(1);
      const zi = zoneArg(0);
      const entering = name === 'entered';
      env.onCrossing(zi, entering);
      return computed('boolean', NO_UNIT, [], (r) => () => {
        r[0] = s.crossedCount(zi, entering) > 0 ? 1 : 0;
      });
    }
    case 'in_zone': {
      arity(2);
      const p = place(args[0], env, name);
      const zi = zoneArg(1);
      if (!('entity' in p)) {
        const zone = env.zones.get(s.zoneIds[zi] as string);
        return constant(zone?.contains(p.x, p.y, p.z) === true ? 1 : 0, 'boolean');
      }
      const id = p.entity;
      return computed('boolean', NO_UNIT, [], (r) => () => {
        r[0] = s.trackerOf(id)?.inZone(id, zi) ?? NaN;
      });
    }
    case 'dwell': {
      arity(2);
      const p = place(args[0], env, name);
      if (!('entity' in p)) throw new ExprError(args[0]?.at ?? at, 'dwell() takes an entity', 'type');
      const zi = zoneArg(1);
      const id = p.entity;
      const ctx = env.ctx;
      return computed('number', SECONDS, [], (r) => () => {
        r[0] = s.trackerOf(id)?.dwellS(id, zi, ctx.tick, ctx.periodUs) ?? NaN;
      });
    }
    case 'distance': {
      arity(2);
      const a = place(args[0], env, name);
      const b = place(args[1], env, name);
      return computed('number', METRES, [], (r) => () => {
        r[0] = distanceBetween(a, b, s);
      });
    }
    default:
      throw new ExprError(at, `unknown function ${name}()`, 'reference');
  }
}

function place(e: Expr | undefined, env: SpatialEnv, fn: string): Place {
  if (e?.type === 'str') return { entity: e.value };
  if (e?.type === 'ref') {
    const [head, ...path] = e.name.split('.');
    const sensor = env.sensors.find((s) => s.id === head);
    if (sensor?.kind === 'entities' && path.length === 1) return { entity: path[0] as string };
    if (sensor !== undefined && path.length === 0 && sensor.location !== undefined) {
      const [x, y, z] = sensor.location;
      return { x, y, z: z ?? NaN };
    }
    if (sensor !== undefined) throw new ExprError(e.at, `${fn}(): sensor ${sensor.id} has no location`, 'type');
  }
  if (e?.type === 'call' && e.name === 'point') {
    const v = e.args.map((a) => (a.type === 'num' ? a.value : a.type === 'unary' && a.op === '-' && a.arg.type === 'num' ? -a.arg.value : NaN));
    if ((v.length === 2 || v.length === 3) && v.every((n) => Number.isFinite(n))) return { x: v[0] as number, y: v[1] as number, z: v[2] ?? NaN };
    throw new ExprError(e.at, 'point() takes 2 or 3 numbers (metres): point(3, 4)', 'type');
  }
  throw new ExprError(e?.at ?? 0, `${fn}() takes an entity ("id" or feed.id), a located sensor, or point(x, y)`, 'type');
}

function positionOf(p: Place, s: SpatialContext): { x: number; y: number; z: number } | undefined {
  if (!('entity' in p)) return p;
  return s.trackerOf(p.entity)?.position(p.entity);
}

/** Euclidean distance in metres; 3-D when both have a height, unknown when either is unknown. */
function distanceBetween(a: Place, b: Place, s: SpatialContext): number {
  const pa = positionOf(a, s);
  const pb = positionOf(b, s);
  if (pa === undefined || pb === undefined) return NaN;
  const dx = pa.x - pb.x;
  const dy = pa.y - pb.y;
  const dz = pa.z === pa.z && pb.z === pb.z ? pa.z - pb.z : 0;
  return Math.sqrt(dx * dx + dy * dy + dz * dz);
}
