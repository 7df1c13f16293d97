import type { SensorModel } from '../config/model.js';
import { ExprError } from '../expr/ast.js';
import { conversion, lookupUnit, NO_UNIT, type Unit } from '../expr/units.js';
import type { SensorRuntime } from '../sensors/sensor-runtime.js';
import { FieldNode } from './field-node.js';
import { AGGREGATE_FIELDS, aggregateInto, CONV_STRIDE } from './zone-aggregate.js';

/** The sensors a zone aggregate reads, and how to bring each into the common unit. */
export interface ZoneMembers {
  readonly slots: Int32Array;
  readonly conv: Float64Array;
  readonly sensors: readonly SensorRuntime[];
  readonly unit: Unit;
}

/**
 * The known sensors of `quantity` located in `zone`, converted to `unitText` (default: the first
 * member's unit). Membership is fixed at load time from sensor locations.
 */
export function zoneMembers(
  zone: string,
  quantity: string,
  unitText: string | undefined,
  sensors: readonly SensorModel[],
  runtimes: readonly SensorRuntime[],
  zonesOf: ReadonlyMap<string, readonly string[]>,
  at: number,
): ZoneMembers {
  const members = sensors
    .map((s, i) => ({ s, i }))
    .filter(({ s }) => s.quantity === quantity && (zonesOf.get(s.id) ?? []).includes(zone) && s.valueType === 'number');
  const unitOf = (s: SensorModel): Unit => (s.unit === undefined ? NO_UNIT : (lookupUnit(s.unit) ?? NO_UNIT));
  const first = members[0];
  const unit = unitText !== undefined ? (lookupUnit(unitText) ?? NO_UNIT) : first === undefined ? NO_UNIT : unitOf(first.s);
  const conv = new Float64Array(members.length * CONV_STRIDE);
  members.forEach(({ s }, k) => {
    const c = conversion(unitOf(s), unit);
    if (c === undefined) {
      throw new ExprError(at, `sensor ${s.id} (${s.unit ?? 'no unit'}) cannot be converted to ${unit.display || 'a plain number'}`, 'unit');
    }
    conv[k * CONV_STRIDE] = c.pre;
    conv[k * CONV_STRIDE + 1] = c.mul;
    conv[k * CONV_STRIDE + 2] = c.post;
  });
  return {
    slots: Int32Array.from(members, ({ i }) => (runtimes[i] as SensorRuntime).slot),
    conv,
    sensors: members.map(({ i }) => runtimes[i] as SensorRuntime),
    unit,
  };
}

/**
 * A zone aggregate as a multi-field node: avg, min, max (in the members' common unit), count and
 * stale_count, recomputed from the members' slots each time the node runs.
 */
export function zoneAggregateNode(id: string, members: ZoneMembers, values: Float64Array): FieldNode {
  const { slots, conv, sensors } = members;
  const stale = new Uint8Array(slots.length);
  return new FieldNode(
    id,
    AGGREGATE_FIELDS.map((name) => ({ name, unit: name === 'count' || name === 'stale_count' ? NO_UNIT : members.unit })),
    (out) => {
      for (let k = 0; k < sensors.length; k++) stale[k] = (sensors[k] as SensorRuntime).stale ? 1 : 0;
      aggregateInto(values, slots, conv, out, stale);
    },
  );
}
