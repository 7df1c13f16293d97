import type { SensorModel } from '../config/model.js';
import { ExprError } from '../expr/ast.js';
import { computed, jsonToNumber } from '../expr/compile.js';
import { READY, type Compiled } from '../expr/compiled.js';
import { lookupUnit, NO_UNIT } from '../expr/units.js';

/**
 * A sensor's value as an expression operand. Numbers and booleans are read from their slot in
 * place (no evaluation: `run` is the no-op); strings and JSON read the reference slot;
 * `floor_mat.cells` walks a JSON reading's fields (the path is split once, here, so the tick does
 * no string work).
 */
export function sensorValue(
  s: SensorModel,
  slot: number,
  path: readonly string[],
  num: Float64Array,
  ref: unknown[],
  at: number,
): Compiled {
  const unit = s.unit === undefined ? NO_UNIT : (lookupUnit(s.unit) ?? NO_UNIT);
  const base = { unit, stateful: false, constant: undefined, literal: false } as const;
  if (path.length > 0 && s.valueType !== 'json') {
    throw new ExprError(at, `${s.id} is a ${s.valueType} sensor: it has no field "${path.join('.')}"`, 'reference');
  }
  if (s.valueType === 'number' || s.valueType === 'boolean') {
    return { ...base, kind: s.valueType, run: READY, out: num, at: slot, ref: undefined };
  }
  if (s.valueType === 'string') {
    return { ...base, kind: 'string', run: READY, out: num, at: slot, ref: () => ref[slot] };
  }
  const read = path.length === 0 ? () => ref[slot] : () => walk(ref[slot], path);
  return jsonValue(read, unit);
}

/** A JSON value: its reference, and its number (when it is one) computed on demand. */
function jsonValue(read: () => unknown, unit: Compiled['unit']): Compiled {
  const asNumber = computed('number', unit, [], (r) => () => {
    r[0] = jsonToNumber(read());
  });
  return { ...asNumber, kind: 'json', ref: read, stateful: false, constant: undefined };
}

function walk(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[path[i] as string];
  }
  return cur;
}

/**
 * A pattern's or condition's value as an operand: read from its slot, never re-evaluated (its
 * temporal state must advance once per tick). `p.value` is accepted as a synonym of `p`.
 */
export function nodeValue(
  node: Compiled,
  slot: number,
  num: Float64Array,
  ref: unknown[],
  id: string,
  path: readonly string[],
  at: number,
): Compiled {
  if (path.length > 1 || (path.length === 1 && path[0] !== 'value')) {
    throw new ExprError(at, `${id} has no field "${path.join('.')}" (it has one value: write ${id})`, 'reference');
  }
  const base = { kind: node.kind, unit: node.unit, stateful: false, constant: undefined, literal: false } as const;
  if (node.kind === 'number' || node.kind === 'boolean') return { ...base, run: READY, out: num, at: slot, ref: undefined };
  if (node.kind === 'string') return { ...base, run: READY, out: num, at: slot, ref: () => ref[slot] };
  return jsonValue(() => ref[slot], node.unit);
}
