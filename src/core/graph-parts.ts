/** Pieces of graph building: sensors, pattern kinds, evaluation-mode choice, edge details. */
import type { PatternModel, SensorModel, SourcePos, ExprSource, DeploymentModel } from '../config/model.js';
import { ExprError } from '../expr/ast.js';
import type { Compiled } from '../expr/compiled.js';
import { NO_UNIT } from '../expr/units.js';
import { ticksWithin } from '../conditions/temporal-op.js';
import type { FieldNode } from '../patterns/field-node.js';
import { zoneAggregateNode, zoneMembers } from '../patterns/zone-aggregate-node.js';
import { createFilter } from '../sensors/filters/create-filter.js';
import type { Filter } from '../sensors/filters/filter.js';
import { SensorRuntime } from '../sensors/sensor-runtime.js';

/** Default `stale_after`: three sample periods (README: "Sensors"). */
export const DEFAULT_STALE_PERIODS = 3;

/**
 * What `mode: auto` chooses. Event-driven evaluation pays off when inputs hold still between
 * samples, and only costs bookkeeping when they change every tick. So a node is polled when it
 * depends on a sensor that is read on every tick (no `sample_every` longer than the tick, and not
 * a push source), and event-driven otherwise. Both modes give the same log; this is only speed.
 */
export function autoMode(sensors: readonly SensorModel[], deps: ReadonlySet<number>, periodUs: number): 'poll' | 'event' {
  for (const i of deps) {
    const s = sensors[i];
    if (s === undefined) continue;
    const push = s.kind === 'mqtt' || s.kind === 'serial' || s.kind === 'entities' || (s.kind === 'gpio' && s.hardware['edge'] !== 'none');
    if (!push && (s.sampleEveryUs ?? 0) <= periodUs) return 'poll';
  }
  return 'event';
}

/** A `zone_aggregate` pattern: a field node; its value is a change counter, readers use its fields. */
export function compileZoneAggregate(
  p: PatternModel,
  model: DeploymentModel,
  sensors: readonly SensorRuntime[],
  zonesOf: ReadonlyMap<string, readonly string[]>,
  num: Float64Array,
  fieldNodes: Map<string, FieldNode>,
  report: (src: ExprSource | SourcePos, err: unknown) => void,
): { value: Compiled; filters: Filter[] } | undefined {
  const zone = p.params['zone'];
  const quantity = p.params['quantity'];
  if (typeof zone !== 'string' || typeof quantity !== 'string') {
    report(p.pos, new ExprError(0, 'a zone_aggregate needs `zone` and `quantity`', 'type'));
    return undefined;
  }
  try {
    const members = zoneMembers(zone, quantity, p.unit, model.sensors, sensors, zonesOf, 0);
    const node = zoneAggregateNode(p.id, members, num);
    fieldNodes.set(p.id, node);
    return { value: node.value(NO_UNIT), filters: [] };
  } catch (err) {
    report(p.pos, err);
    return undefined;
  }
}

/**
 * `stale_after` when the sensor does not say: three sample periods. A push sensor (mqtt, serial,
 * gpio with edges) without `sample_every` has no period: it reports when something changes, so
 * silence is not a failure and its value is held until its transport is lost (then it is stale)
 * or a new value comes.
 */
export function defaultStaleUs(s: SensorModel | undefined, periodUs: number): number {
  if (s !== undefined && s.sampleEveryUs === undefined && isPushSensor(s)) return Infinity;
  return DEFAULT_STALE_PERIODS * Math.max(s?.sampleEveryUs ?? periodUs, periodUs);
}

/** Sensors whose readings arrive when the device sends them, not when the tick asks. */
export function isPushSensor(s: SensorModel): boolean {
  return s.kind === 'mqtt' || s.kind === 'serial' || (s.kind === 'gpio' && s.hardware['edge'] !== 'none');
}

export function buildSensor(s: SensorModel, index: number, periodUs: number, report: (e: unknown) => void): SensorRuntime {
  const staleUs = s.staleAfterUs ?? defaultStaleUs(s, periodUs);
  let filters: Filter[] = [];
  try {
    filters = s.filters.map(createFilter);
  } catch (err) {
    report(err);
  }
  const numeric = s.valueType === 'number' || s.valueType === 'boolean';
  return new SensorRuntime(s.id, index, index, numeric, filters, ticksWithin(staleUs, periodUs), periodUs);
}
