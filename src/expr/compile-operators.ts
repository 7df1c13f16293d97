import { ExprError, type Expr } from './ast.js';
import { compileNode, constant, expectBoolean, expectNumber, type CompileUnit } from './compile.js';
import type { Compiled, NumFn } from './compiled.js';
import {
  applyAffine,
  combine,
  conversion,
  NO_UNIT,
  temperatureDifference,
  type Unit,
} from './units.js';

type Unary = Extract<Expr, { type: 'unary' }>;
type Binary = Extract<Expr, { type: 'binary' }>;

/** Relative tolerance of `==` between numbers, so 0.1 + 0.2 == 0.3 and 68 °F == 20 °C. */
const EQUAL_TOLERANCE = 1e-9;

export function compileOperator(e: Unary | Binary, unit: CompileUnit): Compiled {
  if (e.type === 'unary') {
    const arg = compileNode(e.arg, unit);
    if (e.op === 'not') {
      const a = expectBoolean(arg, e.arg.at, 'the operand of not').num;
      return derived('boolean', NO_UNIT, [arg], () => {
        const v = a();
        return v !== v ? NaN : 1 - v;
      });
    }
    const a = expectNumber(arg, e.arg.at, 'the operand of -').num;
    return derived('number', arg.unit, [arg], () => -a());
  }
  const left = compileNode(e.left, unit);
  const right = compileNode(e.right, unit);
  switch (e.op) {
    case 'and':
    case 'or':
      return logical(e, left, right);
    case '==':
    case '!=':
      if (left.kind === 'string' || right.kind === 'string') return stringEquality(e, left, right);
      if (left.kind === 'boolean' || right.kind === 'boolean') return booleanEquality(e, left, right);
      return comparison(e, left, right);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return comparison(e, left, right);
    case '+':
    case '-':
      return additive(e, left, right);
    case '*':
    case '/':
      return multiplicative(e, left, right);
  }
}

/** A computed result; folded to a constant when every operand is constant and stateless. */
function derived(kind: 'number' | 'boolean', u: Unit, parts: Compiled[], fn: NumFn): Compiled {
  const stateful = parts.some((p) => p.stateful);
  if (!stateful && parts.every((p) => p.constant !== undefined)) return constant(fn(), kind, u);
  return { kind, unit: u, num: fn, ref: undefined, stateful, constant: undefined, literal: false };
}

/**
 * Kleene three-valued and/or. The right operand is skipped only when it holds no temporal state;
 * a stateful operand must see every tick, or `a and held(b, 5s)` would miss b's run start.
 */
function logical(e: Binary, l: Compiled, r: Compiled): Compiled {
  const a = expectBoolean(l, e.left.at, `the left side of ${e.op}`).num;
  const b = expectBoolean(r, e.right.at, `the right side of ${e.op}`).num;
  const lazy = !r.stateful;
  if (e.op === 'and') {
    return derived('boolean', NO_UNIT, [l, r], () => {
      const x = a();
      if (x === 0 && lazy) return 0;
      const y = b();
      if (x === 0 || y === 0) return 0;
      return x !== x || y !== y ? NaN : 1;
    });
  }
  return derived('boolean', NO_UNIT, [l, r], () => {
    const x = a();
    if (x === 1 && lazy) return 1;
    const y = b();
    if (x === 1 || y === 1) return 1;
    return x !== x || y !== y ? NaN : 0;
  });
}

/**
 * Brings the right operand into the left operand's unit. A bare number takes the other side's
 * unit (`lobby_temp > 28` on a degC sensor means 28 degC). A literal absolute temperature
 * compared with a temperature difference is read as a difference (`a - b > 5 degC`).
 */
function unify(e: Binary, l: Compiled, r: Compiled): { a: NumFn; b: NumFn; unit: Unit } {
  const a = expectNumber(l, e.left.at, `the left side of ${e.op}`).num;
  const b0 = expectNumber(r, e.right.at, `the right side of ${e.op}`).num;
  if (l.unit.name === r.unit.name || r.unit === NO_UNIT || r.unit.name === '') return { a, b: b0, unit: l.unit.name === '' ? r.unit : l.unit };
  if (l.unit.name === '') return { a, b: b0, unit: r.unit };
  let from = r.unit;
  if (r.literal && r.unit.absTemp && !l.unit.absTemp) from = temperatureDifference(r.unit);
  else if (l.literal && l.unit.absTemp && !r.unit.absTemp) {
    const conv = conversion(r.unit, temperatureDifference(l.unit));
    if (conv !== undefined) return { a, b: convertFn(r, b0, conv), unit: temperatureDifference(l.unit) };
  }
  const conv = conversion(from, l.unit);
  if (conv === undefined) {
    throw new ExprError(e.at, `cannot ${verb(e.op)} ${describeUnit(l.unit)} and ${describeUnit(r.unit)}`, 'unit');
  }
  return { a, b: convertFn(r, b0, conv), unit: l.unit };
}

function convertFn(r: Compiled, b: NumFn, conv: { pre: number; mul: number; post: number }): NumFn {
  if (r.constant !== undefined && !r.stateful) {
    const v = applyAffine(conv, r.constant);
    return () => v;
  }
  const { pre, mul, post } = conv;
  return () => (b() + pre) * mul + post;
}

function verb(op: string): string {
  if (op === '+') return 'add';
  if (op === '-') return 'subtract';
  return 'compare';
}

function describeUnit(u: Unit): string {
  return u.name === '' ? 'a plain number' : `${u.display} (${u.absTemp ? 'absolute temperature' : kindName(u)})`;
}

function kindName(u: Unit): string {
  return u.name.startsWith('deg') ? 'temperature difference' : u.name;
}

function comparison(e: Binary, l: Compiled, r: Compiled): Compiled {
  const { a, b } = unify(e, l, r);
  const parts = [l, r];
  if (r.constant !== undefined && !r.stateful && l.constant === undefined) {
    return { ...derived('boolean', NO_UNIT, parts, () => 0), num: compareWithConstant(e.op, l, a, b()) };
  }
  switch (e.op) {
    case '<':
      return derived('boolean', NO_UNIT, parts, () => cmp(a(), b(), 0));
    case '<=':
      return derived('boolean', NO_UNIT, parts, () => cmp(a(), b(), 1));
    case '>':
      return derived('boolean', NO_UNIT, parts, () => cmp(b(), a(), 0));
    case '>=':
      return derived('boolean', NO_UNIT, parts, () => cmp(b(), a(), 1));
    case '==':
      return derived('boolean', NO_UNIT, parts, () => eq(a(), b()));
    default:
      return derived('boolean', NO_UNIT, parts, () => {
        const v = eq(a(), b());
        return v !== v ? NaN : 1 - v;
      });
  }
}

/**
 * `x OP constant`, the shape of most conditions, without a closure call for the constant and, when
 * x is a plain slot, without one for x either.
 */
function compareWithConstant(op: Binary['op'], l: Compiled, a: NumFn, c: number): NumFn {
  const s = l.slot;
  if (s !== undefined) {
    const arr = s.array;
    const i = s.index;
    switch (op) {
      case '>':
        return () => {
          const x = arr[i] as number;
          return x !== x ? NaN : x > c ? 1 : 0;
        };
      case '>=':
        return () => {
          const x = arr[i] as number;
          return x !== x ? NaN : x >= c ? 1 : 0;
        };
      case '<':
        return () => {
          const x = arr[i] as number;
          return x !== x ? NaN : x < c ? 1 : 0;
        };
      case '<=':
        return () => {
          const x = arr[i] as number;
          return x !== x ? NaN : x <= c ? 1 : 0;
        };
      default:
        break;
    }
  }
  switch (op) {
    case '>':
      return () => {
        const x = a();
        return x !== x ? NaN : x > c ? 1 : 0;
      };
    case '>=':
      return () => {
        const x = a();
        return x !== x ? NaN : x >= c ? 1 : 0;
      };
    case '<':
      return () => {
        const x = a();
        return x !== x ? NaN : x < c ? 1 : 0;
      };
    case '<=':
      return () => {
        const x = a();
        return x !== x ? NaN : x <= c ? 1 : 0;
      };
    case '==':
      return () => eq(a(), c);
    default:
      return () => {
        const v = eq(a(), c);
        return v !== v ? NaN : 1 - v;
      };
  }
}

/** x < y (orEqual 0) or x <= y (orEqual 1), unknown if either is. */
function cmp(x: number, y: number, orEqual: number): number {
  if (x !== x || y !== y) return NaN;
  return x < y || (orEqual === 1 && x === y) ? 1 : 0;
}

function eq(x: number, y: number): number {
  if (x !== x || y !== y) return NaN;
  if (x === y) return 1;
  return Math.abs(x - y) <= EQUAL_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y)) ? 1 : 0;
}

function booleanEquality(e: Binary, l: Compiled, r: Compiled): Compiled {
  const a = expectBoolean(l, e.left.at, `the left side of ${e.op}`).num;
  const b = expectBoolean(r, e.right.at, `the right side of ${e.op}`).num;
  const same = e.op === '==' ? 1 : 0;
  return derived('boolean', NO_UNIT, [l, r], () => {
    const x = a();
    const y = b();
    if (x !== x || y !== y) return NaN;
    return x === y ? same : 1 - same;
  });
}

function stringEquality(e: Binary, l: Compiled, r: Compiled): Compiled {
  for (const [side, c] of [['left', l], ['right', r]] as const) {
    if (c.kind !== 'string' && c.kind !== 'json') {
      throw new ExprError(side === 'left' ? e.left.at : e.right.at, `cannot compare a ${c.kind} with a string`, 'type');
    }
  }
  const a = l.ref ?? (() => undefined);
  const b = r.ref ?? (() => undefined);
  const same = e.op === '==' ? 1 : 0;
  return derived('boolean', NO_UNIT, [l, r], () => {
    const x = a();
    const y = b();
    if (x === undefined || y === undefined || x === null || y === null) return NaN;
    return x === y ? same : 1 - same;
  });
}

function additive(e: Binary, l: Compiled, r: Compiled): Compiled {
  // absolute - absolute = difference; absolute ± difference = absolute. A literal on the right
  // (`t + 2 degC`) is an offset: users write degrees, not a second absolute temperature.
  if (l.unit.absTemp && r.unit.absTemp && r.literal) {
    return additive(e, l, { ...r, unit: temperatureDifference(r.unit), literal: false });
  }
  if (l.unit.absTemp && r.unit.absTemp) {
    if (e.op === '+') throw new ExprError(e.at, 'cannot add two absolute temperatures', 'unit');
    const { a, b } = unify(e, l, r);
    return derived('number', temperatureDifference(l.unit), [l, r], () => a() - b());
  }
  if (l.unit.absTemp && r.unit.name.startsWith('deg')) {
    const a = expectNumber(l, e.left.at, 'the left side').num;
    const conv = conversion(r.unit, temperatureDifference(l.unit));
    if (conv === undefined) throw new ExprError(e.at, 'incompatible temperature units', 'unit');
    const b = convertFn(r, expectNumber(r, e.right.at, 'the right side').num, conv);
    return derived('number', l.unit, [l, r], e.op === '+' ? () => a() + b() : () => a() - b());
  }
  if (r.unit.absTemp && !l.unit.absTemp && l.unit.name !== '') {
    throw new ExprError(e.at, `cannot ${verb(e.op)} ${describeUnit(l.unit)} and ${describeUnit(r.unit)}`, 'unit');
  }
  const { a, b, unit: u } = unify(e, l, r);
  return derived('number', u, [l, r], e.op === '+' ? () => a() + b() : () => a() - b());
}

function multiplicative(e: Binary, l: Compiled, r: Compiled): Compiled {
  const a = expectNumber(l, e.left.at, `the left side of ${e.op}`).num;
  const b = expectNumber(r, e.right.at, `the right side of ${e.op}`).num;
  // Scaling by a plain number keeps the unit, even for absolute temperatures.
  const u =
    r.unit.name === '' ? l.unit : l.unit.name === '' && e.op === '*' ? r.unit : combine(l.unit, r.unit, e.op === '*' ? '*' : '/');
  if (u === undefined) {
    throw new ExprError(e.at, `cannot ${e.op === '*' ? 'multiply' : 'divide'} ${describeUnit(l.unit)} and ${describeUnit(r.unit)}`, 'unit');
  }
  if (e.op === '*') return derived('number', u, [l, r], () => a() * b());
  return derived('number', u, [l, r], () => {
    const y = b();
    return y === 0 ? NaN : a() / y;
  });
}
