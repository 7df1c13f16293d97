import { ExprError, type Expr } from './ast.js';
import { binaryNumeric, type Unified } from './binary-numeric.js';
import { compileNode, computed, expectBoolean, expectNumber, type CompileUnit } from './compile.js';
import { READY, type Compiled } from './compiled.js';
import { combine, conversion, IDENTITY, NO_UNIT, temperatureDifference, type Unit } from './units.js';

type Unary = Extract<Expr, { type: 'unary' }>;
type Binary = Extract<Expr, { type: 'binary' }>;

export function compileOperator(e: Unary | Binary, unit: CompileUnit): Compiled {
  if (e.type === 'unary') {
    const arg = compileNode(e.arg, unit);
    if (e.op === 'not') {
      const a = expectBoolean(arg, e.arg.at, 'the operand of not');
      const { run, out, at } = a;
      const runLive = run !== READY;
      return computed(
        'boolean',
        NO_UNIT,
        [a],
        (r) => () => {
          if (runLive) run();
          const v = out[at] as number;
          r[0] = v !== v ? NaN : 1 - v;
        },
        { op: 'not', a },
      );
    }
    const a = expectNumber(arg, e.arg.at, 'the operand of -');
    const { run, out, at } = a;
    const runLive = run !== READY;
    return computed(
      'number',
      arg.unit,
      [a],
      (r) => () => {
        if (runLive) run();
        r[0] = -(out[at] as number);
      },
      { op: 'neg', a },
    );
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

/**
 * Kleene three-valued and/or. The right operand is skipped only when it holds no temporal state;
 * a stateful operand must see every tick, or `a and held(b, 5s)` would miss b's run start.
 */
function logical(e: Binary, l: Compiled, r: Compiled): Compiled {
  const a = expectBoolean(l, e.left.at, `the left side of ${e.op}`);
  const b = expectBoolean(r, e.right.at, `the right side of ${e.op}`);
  const { run: ra, out: oa, at: ia } = a;
  const raLive = ra !== READY;
  const { run: rb, out: ob, at: ib } = b;
  const rbLive = rb !== READY;
  const lazy = !b.stateful;
  if (e.op === 'and') {
    return computed('boolean', NO_UNIT, [a, b], (reg) => () => {
      if (raLive) ra();
      const x = oa[ia] as number;
      if (x === 0 && lazy) {
        reg[0] = 0;
        return;
      }
      if (rbLive) rb();
      const y = ob[ib] as number;
      reg[0] = x === 0 || y === 0 ? 0 : x !== x || y !== y ? NaN : 1;
    }, { op: 'and', a, b, lazy });
  }
  return computed('boolean', NO_UNIT, [a, b], (reg) => () => {
    if (raLive) ra();
    const x = oa[ia] as number;
    if (x === 1 && lazy) {
      reg[0] = 1;
      return;
    }
    if (rbLive) rb();
    const y = ob[ib] as number;
    reg[0] = x === 1 || y === 1 ? 1 : x !== x || y !== y ? NaN : 0;
  }, { op: 'or', a, b, lazy });
}

/**
 * Brings the right operand into the left operand's unit. A bare number takes the other side's
 * unit (`lobby_temp > 28` on a degC sensor means 28 degC). A literal absolute temperature
 * compared with a temperature difference is read as a difference (`a - b > 5 degC`).
 */
function unify(e: Binary, l: Compiled, r: Compiled): Unified {
  const a = expectNumber(l, e.left.at, `the left side of ${e.op}`);
  const b = expectNumber(r, e.right.at, `the right side of ${e.op}`);
  if (l.unit.name === r.unit.name || r.unit.name === '') return { a, b, conv: IDENTITY, unit: l.unit.name === '' ? r.unit : l.unit };
  if (l.unit.name === '') return { a, b, conv: IDENTITY, unit: r.unit };
  let from = r.unit;
  if (r.literal && r.unit.absTemp && !l.unit.absTemp) from = temperatureDifference(r.unit);
  else if (l.literal && l.unit.absTemp && !r.unit.absTemp) {
    const conv = conversion(r.unit, temperatureDifference(l.unit));
    if (conv !== undefined) return { a, b, conv, unit: temperatureDifference(l.unit) };
  }
  const conv = conversion(from, l.unit);
  if (conv === undefined) {
    throw new ExprError(e.at, `cannot ${verb(e.op)} ${describeUnit(l.unit)} and ${describeUnit(r.unit)}`, 'unit');
  }
  return { a, b, conv, unit: l.unit };
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
  const u = unify(e, l, r);
  const name = e.op === '<' ? 'LT' : e.op === '<=' ? 'LE' : e.op === '>' ? 'GT' : e.op === '>=' ? 'GE' : e.op === '==' ? 'EQ' : 'NE';
  return binaryNumeric('boolean', NO_UNIT, u, name);
}

function booleanEquality(e: Binary, l: Compiled, r: Compiled): Compiled {
  const a = expectBoolean(l, e.left.at, `the left side of ${e.op}`);
  const b = expectBoolean(r, e.right.at, `the right side of ${e.op}`);
  return binaryNumeric('boolean', NO_UNIT, { a, b, conv: IDENTITY, unit: NO_UNIT }, e.op === '==' ? 'BEQ' : 'BNE');
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
  return computed('boolean', NO_UNIT, [l, r], (reg) => () => {
    const x = a();
    const y = b();
    reg[0] = x === undefined || y === undefined || x === null || y === null ? NaN : x === y ? same : 1 - same;
  });
}


function additive(e: Binary, l: Compiled, r: Compiled): Compiled {
  const op = e.op === '+' ? 'ADD' : 'SUB';
  // absolute - absolute = difference; absolute ± difference = absolute. A literal on the right
  // (`t + 2 degC`) is an offset: users write degrees, not a second absolute temperature.
  if (l.unit.absTemp && r.unit.absTemp && r.literal) {
    return additive(e, l, { ...r, unit: temperatureDifference(r.unit), literal: false });
  }
  if (l.unit.absTemp && r.unit.absTemp) {
    if (e.op === '+') throw new ExprError(e.at, 'cannot add two absolute temperatures', 'unit');
    const u = unify(e, l, r);
    return binaryNumeric('number', temperatureDifference(l.unit), u, op);
  }
  if (l.unit.absTemp && r.unit.name.startsWith('deg')) {
    const a = expectNumber(l, e.left.at, 'the left side');
    const b = expectNumber(r, e.right.at, 'the right side');
    const conv = conversion(r.unit, temperatureDifference(l.unit));
    if (conv === undefined) throw new ExprError(e.at, 'incompatible temperature units', 'unit');
    return binaryNumeric('number', l.unit, { a, b, conv, unit: l.unit }, op);
  }
  if (r.unit.absTemp && !l.unit.absTemp && l.unit.name !== '') {
    throw new ExprError(e.at, `cannot ${verb(e.op)} ${describeUnit(l.unit)} and ${describeUnit(r.unit)}`, 'unit');
  }
  const u = unify(e, l, r);
  return binaryNumeric('number', u.unit, u, op);
}

function multiplicative(e: Binary, l: Compiled, r: Compiled): Compiled {
  const a = expectNumber(l, e.left.at, `the left side of ${e.op}`);
  const b = expectNumber(r, e.right.at, `the right side of ${e.op}`);
  // Scaling by a plain number keeps the unit, even for absolute temperatures.
  const u =
    r.unit.name === '' ? l.unit : l.unit.name === '' && e.op === '*' ? r.unit : combine(l.unit, r.unit, e.op === '*' ? '*' : '/');
  if (u === undefined) {
    throw new ExprError(e.at, `cannot ${e.op === '*' ? 'multiply' : 'divide'} ${describeUnit(l.unit)} and ${describeUnit(r.unit)}`, 'unit');
  }
  return binaryNumeric('number', u, { a, b, conv: IDENTITY, unit: u }, e.op === '*' ? 'MUL' : 'DIV');
}
