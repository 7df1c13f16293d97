import type { SensorModel } from '../config/model.js';
import { ExprError } from '../expr/ast.js';
import { READY, type Compiled, type RunFn } from '../expr/compiled.js';
import { conversion, lookupUnit, NO_UNIT, type Unit } from '../expr/units.js';
import type { SensorRuntime } from '../sensors/sensor-runtime.js';
import { AGGREGATE_FIELDS, AGGREGATE_WIDTH, aggregateInto, CONV_STRIDE, type AggregateField } from './zone-aggregate.js';

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
 * A running aggregate over zone members: `run()` fills `fields` (avg, min, max, count,
 * stale_count) and bumps `version` when any of them changed, so event-driven readers wake.
 */
export class ZoneAggregator {
  readonly fields = new Float64Array(AGGREGATE_WIDTH).fill(NaN);
  private readonly previous = new Float64Array(AGGREGATE_WIDTH).fill(NaN);
  private readonly stale: Uint8Array;
  /** [version]: in a typed array so the tick stores no double in a field. */
  readonly version = new Float64Array(1);
  readonly run: RunFn;

  constructor(
    readonly members: ZoneMembers,
    values: Float64Array,
  ) {
    this.stale = new Uint8Array(members.slots.length);
    const { slots, conv, sensors } = members;
    const { fields, previous, stale, version } = this;
    this.run = () => {
      for (let k = 0; k < sensors.length; k++) stale[k] = (sensors[k] as SensorRuntime).stale ? 1 : 0;
      aggregateInto(values, slots, conv, fields, stale);
      let changed = false;
      for (let f = 0; f < AGGREGATE_WIDTH; f++) {
        const a = fields[f] as number;
        const b = previous[f] as number;
        if (a !== b && (a === a || b === b)) changed = true;
        previous[f] = a;
      }
      if (changed) version[0] = (version[0] as number) + 1;
    };
  }

  /** One field as an expression operand (read after the aggregate's node has run this tick). */
  field(name: string, id: string, at: number): Compiled {
    const k = AGGREGATE_FIELDS.indexOf(name as AggregateField);
    if (k < 0) throw new ExprError(at, `${id} has no field "${name}"; it has ${AGGREGATE_FIELDS.join(', ')}`, 'reference');
    const unit = name === 'count' || name === 'stale_count' ? NO_UNIT : this.members.unit;
    return { kind: 'number', unit, run: READY, out: this.fields, at: k, ref: undefined, stateful: false, constant: undefined, literal: false };
  }
}
