import { computed } from './compile.js';
import { READY, type Compiled, type Flat } from './compiled.js';
import { applyAffine, IDENTITY, type Affine, type Unit } from './units.js';

/** Relative tolerance of `==` between numbers, so 0.1 + 0.2 == 0.3 and 68 °F == 20 °C. */
const EQUAL_TOLERANCE = 1e-9;

/** Two numeric operands in one unit: the right one carries the affine map into the left's unit. */
export interface Unified {
  readonly a: Compiled;
  readonly b: Compiled;
  readonly conv: Affine;
  readonly unit: Unit;
}

export type BinaryOpName = 'LT' | 'LE' | 'GT' | 'GE' | 'EQ' | 'NE' | 'ADD' | 'SUB' | 'MUL' | 'DIV' | 'BEQ' | 'BNE';

/**
 * The closure computing `x OP y` from two operands, the right one converted into the left's unit.
 * One closure literal per operator, so nothing inside calls through a megamorphic function (whose
 * double arguments V8 would box); a constant right side is converted once and folded in.
 */
export function binaryNumeric(kind: 'number' | 'boolean', unit: Unit, u: Unified, name: BinaryOpName): Compiled {
  const { run: ra, out: oa, at: ia } = u.a;
  const raLive = ra !== READY;
  const parts = [u.a, u.b];
  const flat: Flat = { op: 'binary', name, a: u.a, b: u.b, conv: u.conv };
  if (u.b.constant !== undefined && !u.b.stateful) {
    const c = applyAffine(u.conv, u.b.constant);
    switch (name) {
    case 'LT':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x !== x || y !== y ? NaN : x < y ? 1 : 0;
      }, flat);
    case 'LE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x !== x || y !== y ? NaN : x <= y ? 1 : 0;
      }, flat);
    case 'GT':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x !== x || y !== y ? NaN : x > y ? 1 : 0;
      }, flat);
    case 'GE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x !== x || y !== y ? NaN : x >= y ? 1 : 0;
      }, flat);
    case 'EQ':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = eq(x, y);
      }, flat);
    case 'NE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = notEq(x, y);
      }, flat);
    case 'ADD':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x + y;
      }, flat);
    case 'SUB':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x - y;
      }, flat);
    case 'MUL':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x * y;
      }, flat);
    case 'DIV':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = y === 0 ? NaN : x / y;
      }, flat);
    case 'BEQ':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x !== x || y !== y ? NaN : x === y ? 1 : 0;
      }, flat);
    case 'BNE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        const x = oa[ia] as number;
        const y = c;
        r[0] = x !== x || y !== y ? NaN : x === y ? 0 : 1;
      }, flat);
    }
  }
  const { run: rb, out: ob, at: ib } = u.b;
  const rbLive = rb !== READY;
  const { pre, mul, post } = u.conv;
  const identity = u.conv === IDENTITY;
  switch (name) {
    case 'LT':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x !== x || y !== y ? NaN : x < y ? 1 : 0;
      }, flat);
    case 'LE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x !== x || y !== y ? NaN : x <= y ? 1 : 0;
      }, flat);
    case 'GT':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x !== x || y !== y ? NaN : x > y ? 1 : 0;
      }, flat);
    case 'GE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x !== x || y !== y ? NaN : x >= y ? 1 : 0;
      }, flat);
    case 'EQ':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = eq(x, y);
      }, flat);
    case 'NE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = notEq(x, y);
      }, flat);
    case 'ADD':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x + y;
      }, flat);
    case 'SUB':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x - y;
      }, flat);
    case 'MUL':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x * y;
      }, flat);
    case 'DIV':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = y === 0 ? NaN : x / y;
      }, flat);
    case 'BEQ':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x !== x || y !== y ? NaN : x === y ? 1 : 0;
      }, flat);
    case 'BNE':
      return computed(kind, unit, parts, (r) => () => {
        if (raLive) ra();
        if (rbLive) rb();
        const x = oa[ia] as number;
        const y0 = ob[ib] as number;
        const y = identity ? y0 : (y0 + pre) * mul + post;
        r[0] = x !== x || y !== y ? NaN : x === y ? 0 : 1;
      }, flat);
  }
}

export function eq(x: number, y: number): number {
  if (x !== x || y !== y) return NaN;
  if (x === y) return 1;
  return Math.abs(x - y) <= EQUAL_TOLERANCE * Math.max(1, Math.abs(x), Math.abs(y)) ? 1 : 0;
}

export function notEq(x: number, y: number): number {
  const v = eq(x, y);
  return v !== v ? NaN : 1 - v;
}

