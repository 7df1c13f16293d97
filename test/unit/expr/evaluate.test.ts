import { describe, expect, it } from 'vitest';
import { exprKey } from '../../../src/expr/ast.js';
import { compileExpr } from '../../../src/expr/compile.js';
import { READY, TickContext, valueNow, type Compiled, type Scope } from '../../../src/expr/compiled.js';
import { parseExpr } from '../../../src/expr/parser.js';
import { lookupUnit, NO_UNIT } from '../../../src/expr/units.js';

/** A scope with a few named numeric values (NaN = unknown) and their units. */
function scope(values: Record<string, [number, string?]>): Scope {
  const num = new Float64Array(Object.keys(values).length);
  const ids = Object.keys(values);
  ids.forEach((id, i) => (num[i] = values[id]?.[0] ?? NaN));
  return {
    ctx: new TickContext(100_000),
    periodUs: 100_000,
    initialSkip: false,
    resolve: (name) => {
      const i = ids.indexOf(name);
      if (i < 0) throw new Error(`unknown ${name}`);
      const unitText = values[name]?.[1];
      const isBool = unitText === 'bool';
      const unit = unitText === undefined || isBool ? NO_UNIT : (lookupUnit(unitText) ?? NO_UNIT);
      const c: Compiled = { kind: isBool ? 'boolean' : 'number', unit, run: READY, out: num, at: i, ref: undefined, stateful: false, constant: undefined, literal: false };
      return c;
    },
    sensorFunction: () => {
      throw new Error('not in this test');
    },
    spatialCall: () => {
      throw new Error('not in this test');
    },
    aggregateIn: () => {
      throw new Error('not in this test');
    },
    addOp: () => undefined,
    markTimeVarying: () => undefined,
  };
}

const T = 1;
const F = 0;
const U = NaN;
const bools = { t: [T, 'bool'], f: [F, 'bool'], u: [U, 'bool'] } as Record<string, [number, string]>;
const ev = (text: string, vals: Record<string, [number, string?]> = bools): number => valueNow(compileExpr(text, scope(vals)));

describe('three-valued logic (SPEC §4.2)', () => {
  it.each([
    ['t and t', T], ['t and f', F], ['t and u', U], ['f and u', F], ['u and f', F], ['u and u', U],
    ['t or f', T], ['f or f', F], ['t or u', T], ['u or t', T], ['f or u', U], ['u or u', U],
    ['not t', F], ['not f', T], ['not u', U],
    ['t == t', T], ['t != f', T], ['u == t', U],
  ])('%s = %s', (text, want) => expect(ev(text)).toBe(want));

  it('any comparison with unknown is unknown', () => {
    for (const op of ['<', '<=', '>', '>=', '==', '!=']) expect(ev(`x ${op} 1`, { x: [NaN] })).toBeNaN();
  });
});

describe('precedence: or < and < not < comparison < + - < * / < unary minus', () => {
  it.each([
    ['1 + 2 * 3', 7], ['(1 + 2) * 3', 9], ['-2 * 3', -6], ['10 - 4 - 3', 3], ['8 / 4 / 2', 1], ['2 * -3', -6],
  ])('%s = %s', (text, want) => expect(ev(text, {})).toBe(want));

  it.each([
    ['not 1 > 2 and 3 > 2', '((not (1 > 2)) and (3 > 2))'],
    ['a or b and c', '(a or (b and c))'],
    ['x + 1 > y * 2', '((x + 1) > (y * 2))'],
  ])('%s parses as %s', (text, key) => expect(exprKey(parseExpr(text))).toBe(key));

  it('comparisons do not chain', () => expect(() => parseExpr('1 < x < 3')).toThrow(/do not chain/));
  it('division by zero is unknown, not Infinity', () => expect(ev('1 / x', { x: [0] })).toBeNaN());
  it('== tolerates float rounding: 0.1 + 0.2 == 0.3', () => expect(ev('0.1 + 0.2 == 0.3', {})).toBe(1));
});

describe('units are converted at load time', () => {
  it.each([
    ['t > 82 degF', { t: [28, 'degC'] }, T],
    ['t > 82 °F', { t: [27, 'degC'] }, F],
    ['t == 68 degF', { t: [20, 'degC'] }, T],
    ['t == 20 °C', { t: [68, 'degF'] }, T],
    ['t == 293.15 K', { t: [20, 'degC'] }, T],
    ['d > 250 cm', { d: [3, 'm'] }, T],
    ['p < 1 bar', { p: [1013, 'hPa'] }, F],
    ['c > 0.05 %', { c: [600, 'ppm'] }, T],
    ['10 m / 2 s == 18 km/h', {}, T],
    ['v * 2 s > 15 m', { v: [8, 'm/s'] }, T],
    ['a - b > 5 degC', { a: [30, 'degC'], b: [24, 'degC'] }, T],
    ['a - b > 9 degF', { a: [30, 'degC'], b: [24, 'degC'] }, T],
    ['a - b > 11 degF', { a: [30, 'degC'], b: [24, 'degC'] }, F],
    ['t + 2 degC > 22 degC', { t: [21, 'degC'] }, T],
    ['t > 20', { t: [21, 'degC'] }, T],
  ] as Array<[string, Record<string, [number, string?]>, number]>)('%s with %j -> %s', (text, vals, want) => {
    expect(ev(text, vals)).toBe(want);
  });

  it.each([
    ['t > 5 m', { t: [1, 'degC'] }, /cannot compare/],
    ['a + b', { a: [1, 'degC'], b: [1, 'degC'] }, /cannot add two absolute temperatures/],
    ['d + t', { d: [1, 'm'], t: [1, 's'] }, /cannot add/],
  ] as Array<[string, Record<string, [number, string?]>, RegExp]>)('%s is rejected', (text, vals, msg) => {
    expect(() => compileExpr(text, scope(vals))).toThrow(msg);
  });

  it('conversions are folded into constants: no unit work in the tick', () => {
    const c = compileExpr('t > 82 degF', scope({ t: [28, 'degC'] }));
    expect(c.stateful).toBe(false);
    expect(c.constant).toBeUndefined();
    expect(valueNow(c)).toBe(1);
  });
});
