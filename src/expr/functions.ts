import { ExprError, exprKey, type Expr } from './ast.js';
import { compileNode, computed, expectBoolean, expectNumber, type CompileUnit } from './compile.js';
import { READY, type Compiled, type Flat, type RunFn, type WindowOp } from './compiled.js';
import { combine, conversion, lookupUnit, NO_UNIT, temperatureDifference, timeToUs } from './units.js';
import { ChangedOp, ChangedRefOp, FellOp, RoseOp } from '../conditions/edge-ops.js';
import { HeldOp } from '../conditions/held-op.js';
import { HysteresisOp } from '../conditions/hysteresis-op.js';
import { SeqOp } from '../conditions/seq-op.js';
import { ticksAtLeast, ticksWithin } from '../conditions/temporal-op.js';
import { WindowDeltaOp } from '../conditions/window-delta-op.js';
import { WindowExtremeOp } from '../conditions/window-extreme-op.js';
import { WindowSumOp } from '../conditions/window-sum-op.js';
import { WithinOp } from '../conditions/within-op.js';

type Call = Extract<Expr, { type: 'call' }>;
type FunctionCompiler = (e: Call, unit: CompileUnit) => Compiled;

const WINDOW_FUNCTIONS = new Set(['avg', 'min', 'max', 'sum', 'count', 'delta', 'rate']);

/**
 * Spatial and entity functions (SPEC §3) are compiled by the spatial module once zones and
 * entities exist; this is the seam where they plug in.
 */
export const SPATIAL_FUNCTIONS = ['in_zone', 'distance', 'count_in', 'entered', 'exited', 'dwell'] as const;

/** Aggregates over the sensors located in a zone; their quantity argument is a name, not an id. */
export const ZONE_AGGREGATE_FUNCTIONS: Readonly<Record<string, number>> = { avg_in: 0, min_in: 1, max_in: 2 };

const FUNCTIONS: Readonly<Record<string, FunctionCompiler>> = {
  held: (e, u) => {
    arity(e, 2);
    const a = boolArg(e, 0, u);
    const { run, out, at } = a;
    const runLive = run !== READY;
    const op = new HeldOp(ticksAtLeast(durationArg(e, 1), u.scope.periodUs));
    const ctx = u.scope.ctx;
    return temporal(u, op, 'boolean', NO_UNIT, (r) => () => {
      if (runLive) run();
      r[0] = op.eval(out[at] as number, ctx.tick);
    }, { op: 'held', a, state: op });
  },
  within: (e, u) => {
    arity(e, 2);
    const a = boolArg(e, 0, u);
    const { run, out, at } = a;
    const runLive = run !== READY;
    const op = new WithinOp(ticksWithin(durationArg(e, 1), u.scope.periodUs));
    const ctx = u.scope.ctx;
    return temporal(u, op, 'boolean', NO_UNIT, (r) => () => {
      if (runLive) run();
      r[0] = op.eval(out[at] as number, ctx.tick);
    }, { op: 'within', a, state: op });
  },
  rose: (e, u) => edge(e, u, new RoseOp(u.scope.initialSkip)),
  fell: (e, u) => edge(e, u, new FellOp(u.scope.initialSkip)),
  changed: (e, u) => {
    arity(e, 1);
    const x = arg(e, 0, u);
    if (x.kind === 'string' || x.kind === 'json') {
      const op = new ChangedRefOp();
      const ref = x.ref ?? (() => undefined);
      return temporal(u, op, 'boolean', NO_UNIT, (r) => () => {
        r[0] = op.eval(ref());
      });
    }
    const op = new ChangedOp(false);
    const { run, out, at } = x;
    const runLive = run !== READY;
    return temporal(u, op, 'boolean', NO_UNIT, (r) => () => {
      if (runLive) run();
      r[0] = op.eval(out[at] as number);
    });
  },
  seq: (e, u) => {
    if (e.args.length < 3) throw new ExprError(e.at, 'seq() needs at least two steps and a duration: seq(a, b, 30s)');
    const steps = e.args.slice(0, -1);
    const parts = steps.map((_, i) => boolArg(e, i, u));
    const keys = steps.map((s) => exprKey(s));
    const ctx = u.scope.ctx;
    const op = new SeqOp(
      steps.length,
      ticksWithin(durationArg(e, steps.length), u.scope.periodUs),
      keys.map((k) => keys.indexOf(k)),
    );
    return temporal(u, op, 'boolean', NO_UNIT, (r) => () => {
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i] as Compiled;
        if (p.run !== READY) p.run();
        op.set(i, p.out[p.at] as number);
      }
      r[0] = op.eval(ctx.tick);
    });
  },
  avg: (e, u) => windowFn(e, u, 'avg'),
  sum: (e, u) => windowFn(e, u, 'sum'),
  count: (e, u) => windowFn(e, u, 'count'),
  min: (e, u) => windowFn(e, u, 'min'),
  max: (e, u) => windowFn(e, u, 'max'),
  delta: (e, u) => windowFn(e, u, 'delta'),
  rate: (e, u) => windowFn(e, u, 'rate'),
  hysteresis: (e, u) => {
    arity(e, 3);
    const x = numArg(e, 0, u);
    const lo = convertedArg(e, 1, u, x);
    const hi = convertedArg(e, 2, u, x);
    const op = new HysteresisOp();
    const { run, out, at } = x;
    const runLive = run !== READY;
    const { run: runLo, out: outLo, at: atLo } = lo;
    const runLoLive = runLo !== READY;
    const { run: runHi, out: outHi, at: atHi } = hi;
    const runHiLive = runHi !== READY;
    return temporal(u, op, 'boolean', NO_UNIT, (r) => () => {
      if (runLive) run();
      if (runLoLive) runLo();
      if (runHiLive) runHi();
      r[0] = op.eval(out[at] as number, outLo[atLo] as number, outHi[atHi] as number);
    }, { op: 'hysteresis', a: x, low: lo, high: hi, state: op });
  },
  known: (e, u) => {
    arity(e, 1);
    const x = arg(e, 0, u);
    if (x.ref !== undefined) {
      const ref = x.ref;
      return computed('boolean', NO_UNIT, [x], (r) => () => {
        const v = ref();
        r[0] = v === undefined || v === null ? 0 : 1;
      });
    }
    const { run, out, at } = x;
    const runLive = run !== READY;
    return computed('boolean', NO_UNIT, [x], (r) => () => {
      if (runLive) run();
      const v = out[at] as number;
      r[0] = v === v ? 1 : 0;
    });
  },
  stale: (e, u) => sensorFn(e, u, 'stale'),
  age: (e, u) => sensorFn(e, u, 'age'),
  avg_in: (e, u) => zoneAggregateFn(e, u),
  min_in: (e, u) => zoneAggregateFn(e, u),
  max_in: (e, u) => zoneAggregateFn(e, u),
};

/** avg_in(zone, quantity): `quantity` is written as a bare name (`temperature`) or a string. */
function zoneAggregateFn(e: Call, u: CompileUnit): Compiled {
  arity(e, 2);
  const [zone, quantity] = e.args;
  if (zone?.type !== 'ref') throw new ExprError(atOf(e, 0), `${e.name}() takes a zone id first`, 'type');
  const q = quantity?.type === 'ref' ? quantity.name : quantity?.type === 'str' ? quantity.value : undefined;
  if (q === undefined) throw new ExprError(atOf(e, 1), `${e.name}() takes a quantity such as temperature`, 'type');
  const agg = u.scope.aggregateIn(zone.name, q, zone.at);
  const k = ZONE_AGGREGATE_FUNCTIONS[e.name] ?? 0;
  const { run, numbers } = agg;
  return computed('number', agg.unit, [], (r) => () => {
    run();
    r[0] = numbers[k] as number;
  });
}

export const FUNCTION_NAMES: readonly string[] = [...Object.keys(FUNCTIONS), ...SPATIAL_FUNCTIONS];

export function compileCall(e: Call, unit: CompileUnit): Compiled {
  const f = FUNCTIONS[e.name];
  if (f !== undefined) {
    if (!unit.allowTemporal && e.name !== 'known' && e.name !== 'stale' && e.name !== 'age' && !(e.name in ZONE_AGGREGATE_FUNCTIONS)) {
      throw new ExprError(e.at, `${e.name}() keeps state over time and cannot be used here; define a pattern and refer to it`, 'type');
    }
    return f(e, unit);
  }
  if ((SPATIAL_FUNCTIONS as readonly string[]).includes(e.name)) return unit.scope.spatialCall(e.name, e.args, e.at);
  throw new ExprError(e.at, `unknown function ${e.name}()`, 'reference');
}

/**
 * Before compiling: the longest window (in ticks) over each expression, so that each series
 * buffer is sized once, by the longest window that reads it.
 */
export function windowRequests(ast: Expr, periodUs: number): Map<string, number> {
  const out = new Map<string, number>();
  const visit = (e: Expr): void => {
    if (e.type === 'call') {
      const d = e.args[1];
      if (WINDOW_FUNCTIONS.has(e.name) && e.args.length === 2 && e.args[0] !== undefined && d !== undefined) {
        const us = literalDurationUs(d);
        if (us !== undefined) {
          const key = exprKey(e.args[0]);
          out.set(key, Math.max(out.get(key) ?? 0, ticksAtLeast(us, periodUs)));
        }
      }
      e.args.forEach(visit);
    } else if (e.type === 'unary') visit(e.arg);
    else if (e.type === 'binary') {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(ast);
  return out;
}

function windowFn(e: Call, u: CompileUnit, kind: 'avg' | 'sum' | 'count' | 'min' | 'max' | 'delta' | 'rate'): Compiled {
  arity(e, 2);
  const x = kind === 'count' ? expectBoolean(arg(e, 0, u), atOf(e, 0), `the first argument of count()`) : numArg(e, 0, u);
  const ticks = ticksAtLeast(durationArg(e, 1), u.scope.periodUs);
  if (ticks < 1) throw new ExprError(atOf(e, 1), `the window of ${kind}() must be at least one tick`);
  const series = exprKey(e.args[0] as Expr);
  // A stateless series is the same in every node that writes it: its window can be shared.
  const sharedKey = x.stateful ? undefined : `${kind} ${ticks} ${series}`;
  const shared = sharedKey === undefined ? undefined : u.scope.windows?.get(sharedKey);
  const buffer = shared?.buffer ?? u.buffers.get(series);
  if (buffer === undefined) throw new ExprError(e.at, `internal: no series buffer for ${kind}()`);
  const ctx = u.scope.ctx;
  const { run, out, at } = x;
  const runLive = run !== READY;
  let op: WindowOp;
  let unitOut = x.unit;
  if (kind === 'min' || kind === 'max') {
    op = shared?.op ?? new WindowExtremeOp(buffer, ticks, kind === 'max');
  } else if (kind === 'delta' || kind === 'rate') {
    op = shared?.op ?? new WindowDeltaOp(buffer, ticks, u.scope.periodUs / 1e6, kind === 'rate');
    // A change of an absolute temperature is a temperature difference.
    const changeUnit = x.unit.absTemp ? temperatureDifference(x.unit) : x.unit;
    unitOut = kind === 'rate' ? (combine(changeUnit, lookupUnit('s') ?? NO_UNIT, '/') ?? NO_UNIT) : changeUnit;
  } else {
    op = shared?.op ?? new WindowSumOp(buffer, ticks, kind);
    if (kind === 'count') unitOut = NO_UNIT;
  }
  if (sharedKey !== undefined && shared === undefined) u.scope.windows?.set(sharedKey, { op, buffer });
  const window = op;
  return temporal(u, op, 'number', unitOut, (r) => () => {
    if (runLive) run();
    buffer.recordFrom(ctx.tick, out, at);
    window.update(ctx.tick);
    r[0] = window.value;
  }, { op: 'window', a: x, buffer, state: op });
}

function edge(e: Call, u: CompileUnit, op: RoseOp | FellOp): Compiled {
  arity(e, 1);
  const { run, out, at } = boolArg(e, 0, u);
  const runLive = run !== READY;
  return temporal(u, op, 'boolean', NO_UNIT, (r) => () => {
    if (runLive) run();
    r[0] = op.eval(out[at] as number);
  });
}

function sensorFn(e: Call, u: CompileUnit, fn: 'stale' | 'age'): Compiled {
  arity(e, 1);
  const a = e.args[0];
  if (a?.type !== 'ref') throw new ExprError(atOf(e, 0), `${fn}() takes a sensor id`, 'type');
  return u.scope.sensorFunction(fn, a.name, a.at);
}

/** A value kept by a temporal operator: registered with the node (deadlines, snapshots). */
function temporal(
  u: CompileUnit,
  op: Parameters<CompileUnit['scope']['addOp']>[0],
  kind: 'number' | 'boolean',
  unit: Compiled['unit'],
  body: (r: Float64Array) => RunFn,
  flat?: Flat,
): Compiled {
  u.scope.addOp(op);
  const r = new Float64Array(1);
  return { kind, unit, run: body(r), out: r, at: 0, ref: undefined, stateful: true, constant: undefined, literal: false, flat };
}

function arity(e: Call, n: number): void {
  if (e.args.length !== n) throw new ExprError(e.at, `${e.name}() takes ${n} argument${n === 1 ? '' : 's'}, not ${e.args.length}`);
}

function atOf(e: Call, i: number): number {
  return e.args[i]?.at ?? e.at;
}

function arg(e: Call, i: number, u: CompileUnit): Compiled {
  const a = e.args[i];
  if (a === undefined) throw new ExprError(e.at, `${e.name}() is missing argument ${i + 1}`);
  return compileNode(a, u);
}

function boolArg(e: Call, i: number, u: CompileUnit): Compiled {
  return expectBoolean(arg(e, i, u), atOf(e, i), `argument ${i + 1} of ${e.name}()`);
}

function numArg(e: Call, i: number, u: CompileUnit): Compiled {
  return expectNumber(arg(e, i, u), atOf(e, i), `argument ${i + 1} of ${e.name}()`);
}

/** A threshold argument converted into the unit of `x` (a bare number is taken in x's unit). */
function convertedArg(e: Call, i: number, u: CompileUnit, x: Compiled): Compiled {
  const c = numArg(e, i, u);
  if (c.unit.name === '' || c.unit.name === x.unit.name) return c;
  const conv = conversion(c.unit, x.unit);
  if (conv === undefined) {
    throw new ExprError(atOf(e, i), `cannot compare ${c.unit.display} with ${x.unit.display || 'a plain number'}`, 'unit');
  }
  const { run, out, at } = c;
  const runLive = run !== READY;
  const { pre, mul, post } = conv;
  return computed('number', x.unit, [c], (r) => () => {
    if (runLive) run();
    r[0] = ((out[at] as number) + pre) * mul + post;
  }, { op: 'convert', a: c, conv });
}

function literalDurationUs(e: Expr): number | undefined {
  if (e.type !== 'num' || e.value < 0) return undefined;
  return timeToUs(e.value, e.unit);
}

function durationArg(e: Call, i: number): number {
  const a = e.args[i];
  const us = a === undefined ? undefined : literalDurationUs(a);
  if (us === undefined) {
    throw new ExprError(atOf(e, i), `argument ${i + 1} of ${e.name}() must be a duration such as 30s or 5min (m is metres)`, 'type');
  }
  return us;
}
