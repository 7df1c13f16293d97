import { ReadStatus } from '../../core/frame.js';
import { unzigzag } from './byte-writer.js';
import { EntryKind, KIND_SHIFT, STATUS_MASK } from './entry-codes.js';
import type { JournalRecord } from './journal-record.js';

/**
 * Decodes record payloads written by RecordEncoder, keeping the same per-sensor memory of last
 * values (so it must see every record of a segment from the segment's start, in order; `reset()`
 * at each segment). Throws a RangeError on a payload that does not parse: with a good CRC that
 * means a bug or a foreign file, and the reader stops there.
 *
 * A JSON reading is parsed once; "same" entries hand out that same object again, which is safe
 * because readings are never mutated.
 */
export class RecordDecoder {
  /** Per sensor: 0 nothing yet in this segment, 1 the last value is `lastNum`, 2 `lastObj`. */
  private lastKind = new Uint8Array(64);
  private lastNum = new Float64Array(64);
  private lastObj: unknown[] = [];
  private lastError: Array<string | undefined> = [];
  private data: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(new ArrayBuffer(0));
  private pos = 0;
  private end = 0;

  reset(): void {
    this.lastKind.fill(0);
    this.lastObj.length = 0;
    this.lastError.length = 0;
  }

  /** Decodes the payload at [start, end) of `data` into `out`. */
  decode(data: Uint8Array, start: number, end: number, out: JournalRecord): void {
    this.bind(data, start, end);
    out.tick = this.varint();
    const n = this.varint();
    // Each entry takes at least two bytes: a larger count is corrupt, not a reason to allocate.
    if (n * 2 > end - this.pos) throw new RangeError(`entry count ${n} does not fit the record`);
    out.reserve(n);
    out.count = n;
    for (let k = 0; k < n; k++) {
      const i = this.varint();
      const code = this.byte();
      const status = code & STATUS_MASK;
      const kind = code >> KIND_SHIFT;
      out.index[k] = i;
      out.status[k] = status;
      if (status === ReadStatus.Ok) this.okEntry(out, k, i, kind);
      else this.failureEntry(out, k, i, kind);
    }
    if (this.pos !== end) throw new RangeError(`${end - this.pos} bytes left over after the entries`);
  }

  private okEntry(out: JournalRecord, k: number, i: number, kind: number): void {
    out.error[k] = undefined;
    if (i >= this.lastKind.length) this.grow(i);
    if (kind === EntryKind.Json) {
      const v: unknown = JSON.parse(this.text());
      this.lastKind[i] = 2;
      this.lastObj[i] = v;
      out.obj[k] = v;
      return;
    }
    let v: number;
    if (kind === EntryKind.Same) {
      const last = this.lastKind[i];
      if (last === 2) {
        out.obj[k] = this.lastObj[i];
        return;
      }
      if (last !== 1) throw new RangeError(`sensor ${i}: "same value" with no value before it`);
      v = this.lastNum[i] as number;
    } else if (kind === EntryKind.Int) {
      v = unzigzag(this.varint());
    } else if (kind === EntryKind.F32) {
      this.need(4);
      v = this.view.getFloat32(this.pos, true);
      this.pos += 4;
    } else if (kind === EntryKind.F64) {
      this.need(8);
      v = this.view.getFloat64(this.pos, true);
      this.pos += 8;
    } else {
      throw new RangeError(`entry kind ${kind} is not valid for a reading`);
    }
    this.lastKind[i] = 1;
    this.lastNum[i] = v;
    out.num[k] = v;
    out.obj[k] = undefined;
  }

  private failureEntry(out: JournalRecord, k: number, i: number, kind: number): void {
    out.obj[k] = undefined;
    if (kind === EntryKind.NoText) {
      out.error[k] = undefined;
    } else if (kind === EntryKind.Text) {
      const t = this.text();
      this.lastError[i] = t;
      out.error[k] = t;
    } else if (kind === EntryKind.Same) {
      const t = this.lastError[i];
      if (t === undefined) throw new RangeError(`sensor ${i}: "same error" with no error before it`);
      out.error[k] = t;
    } else {
      throw new RangeError(`entry kind ${kind} is not valid for a failure`);
    }
  }

  private bind(data: Uint8Array, start: number, end: number): void {
    if (data !== this.data) {
      this.data = data;
      this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    }
    this.pos = start;
    this.end = end;
  }

  private grow(i: number): void {
    let cap = this.lastKind.length * 2;
    while (cap <= i) cap *= 2;
    const kinds = new Uint8Array(cap);
    kinds.set(this.lastKind);
    this.lastKind = kinds;
    const nums = new Float64Array(cap);
    nums.set(this.lastNum);
    this.lastNum = nums;
  }

  private need(n: number): void {
    if (this.pos + n > this.end) throw new RangeError('record ends inside an entry');
  }

  private byte(): number {
    if (this.pos >= this.end) throw new RangeError('record ends inside an entry');
    return this.data[this.pos++] as number;
  }

  private varint(): number {
    let b = this.byte();
    if (b < 0x80) return b;
    let v = b & 0x7f;
    let scale = 128;
    for (let shift = 1; shift < 8; shift++) {
      b = this.byte();
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 128;
    }
    throw new RangeError('varint longer than 8 bytes');
  }

  private text(): string {
    const n = this.varint();
    this.need(n);
    const d = this.data;
    const s = Buffer.from(d.buffer, d.byteOffset + this.pos, n).toString('utf8');
    this.pos += n;
    return s;
  }
}
