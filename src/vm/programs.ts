import type { SeriesBuffer } from '../conditions/series-buffer.js';
import { asRecord, num } from '../conditions/temporal-op.js';
import type { WindowSumOp } from '../conditions/window-sum-op.js';
import { eq, notEq } from '../expr/binary-numeric.js';
import type { Compiled, WindowOp } from '../expr/compiled.js';
import { Op, WORDS } from './opcodes.js';

/** What a {@link ProgramBuilder} hands over: every node's program in one set of typed arrays. */
export interface ProgramParts {
  readonly code: Int32Array;
  readonly consts: Float64Array;
  /** Initial operator state (held run starts, within's last true tick, hysteresis latches). */
  readonly state: Float64Array;
  readonly stackDepth: number;
  readonly num: Float64Array;
  readonly arrays: readonly Float64Array[];
  readonly exts: readonly Compiled[];
  readonly windows: readonly WindowOp[];
  readonly buffers: readonly SeriesBuffer[];
  /** Where `run` leaves its results: [value, next due tick]. */
  readonly out: Float64Array;
}

/**
 * The flat program interpreter: every lowered node of an engine is a run of instructions in one
 * Int32Array, its constants and operator state in Float64Arrays, evaluated by one loop over a
 * Float64Array stack. Against a tree of closures per node this keeps a node's whole working set
 * in a few contiguous arrays (the tick stays in cache at 10,000 conditions), makes one call per
 * node instead of one per operator, and costs a few words per operator instead of a closure,
 * its context, a register and an operator object.
 *
 * Semantics are exactly those of the closures (see compile-operators.ts, binary-numeric.ts and
 * the operator classes in src/conditions); the tests run both on the same inputs.
 */
export class Programs {
  /** [value, due]: the value of the last `run`, and the earliest tick its operators asked for. */
  readonly out: Float64Array;
  private readonly code: Int32Array;
  private readonly consts: Float64Array;
  private readonly state: Float64Array;
  private readonly stack: Float64Array;
  private readonly num: Float64Array;
  private readonly arrays: readonly Float64Array[];
  private readonly exts: readonly Compiled[];
  private readonly windows: readonly WindowOp[];
  private readonly buffers: readonly SeriesBuffer[];

  constructor(p: ProgramParts) {
    this.code = p.code;
    this.consts = p.consts;
    this.state = p.state;
    this.stack = new Float64Array(Math.max(1, p.stackDepth));
    this.num = p.num;
    this.arrays = p.arrays;
    this.exts = p.exts;
    this.windows = p.windows;
    this.buffers = p.buffers;
    this.out = p.out;
  }

  /**
   * Evaluates the program at `pc` for `tick` into `out[0]`, and the tick its operators next need
   * into `out[1]`; windows are asked for theirs only when `wantDue` (event-driven nodes).
   * Allocates nothing: doubles stay in typed arrays and locals.
   */
  run(pc: number, tick: number, wantDue: boolean): void {
    const code = this.code;
    const c = this.consts;
    const s = this.stack;
    const st = this.state;
    const num = this.num;
    let sp = 0;
    let due = Infinity;
    for (;;) {
      switch (code[pc] as number) {
        case Op.End:
          this.out[0] = s[sp - 1] as number;
          this.out[1] = due;
          return;
        case Op.Slot:
          s[sp++] = num[code[pc + 1] as number] as number;
          pc += 2;
          break;
        case Op.Load:
          s[sp++] = (this.arrays[code[pc + 1] as number] as Float64Array)[code[pc + 2] as number] as number;
          pc += 3;
          break;
        case Op.Const:
          s[sp++] = c[code[pc + 1] as number] as number;
          pc += 2;
          break;
        case Op.Ext: {
          const e = this.exts[code[pc + 1] as number] as Compiled;
          e.run();
          s[sp++] = e.out[e.at] as number;
          pc += 2;
          break;
        }
        case Op.SlotCompare: {
          const x = num[code[pc + 2] as number] as number;
          const y = c[code[pc + 3] as number] as number;
          s[sp++] = x !== x || y !== y ? NaN : compare(code[pc + 1] as number, x < y, x === y);
          pc += 4;
          break;
        }
        case Op.Lt:
        case Op.Le:
        case Op.Gt:
        case Op.Ge: {
          const y = s[--sp] as number;
          const x = s[sp - 1] as number;
          s[sp - 1] = x !== x || y !== y ? NaN : compare(code[pc] as number, x < y, x === y);
          pc++;
          break;
        }
        case Op.Eq: {
          const y = s[--sp] as number;
          s[sp - 1] = eq(s[sp - 1] as number, y);
          pc++;
          break;
        }
        case Op.Ne: {
          const y = s[--sp] as number;
          s[sp - 1] = notEq(s[sp - 1] as number, y);
          pc++;
          break;
        }
        case Op.Beq:
        case Op.Bne: {
          const y = s[--sp] as number;
          const x = s[sp - 1] as number;
          const same = code[pc] === Op.Beq ? 1 : 0;
          s[sp - 1] = x !== x || y !== y ? NaN : x === y ? same : 1 - same;
          pc++;
          break;
        }
        case Op.Add: {
          const y = s[--sp] as number;
          s[sp - 1] = (s[sp - 1] as number) + y;
          pc++;
          break;
        }
        case Op.Sub: {
          const y = s[--sp] as number;
          s[sp - 1] = (s[sp - 1] as number) - y;
          pc++;
          break;
        }
        case Op.Mul: {
          const y = s[--sp] as number;
          s[sp - 1] = (s[sp - 1] as number) * y;
          pc++;
          break;
        }
        case Op.Div: {
          const y = s[--sp] as number;
          s[sp - 1] = y === 0 ? NaN : (s[sp - 1] as number) / y;
          pc++;
          break;
        }
        case Op.Convert: {
          const k = code[pc + 1] as number;
          s[sp - 1] = ((s[sp - 1] as number) + (c[k] as number)) * (c[k + 1] as number) + (c[k + 2] as number);
          pc += 2;
          break;
        }
        case Op.Not: {
          const v = s[sp - 1] as number;
          s[sp - 1] = v !== v ? NaN : 1 - v;
          pc++;
          break;
        }
        case Op.Neg:
          s[sp - 1] = -(s[sp - 1] as number);
          pc++;
          break;
        case Op.AndSkip:
          pc = s[sp - 1] === 0 ? (code[pc + 1] as number) : pc + 2;
          break;
        case Op.OrSkip:
          pc = s[sp - 1] === 1 ? (code[pc + 1] as number) : pc + 2;
          break;
        case Op.And: {
          const y = s[--sp] as number;
          const x = s[sp - 1] as number;
          s[sp - 1] = x === 0 || y === 0 ? 0 : x !== x || y !== y ? NaN : 1;
          pc++;
          break;
        }
        case Op.Or: {
          const y = s[--sp] as number;
          const x = s[sp - 1] as number;
          s[sp - 1] = x === 1 || y === 1 ? 1 : x !== x || y !== y ? NaN : 0;
          pc++;
          break;
        }
        case Op.Held: {
          // HeldOp.eval and .nextDue (src/conditions/held-op.ts).
          const k = code[pc + 1] as number;
          const ticks = code[pc + 2] as number;
          const x = s[sp - 1] as number;
          if (x === 1) {
            if ((st[k] as number) < 0) st[k] = tick;
            const start = st[k] as number;
            s[sp - 1] = tick - start >= ticks ? 1 : 0;
            const d = start + ticks;
            if (d > tick && d < due) due = d;
          } else {
            st[k] = -1;
            s[sp - 1] = x !== x ? NaN : 0;
          }
          pc += 3;
          break;
        }
        case Op.Within: {
          // WithinOp.eval and .nextDue (src/conditions/within-op.ts).
          const k = code[pc + 1] as number;
          const ticks = code[pc + 2] as number;
          const x = s[sp - 1] as number;
          if (st[k + 1] === 1 && tick > (st[k] as number)) st[k] = tick - 1;
          st[k + 1] = x;
          if (x === 1) st[k] = tick;
          const last = st[k] as number;
          s[sp - 1] = tick - last <= ticks ? 1 : x !== x ? NaN : 0;
          if (x !== 1 && last !== -Infinity) {
            const d = last + ticks + 1;
            if (d > tick && d < due) due = d;
          }
          pc += 3;
          break;
        }
        case Op.Hysteresis: {
          // HysteresisOp.eval (src/conditions/hysteresis-op.ts); it never asks for a tick.
          const k = code[pc + 1] as number;
          const high = s[--sp] as number;
          const low = s[--sp] as number;
          const x = s[sp - 1] as number;
          if (x !== x || low !== low || high !== high) {
            s[sp - 1] = NaN;
          } else {
            if (x >= high) st[k] = 1;
            else if (x <= low) st[k] = 0;
            s[sp - 1] = st[k] as number;
          }
          pc += 2;
          break;
        }
        case Op.Window: {
          const w = code[pc + 1] as number;
          const win = this.windows[w] as WindowOp;
          // Handed over in place, as a register: a double passed as an argument would be boxed.
          (this.buffers[w] as SeriesBuffer).recordFrom(tick, s, sp - 1);
          win.update(tick);
          win.writeTo(s, sp - 1);
          if (wantDue) {
            const d = win.nextDue(tick);
            if (d < due) due = d;
          }
          pc += 2;
          break;
        }
        case Op.WindowCompare: {
          const w = code[pc + 2] as number;
          // The builder fuses only sum / avg / count windows (see ProgramBuilder).
          const win = this.windows[w] as WindowSumOp;
          (this.buffers[w] as SeriesBuffer).recordFrom(tick, s, sp - 1);
          win.update(tick);
          const x = win.value;
          const y = c[code[pc + 3] as number] as number;
          s[sp - 1] = x !== x || y !== y ? NaN : compare(code[pc + 1] as number, x < y, x === y);
          if (wantDue) {
            const d = win.dueToCross(tick, y);
            if (d < due) due = d;
          }
          pc += 4;
          break;
        }
        default:
          throw new Error(`flat program: bad opcode ${code[pc]} at ${pc}`);
      }
    }
  }

  /** The state of the program's operators, in program order: each as its operator class writes it. */
  snapshot(pc: number): unknown[] {
    const out: unknown[] = [];
    this.eachOperator(pc, (op, k) => {
      const st = this.state;
      if (op === Op.Held) out.push({ runStart: st[k] });
      else if (op === Op.Within) out.push({ lastTrue: Number.isFinite(st[k]) ? st[k] : null, current: st[k + 1] });
      else if (op === Op.Hysteresis) out.push({ on: st[k] });
      else out.push((this.windows[k] as WindowOp).snapshot());
    });
    return out;
  }

  /** Takes what {@link snapshot} gave (states beyond the program's operators are ignored). */
  restore(pc: number, states: readonly unknown[]): void {
    let i = 0;
    this.eachOperator(pc, (op, k) => {
      if (i >= states.length) return;
      const state = states[i++];
      const st = this.state;
      if (op === Op.Held) {
        st[k] = num(asRecord(state), 'runStart');
      } else if (op === Op.Within) {
        const s = asRecord(state);
        const last = num(s, 'lastTrue');
        st[k] = Number.isNaN(last) ? -Infinity : last;
        st[k + 1] = num(s, 'current');
      } else if (op === Op.Hysteresis) {
        st[k] = num(asRecord(state), 'on');
      } else {
        (this.windows[k] as WindowOp).restore(state);
      }
    });
  }

  /** Calls `f(opcode, state index or window)` for each stateful instruction of the program at `pc`. */
  private eachOperator(pc: number, f: (op: number, k: number) => void): void {
    for (;;) {
      const op = this.code[pc] as number;
      if (op === Op.End) return;
      if (op === Op.Held || op === Op.Within || op === Op.Hysteresis || op === Op.Window) f(op, this.code[pc + 1] as number);
      else if (op === Op.WindowCompare) f(Op.Window, this.code[pc + 2] as number);
      pc += WORDS[op] as number;
    }
  }
}

/**
 * An ordering comparison of two known numbers, given as `x < y` and `x === y`: booleans, not the
 * doubles, because run() is too big for V8 to inline every call it makes, and a double passed
 * to a call that is not inlined is boxed (an allocation on every evaluation).
 */
function compare(op: number, less: boolean, equal: boolean): number {
  switch (op) {
    case Op.Lt:
      return less ? 1 : 0;
    case Op.Le:
      return less || equal ? 1 : 0;
    case Op.Gt:
      return less || equal ? 0 : 1;
    default:
      return less ? 0 : 1;
  }
}
