import type { HeldOp } from '../conditions/held-op.js';
import type { HysteresisOp } from '../conditions/hysteresis-op.js';
import type { SeriesBuffer } from '../conditions/series-buffer.js';
import { tickTimeUs, type TemporalOp } from '../conditions/temporal-op.js';
import type { WindowDeltaOp } from '../conditions/window-delta-op.js';
import type { WindowExtremeOp } from '../conditions/window-extreme-op.js';
import type { WindowSumOp } from '../conditions/window-sum-op.js';
import type { WithinOp } from '../conditions/within-op.js';
import type { Expr } from './ast.js';
import type { BinaryOpName } from './binary-numeric.js';
import type { Affine, Unit } from './units.js';

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
  /**
   * What this value computes from its parts, for the flat program interpreter (src/vm), which
   * runs a whole node in one loop over typed arrays instead of its tree of closures. Absent
   * where only the closure knows how (strings, spatial and sensor functions, seq, rose, ...).
   */
  readonly flat?: Flat | undefined;
}

/** A window operator, as windowed functions (avg, min, delta, ...) drive it every tick. */
export type WindowOp = WindowSumOp | WindowExtremeOp | WindowDeltaOp;

/** The operation of a {@link Compiled} value over its operand values (see Compiled.flat). */
export type Flat =
  /** `a OP b`, b brought into a's unit by `conv` (a constant b is converted once). */
  | { readonly op: 'binary'; readonly name: BinaryOpName; readonly a: Compiled; readonly b: Compiled; readonly conv: Affine }
  /** Kleene and/or; `lazy`: b may be skipped when a decides (b holds no temporal state). */
  | { readonly op: 'and' | 'or'; readonly a: Compiled; readonly b: Compiled; readonly lazy: boolean }
  | { readonly op: 'not' | 'neg'; readonly a: Compiled }
  /** `a` converted by an affine map (a threshold in another unit than its series). */
  | { readonly op: 'convert'; readonly a: Compiled; readonly conv: Affine }
  | { readonly op: 'held'; readonly a: Compiled; readonly state: HeldOp }
  | { readonly op: 'within'; readonly a: Compiled; readonly state: WithinOp }
  | { readonly op: 'hysteresis'; readonly a: Compiled; readonly low: Compiled; readonly high: Compiled; readonly state: HysteresisOp }
  /** A windowed function of `a`: `a` is recorded into `buffer` every tick, then `state` updated. */
  | { readonly op: 'window'; readonly a: Compiled; readonly buffer: SeriesBuffer; readonly state: WindowOp };

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
  /**
   * Windows already made, by function, length and series expression, graph-wide: nodes that read
   * the same window of the same stateless series share one operator and its buffer (a warning
   * and an alarm threshold on one average cost one window). Absent: nothing is shared.
   */
  readonly windows?: Map<string, { readonly op: WindowOp; readonly buffer: SeriesBuffer }>;
  /** Registers a temporal operator of the node being compiled (deadlines, snapshots). */
  addOp(op: TemporalOp): void;
  /** The node's value changes with time alone (`age`): evaluate it every tick. */
  markTimeVarying(): void;
}
