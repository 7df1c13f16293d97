import { ExprError, type Expr } from './ast.js';
import { compileOperator } from './compile-operators.js';
import { READY, type Compiled, type Flat, type RunFn, type Scope } from './compiled.js';
import { compileCall, windowRequests } from './functions.js';
import { parseExpr } from './parser.js';
import { NO_UNIT, type Unit } from './units.js';
import { SeriesBuffer } from '../conditions/series-buffer.js';

/** Shared state while compiling one node's expressions. */
export interface CompileUnit {
  readonly scope: Scope;
  /** Series buffers by expression key, sized by the longest window that reads each. */
  readonly buffers: Map<string, SeriesBuffer>;
  /** False inside templates, where temporal functions make no sense. */
  readonly allowTemporal: boolean;
}

/**
 * Parses and compiles one expression into closures over the runtime's value store. All type and
 * unit checking happens here, at load time; errors are ExprError with a character offset.
 */
export function compileExpr(text: string, scope: Scope, allowTemporal = true): Compiled {
  const ast = parseExpr(text);
  return compileAst(ast, scope, allowTemporal);
}

export function compileAst(ast: Expr, scope: Scope, allowTemporal = true): Compiled {
  const buffers = new Map<string, SeriesBuffer>();
  for (const [key, ticks] of windowRequests(ast, scope.periodUs)) {
    // The window, the tick that just left it (a running sum drops it), and one spare.
    buffers.set(key, new SeriesBuffer(ticks + 2));
  }
  return compileNode(ast, { scope, buffers, allowTemporal });
}

export function compileNode(e: Expr, unit: CompileUnit): Compiled {
  switch (e.type) {
    case 'num':
      return constant(e.value, 'number', e.unit, true);
    case 'bool':
      return constant(e.value ? 1 : 0, 'boolean', NO_UNIT, true);
    case 'str': {
      const v = e.value;
      return { ...constant(NaN, 'number'), kind: 'string', ref: () => v, literal: true };
    }
    case 'ref':
      return unit.scope.resolve(e.name, e.at);
    case 'unary':
    case 'binary':
      return compileOperator(e, unit);
    case 'call':
      return compileCall(e, unit);
  }
}

export function constant(value: number, kind: 'number' | 'boolean', u = NO_UNIT, literal = false): Compiled {
  return { kind, unit: u, run: READY, out: Float64Array.of(value), at: 0, ref: undefined, stateful: false, constant: value, literal };
}

/**
 * A computed value: `body(r)` returns the closure that writes it into register `r[0]`; `flat` says
 * the same for the flat program interpreter. Folded to a constant at load time when it has parts
 * and every part is constant and stateless.
 */
export function computed(kind: 'number' | 'boolean', u: Unit, parts: readonly Compiled[], body: (r: Float64Array) => RunFn, flat?: Flat): Compiled {
  const r = new Float64Array(1);
  const run = body(r);
  const stateful = parts.some((p) => p.stateful);
  // Folded only with parts, all constant: a value with no parts reads state (stale(), JSON).
  if (!stateful && parts.length > 0 && parts.every((p) => p.constant !== undefined)) {
    run();
    return constant(r[0] ?? NaN, kind, u);
  }
  return { kind, unit: u, run, out: r, at: 0, ref: undefined, stateful, constant: undefined, literal: false, flat };
}

/** Requires a boolean (or a JSON value, read as a boolean at run time). */
export function expectBoolean(c: Compiled, at: number, what: string): Compiled {
  if (c.kind === 'boolean') return c;
  if (c.kind === 'json') {
    const ref = c.ref ?? (() => undefined);
    return computed('boolean', NO_UNIT, [c], (r) => () => {
      r[0] = jsonToBoolean(ref());
    });
  }
  throw new ExprError(at, `${what} must be a condition (true/false), not a ${c.kind}`, 'type');
}

/** Requires a number (or a JSON value, read as a number at run time). */
export function expectNumber(c: Compiled, at: number, what: string): Compiled {
  if (c.kind === 'number') return c;
  if (c.kind === 'json') {
    const ref = c.ref ?? (() => undefined);
    return computed('number', c.unit, [c], (r) => () => {
      r[0] = jsonToNumber(ref());
    });
  }
  throw new ExprError(at, `${what} must be a number, not a ${c.kind}`, 'type');
}

export function jsonToNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return NaN;
}

export function jsonToBoolean(v: unknown): number {
  if (v === true) return 1;
  if (v === false) return 0;
  return NaN;
}
