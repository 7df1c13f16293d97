import { tickTimeUs, type TemporalOp } from '../conditions/temporal-op.js';
import type { Expr } from './ast.js';
import type { Unit } from './units.js';

/**
 * How values travel through compiled expressions: numbers as numbers, booleans as 1 / 0, and
 * unknown (SPEC §4.2) as NaN, so the whole tick runs on unboxed doubles. Strings and JSON readings
 * travel as references, unknown being `undefined`.
 *
 * A compiled node does not return its number: `run()` writes it into a typed-array register
 * (`out[at]`) and the reader takes it from there. V8 cannot inline a call into one of many
 * closures made from the same function, and a double returned across such a call is boxed into a
 * fresh heap number; with registers the tick allocates nothing. Sensor values and constants live
 * in their slot already: their `run` is the shared no-op.
 */
export type RunFn = () => void;
export type RefFn = () => unknown;

export type ValueKind = 'number' | 'boolean' | 'string' | 'json';

/** The no-op `run` of values that are already in their register (slots, constants). */
export const READY: RunFn = () => undefined;

export interface Compiled {
  readonly kind: ValueKind;
  readonly unit: Unit;
  /** Computes the value (numbers, booleans, json coerced to a number) into `out[at]`. */
  readonly run: RunFn;
  readonly out: Float64Array;
  readonly at: number;
  /** Set for string and json. */
  readonly ref: RefFn | undefined;
  /** True when evaluating it changes state (temporal operators inside). */
  readonly stateful: boolean;
  /** The value, when it is a constant known at load time. */
  readonly constant: number | undefined;
  /** True for a literal written in the expression (`28 degC`), whose unit may be reinterpreted. */
  readonly literal: boolean;
}

/** Evaluates a compiled value and returns its number (load time and tests, not the tick). */
export function valueNow(c: Compiled): number {
  c.run();
  return c.out[c.at] ?? NaN;
}

/**
 * The shared per-runtime clock reading that compiled closures see: the tick number, set once per
 * tick. Only the tick is stored: a time in µs soon exceeds V8's small-integer range, and storing
 * it in a field every tick would allocate a heap number each time.
 */
export class TickContext {
  tick = 0;

  constructor(readonly periodUs: number) {}

  get tUs(): number {
    return tickTimeUs(this.tick, this.periodUs);
  }
}

/** What the expression compiler needs from the graph it compiles into. */
export interface Scope {
  readonly ctx: TickContext;
  readonly periodUs: number;
  /** `initial: skip` also applies to rose / fell / changed. */
  readonly initialSkip: boolean;
  /** Resolves an identifier (`lobby_temp`, `queue.wait`); throws ExprError('reference'). */
  resolve(name: string, at: number): Compiled;
  /** `stale(s)` and `age(s)` need the sensor itself, not its value. */
  sensorFunction(fn: 'stale' | 'age', name: string, at: number): Compiled;
  /** in_zone, count_in, entered, exited, dwell, distance: compiled by the spatial module. */
  spatialCall(name: string, args: readonly Expr[], at: number): Compiled;
  /** `avg_in(zone, quantity)` and friends: an aggregate of the sensors located in a zone. */
  aggregateIn(zone: string, quantity: string, at: number): { readonly run: RunFn; readonly numbers: Float64Array; readonly unit: Unit };
  /** Registers a temporal operator of the node being compiled (deadlines, snapshots). */
  addOp(op: TemporalOp): void;
  /** The node's value changes with time alone (`age`): evaluate it every tick. */
  markTimeVarying(): void;
}
