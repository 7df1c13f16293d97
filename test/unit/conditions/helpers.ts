/**
 * Shared helpers for the temporal operator tests (SPEC §4.2-§4.4).
 *
 * Conventions: values are numbers, booleans 1/0, unknown NaN; tick k is at time k * period.
 */
import { SeriesBuffer } from '../../../src/conditions/series-buffer.js';
import { sameNumber } from '../../../src/conditions/temporal-op.js';
import { WindowDeltaOp } from '../../../src/conditions/window-delta-op.js';
import { WindowExtremeOp } from '../../../src/conditions/window-extreme-op.js';
import { WindowSumOp } from '../../../src/conditions/window-sum-op.js';
import { jsonRoundTrip } from '../../helpers/json-round-trip.js';

/** 10 Hz. */
export const P10_US = 100_000;
export const P10_S = 0.1;

/**
 * A boolean series written as characters, one per tick: '1' true, '0' false, '?' unknown.
 * Spaces and '|' are ignored (use them to group seconds).
 */
export function bits(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    if (ch === ' ' || ch === '|') continue;
    if (ch === '1') out.push(1);
    else if (ch === '0') out.push(0);
    else if (ch === '?') out.push(NaN);
    else throw new Error(`bad bit character ${JSON.stringify(ch)}`);
  }
  return out;
}

/** The inverse of `bits` (for readable failure messages). */
export function showBits(xs: readonly number[]): string {
  return xs.map((v) => (v === 1 ? '1' : v === 0 ? '0' : v !== v ? '?' : `<${v}>`)).join('');
}

/** A piecewise-constant series of `n` ticks: `[fromTick, value]` segments, in order. */
export function piecewise(n: number, segments: ReadonlyArray<readonly [number, number]>): number[] {
  const out: number[] = [];
  let seg = 0;
  let value = NaN;
  for (let k = 0; k < n; k++) {
    while (seg < segments.length && (segments[seg] as readonly [number, number])[0] <= k) {
      value = (segments[seg] as readonly [number, number])[1];
      seg++;
    }
    out.push(value);
  }
  return out;
}

/** A boolean series that is 1 exactly at the given ticks (pulses) and 0 elsewhere. */
export function pulses(n: number, at: readonly number[]): number[] {
  const out = new Array<number>(n).fill(0);
  for (const k of at) out[k] = 1;
  return out;
}

/** Ticks at which a series is 1. */
export function trueTicks(xs: readonly number[]): number[] {
  const out: number[] = [];
  xs.forEach((v, k) => {
    if (v === 1) out.push(k);
  });
  return out;
}

/** First tick where two series differ bit-for-bit (Object.is), or -1. */
export function firstDifference(a: readonly number[], b: readonly number[]): number {
  const n = Math.max(a.length, b.length);
  for (let k = 0; k < n; k++) if (!Object.is(a[k], b[k])) return k;
  return -1;
}

// ---------------------------------------------------------------------------------------------
// Windows

export type WindowKind = 'sum' | 'avg' | 'count' | 'min' | 'max' | 'delta' | 'rate';
export const WINDOW_KINDS: readonly WindowKind[] = ['sum', 'avg', 'count', 'min', 'max', 'delta', 'rate'];

/** An operator driven one tick at a time with a single input. */
export interface Driven {
  step(tick: number, x: number): number;
  nextDue(tick: number): number;
  snapshot(): unknown;
  restore(state: unknown): void;
}

export interface WindowHarness extends Driven {
  readonly buffer: SeriesBuffer;
  readonly op: WindowSumOp | WindowExtremeOp | WindowDeltaOp;
}

/** A window operator over its own buffer, sized as the compiler sizes it (windowTicks + 2). */
export function makeWindow(kind: WindowKind, windowTicks: number, periodS = P10_S): WindowHarness {
  const buffer = new SeriesBuffer(windowTicks + 2);
  const op =
    kind === 'min' || kind === 'max'
      ? new WindowExtremeOp(buffer, windowTicks, kind === 'max')
      : kind === 'delta' || kind === 'rate'
        ? new WindowDeltaOp(buffer, windowTicks, periodS, kind === 'rate')
        : new WindowSumOp(buffer, windowTicks, kind);
  return {
    buffer,
    op,
    step(tick: number, x: number): number {
      buffer.record(tick, x);
      return op.eval(tick);
    },
    nextDue: (tick: number) => op.nextDue(tick),
    snapshot: () => ({ buffer: buffer.snapshot(), op: op.snapshot() }),
    restore(state: unknown): void {
      const s = state as { buffer: unknown; op: unknown };
      buffer.restore(s.buffer);
      op.restore(s.op);
    },
  };
}

/**
 * The SPEC definition, brute force: the ticks j with t_k - D < t_j <= t_k (windowTicks of them,
 * never before tick 0), unknown samples skipped, no known sample gives unknown.
 */
export function refWindow(xs: readonly number[], k: number, windowTicks: number, kind: WindowKind, periodS = P10_S): number {
  const known: Array<[number, number]> = [];
  for (let j = Math.max(0, k - windowTicks + 1); j <= k; j++) {
    const v = xs[j] as number;
    if (v === v) known.push([j, v]);
  }
  if (known.length === 0) return NaN;
  const vals = known.map(([, v]) => v);
  const [tFirst, vFirst] = known[0] as [number, number];
  const [tLast, vLast] = known[known.length - 1] as [number, number];
  switch (kind) {
    case 'sum':
    case 'count':
      return vals.reduce((a, b) => a + b, 0);
    case 'avg':
      return vals.reduce((a, b) => a + b, 0) / vals.length;
    case 'min':
      return Math.min(...vals);
    case 'max':
      return Math.max(...vals);
    case 'delta':
      return vLast - vFirst;
    case 'rate':
      return tLast > tFirst ? (vLast - vFirst) / ((tLast - tFirst) * periodS) : NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// Poll versus event-driven evaluation (SPEC §4.4)

export interface LazyResult {
  /** Output of the op evaluated at every tick. */
  poll: number[];
  /** Ticks at which the event-driven op was evaluated. */
  evaluated: number[];
  /** Problems found (empty when the two modes agree). */
  problems: string[];
}

/**
 * Drives `make()` twice over `xs`: once at every tick ("poll"), once only at ticks where the input
 * changed (NaN equals NaN) or where the previous evaluation's `nextDue` has fallen due ("event").
 * Checks that the event outputs are bit-identical (Object.is) to the poll outputs at every tick
 * the event op evaluated, and that the poll output did not change in between.
 */
export function compareLazy(make: () => Driven, xs: readonly number[]): LazyResult {
  const pollOp = make();
  const eventOp = make();
  const poll = xs.map((x, k) => pollOp.step(k, x));
  const evaluated: number[] = [];
  const problems: string[] = [];
  let due = Infinity;
  let last = NaN;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k] as number;
    const changed = k === 0 || !sameNumber(x, xs[k - 1] as number);
    const p = poll[k] as number;
    if (changed || due <= k) {
      const out = eventOp.step(k, x);
      evaluated.push(k);
      if (!Object.is(out, p)) problems.push(`tick ${k}: event ${out} != poll ${p} (input ${x})`);
      last = out;
      due = eventOp.nextDue(k);
      if (!(due > k)) problems.push(`tick ${k}: nextDue ${due} is not later than the tick`);
    } else if (!Object.is(p, last)) {
      problems.push(`tick ${k}: skipped, but the poll output changed to ${p} from ${last} (input ${x})`);
    }
    if (problems.length >= 5) break;
  }
  return { poll, evaluated, problems };
}

/**
 * Runs `make()` uninterrupted over `xs`, and for each snapshot tick m: runs a second instance to
 * m, snapshots it through a JSON round trip, restores into a fresh instance, continues to the end.
 * Returns a description of the first divergence, or undefined.
 */
export function compareRestore(make: () => Driven, xs: readonly number[], at: readonly number[]): string | undefined {
  const ref = make();
  const expected = xs.map((x, k) => ref.step(k, x));
  for (const m of at) {
    const a = make();
    for (let k = 0; k <= m; k++) a.step(k, xs[k] as number);
    const state: unknown = jsonRoundTrip(a.snapshot());
    const b = make();
    b.restore(state);
    for (let k = m + 1; k < xs.length; k++) {
      const out = b.step(k, xs[k] as number);
      if (!Object.is(out, expected[k])) {
        return `snapshot after tick ${m}: at tick ${k} restored ${out} != uninterrupted ${expected[k]} (state ${JSON.stringify(state)})`;
      }
    }
  }
  return undefined;
}
