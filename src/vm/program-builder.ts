import type { SeriesBuffer } from '../conditions/series-buffer.js';
import { WindowSumOp } from '../conditions/window-sum-op.js';
import type { TemporalOp } from '../conditions/temporal-op.js';
import type { BinaryOpName } from '../expr/binary-numeric.js';
import { READY, type Compiled, type WindowOp } from '../expr/compiled.js';
import { applyAffine, IDENTITY, type Affine } from '../expr/units.js';
import { Op } from './opcodes.js';
import { Programs } from './programs.js';

const BINARY: Readonly<Record<BinaryOpName, number>> = {
  LT: Op.Lt,
  LE: Op.Le,
  GT: Op.Gt,
  GE: Op.Ge,
  EQ: Op.Eq,
  NE: Op.Ne,
  BEQ: Op.Beq,
  BNE: Op.Bne,
  ADD: Op.Add,
  SUB: Op.Sub,
  MUL: Op.Mul,
  DIV: Op.Div,
};

/** Deeper expressions stay closures (nobody writes them; the stack is sized by the deepest). */
const MAX_DEPTH = 64;

/**
 * Lowers compiled node values into flat programs (see programs.ts), node by node, while the
 * graph is built. A node is lowered whole or not at all: any part holding temporal state that
 * the instruction set does not know (seq, rose, spatial functions, ...) keeps the node on its
 * closures, so a node's operators are either all in the program or all objects. Stateless parts
 * it does not know run as their closure from inside the program (`Op.Ext`).
 */
export class ProgramBuilder {
  /** Where every program leaves its value and due tick (a node's `out`, at 0). */
  readonly out = new Float64Array(2);
  private readonly code: number[] = [];
  private readonly consts: number[] = [];
  private readonly state: number[] = [];
  private readonly arrays: Float64Array[] = [];
  private readonly arrayIndex = new Map<Float64Array, number>();
  private readonly exts: Compiled[] = [];
  private readonly windows: WindowOp[] = [];
  private readonly buffers: SeriesBuffer[] = [];
  private depth = 0;

  constructor(private readonly num: Float64Array) {}

  /**
   * Appends the program of a node whose value is `value` and whose temporal operators, as the
   * closures registered them, are `ops`. Returns its entry, or -1 when the node stays on closures.
   */
  add(value: Compiled, ops: readonly TemporalOp[]): number {
    if ((value.kind !== 'number' && value.kind !== 'boolean') || value.ref !== undefined) return -1;
    const mark = [this.code.length, this.consts.length, this.state.length, this.exts.length, this.windows.length, this.depth] as const;
    const seen: TemporalOp[] = [];
    const entry = this.code.length;
    // The program's operators must be the node's, in the same order: snapshots list them so.
    if (this.emit(value, 0, seen) && seen.length === ops.length && seen.every((op, i) => op === ops[i])) {
      this.code.push(Op.End);
      return entry;
    }
    this.code.length = mark[0];
    this.consts.length = mark[1];
    this.state.length = mark[2];
    this.exts.length = mark[3];
    this.windows.length = mark[4];
    this.buffers.length = mark[4];
    this.depth = mark[5];
    return -1;
  }

  /** The interpreter over every program added. */
  finish(): Programs {
    return new Programs({
      code: Int32Array.from(this.code),
      consts: Float64Array.from(this.consts),
      state: Float64Array.from(this.state),
      stackDepth: this.depth,
      num: this.num,
      arrays: this.arrays,
      exts: this.exts,
      windows: this.windows,
      buffers: this.buffers,
      out: this.out,
    });
  }

  /** Emits code leaving `c` at stack position `d`; false when it cannot. */
  private emit(c: Compiled, d: number, seen: TemporalOp[]): boolean {
    if (d >= MAX_DEPTH) return false;
    this.depth = Math.max(this.depth, d + 1);
    if (c.constant !== undefined) {
      this.code.push(Op.Const, this.constant(c.constant));
      return true;
    }
    const f = c.flat;
    if (f === undefined) {
      if (c.stateful || (c.kind !== 'number' && c.kind !== 'boolean')) return false;
      if (c.run !== READY) this.code.push(Op.Ext, this.exts.push(c) - 1);
      else if (c.out === this.num) this.code.push(Op.Slot, c.at);
      else this.code.push(Op.Load, this.array(c.out), c.at);
      return true;
    }
    switch (f.op) {
      case 'binary': {
        const op = BINARY[f.name];
        if (f.b.constant !== undefined && !f.b.stateful) {
          const k = this.constant(applyAffine(f.conv, f.b.constant));
          const a = f.a;
          if (op <= Op.Ge && a.constant === undefined && a.flat === undefined && a.run === READY && a.out === this.num) {
            this.code.push(Op.SlotCompare, op, a.at, k);
            return true;
          }
          // A sum window bounds when it could cross the constant (WindowSumOp.dueToCross); other
          // windows are a Window followed by the comparison.
          if (op <= Op.Ge && a.flat?.op === 'window' && a.flat.state instanceof WindowSumOp) {
            if (!this.emit(a.flat.a, d, seen)) return false;
            seen.push(a.flat.state);
            this.buffers.push(a.flat.buffer);
            this.code.push(Op.WindowCompare, op, this.windows.push(a.flat.state) - 1, k);
            return true;
          }
          if (!this.emit(a, d, seen)) return false;
          this.code.push(Op.Const, k, op);
          this.depth = Math.max(this.depth, d + 2);
          return true;
        }
        if (!this.emit(f.a, d, seen) || !this.emit(f.b, d + 1, seen)) return false;
        if (f.conv !== IDENTITY) this.convert(f.conv);
        this.code.push(op);
        return true;
      }
      case 'and':
      case 'or': {
        if (!this.emit(f.a, d, seen)) return false;
        let patch = -1;
        if (f.lazy) {
          this.code.push(f.op === 'and' ? Op.AndSkip : Op.OrSkip, 0);
          patch = this.code.length - 1;
        }
        if (!this.emit(f.b, d + 1, seen)) return false;
        this.code.push(f.op === 'and' ? Op.And : Op.Or);
        if (patch >= 0) this.code[patch] = this.code.length;
        return true;
      }
      case 'not':
      case 'neg':
        if (!this.emit(f.a, d, seen)) return false;
        this.code.push(f.op === 'not' ? Op.Not : Op.Neg);
        return true;
      case 'convert':
        if (!this.emit(f.a, d, seen)) return false;
        this.convert(f.conv);
        return true;
      case 'held':
      case 'within':
        if (!this.emit(f.a, d, seen)) return false;
        seen.push(f.state);
        if (f.op === 'held') this.code.push(Op.Held, this.state.push(-1) - 1, f.state.ticks);
        else this.code.push(Op.Within, this.state.push(-Infinity, 0) - 2, f.state.ticks);
        return true;
      case 'hysteresis':
        if (!this.emit(f.a, d, seen) || !this.emit(f.low, d + 1, seen) || !this.emit(f.high, d + 2, seen)) return false;
        seen.push(f.state);
        this.code.push(Op.Hysteresis, this.state.push(0) - 1);
        return true;
      case 'window':
        if (!this.emit(f.a, d, seen)) return false;
        seen.push(f.state);
        this.buffers.push(f.buffer);
        this.code.push(Op.Window, this.windows.push(f.state) - 1);
        return true;
    }
  }

  private constant(v: number): number {
    return this.consts.push(v) - 1;
  }

  private convert(conv: Affine): void {
    const k = this.consts.length;
    this.consts.push(conv.pre, conv.mul, conv.post);
    this.code.push(Op.Convert, k);
  }

  private array(a: Float64Array): number {
    let i = this.arrayIndex.get(a);
    if (i === undefined) {
      i = this.arrays.push(a) - 1;
      this.arrayIndex.set(a, i);
    }
    return i;
  }
}
