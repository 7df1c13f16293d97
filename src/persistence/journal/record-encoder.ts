import { type Frame, ReadStatus } from '../../core/frame.js';
import { type ByteWriter, zigzag } from './byte-writer.js';
import { EntryKind, KIND_SHIFT } from './entry-codes.js';
import { beginFrame, endFrame } from './segment-format.js';

const LastKind = { None: 0, Num: 1, Obj: 2 } as const;
const INT_LIMIT = 2 ** 31;

/**
 * Encodes one tick's Frame as a journal record holding only what was read this tick:
 *
 *   payload := varint tick | varint n | entry * n
 *   entry   := varint sensorIndex | u8 code (status | kind << 3) | body (see EntryKind)
 *
 * Sensors with status None (not read) have no entry. A numeric reading is written in the
 * smallest exact form (int, float32, float64); a reading with `obj` set (string, JSON, null) as
 * JSON text. Remembers, per sensor, the last value and error text written, for the "same" kind;
 * `reset()` at every segment start.
 *
 * Allocation: none for numeric sensors; one JSON.stringify per non-numeric reading whose object
 * is not the one journaled last (readings are immutable, so identity means equality).
 */
export class RecordEncoder {
  private lastKind: Uint8Array;
  private lastNum: Float64Array;
  private lastObj: unknown[];
  private lastJson: Array<string | undefined>;
  private lastError: Array<string | undefined>;

  constructor(size: number) {
    this.lastKind = new Uint8Array(size);
    this.lastNum = new Float64Array(size);
    this.lastObj = new Array<unknown>(size).fill(undefined);
    this.lastJson = new Array<string | undefined>(size).fill(undefined);
    this.lastError = new Array<string | undefined>(size).fill(undefined);
  }

  /** Forgets the last values: the next record is readable without anything before it. */
  reset(): void {
    this.lastKind.fill(LastKind.None);
    this.lastObj.fill(undefined);
    this.lastJson.fill(undefined);
    this.lastError.fill(undefined);
  }

  /**
   * Appends the framed record for `frame` at `tick` to `w`. Returns false, writing nothing, when
   * no sensor was read and `skipEmpty` is set.
   */
  encode(w: ByteWriter, tick: number, frame: Frame, skipEmpty: boolean): boolean {
    const status = frame.status;
    const size = Math.min(frame.size, this.lastKind.length);
    let n = 0;
    for (let i = 0; i < size; i++) if (status[i] !== ReadStatus.None) n++;
    if (n === 0 && skipEmpty) return false;
    const start = beginFrame(w);
    w.varint(tick);
    w.varint(n);
    for (let i = 0; i < size; i++) {
      const s = status[i] as number;
      if (s === ReadStatus.None) continue;
      w.varint(i);
      if (s === ReadStatus.Ok) this.okEntry(w, frame, i);
      else this.failureEntry(w, s, frame.error[i], i);
    }
    endFrame(w, start);
    return true;
  }

  /** An empty record: "tick ran, nothing was read" (the writer's marker of the newest tick). */
  encodeEmpty(w: ByteWriter, tick: number): void {
    const start = beginFrame(w);
    w.varint(tick);
    w.varint(0);
    endFrame(w, start);
  }

  private okEntry(w: ByteWriter, frame: Frame, i: number): void {
    const obj = frame.obj[i];
    if (obj !== undefined) {
      if (this.lastKind[i] === LastKind.Obj && this.lastObj[i] === obj) return this.code(w, ReadStatus.Ok, EntryKind.Same);
      const json = toJson(obj);
      this.lastObj[i] = obj;
      if (this.lastKind[i] === LastKind.Obj && this.lastJson[i] === json) return this.code(w, ReadStatus.Ok, EntryKind.Same);
      this.lastKind[i] = LastKind.Obj;
      this.lastJson[i] = json;
      this.code(w, ReadStatus.Ok, EntryKind.Json);
      w.utf8(json);
      return;
    }
    const v = frame.num[i] as number;
    if (this.lastKind[i] === LastKind.Num && Object.is(this.lastNum[i], v)) return this.code(w, ReadStatus.Ok, EntryKind.Same);
    this.lastKind[i] = LastKind.Num;
    this.lastNum[i] = v;
    this.lastObj[i] = undefined;
    if (Number.isInteger(v) && v >= -INT_LIMIT && v < INT_LIMIT && !Object.is(v, -0)) {
      this.code(w, ReadStatus.Ok, EntryKind.Int);
      w.varint(zigzag(v));
    } else if (Math.fround(v) === v) {
      this.code(w, ReadStatus.Ok, EntryKind.F32);
      w.f32(v);
    } else {
      this.code(w, ReadStatus.Ok, EntryKind.F64);
      w.f64(v);
    }
  }

  private failureEntry(w: ByteWriter, status: number, error: string | undefined, i: number): void {
    if (error === undefined) return this.code(w, status, EntryKind.NoText);
    if (this.lastError[i] === error) return this.code(w, status, EntryKind.Same);
    this.lastError[i] = error;
    this.code(w, status, EntryKind.Text);
    w.utf8(error);
  }

  private code(w: ByteWriter, status: number, kind: EntryKind): void {
    w.u8(status | (kind << KIND_SHIFT));
  }
}

/**
 * JSON text of a reading. Readings come from JSON parsers and mock signals, so this does not
 * fail in practice; a value JSON cannot hold (a BigInt, a cycle) is journaled as its string form
 * rather than losing the tick.
 */
function toJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return JSON.stringify(String(v));
  }
}
