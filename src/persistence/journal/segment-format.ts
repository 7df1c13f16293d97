import { crc32Range } from '../crc32.js';
import { ByteWriter } from './byte-writer.js';

/**
 * The journal's on-disk framing (see README "Persistence"):
 *
 *   segment := MAGIC (8 bytes: "SPJOURN" + format version byte) header-record record*
 *   record  := length u32 LE | crc32 u32 LE (of the payload) | payload (length bytes)
 *
 * The header record's payload is UTF-8 JSON ({@link SegmentHeader}); every other payload is one
 * tick's input (see record-encoder.ts). A record is good when it lies wholly inside the file, its
 * length is within bounds and its CRC matches; the first record that is not ends the segment.
 */
export const JOURNAL_FORMAT_VERSION = 1;
const MAGIC_TEXT = 'SPJOURN';
export const MAGIC_BYTES = 8;
export const FRAME_BYTES = 8;
/** A payload longer than this is a corrupt length field, not a record. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** What a segment says about itself, in its first record. */
export interface SegmentHeader {
  readonly format: number;
  /** Tick of the first record; also the file name. */
  readonly firstTick: number;
  /** Tick period the ticks count in. */
  readonly periodUs: number;
  /** hashConfig() of the configuration that produced the input. */
  readonly configHash: string;
  /** Wall clock (ms since the epoch) when the segment was opened, at `firstTick`. */
  readonly createdAtMs: number;
  /** Sensor ids by index, so a changed configuration can map recorded input by id. */
  readonly sensors: readonly string[];
  /**
   * True when the writer dropped input just before this segment (the disk refused writes for
   * longer than its memory bound): the ticks between the previous segment and this one are lost.
   */
  readonly lostBefore: boolean;
}

const NAME = /^(\d{20})\.seg$/;

/** `00000000000000001234.seg`: names sort in tick order. */
export function segmentFileName(firstTick: number): string {
  return `${String(firstTick).padStart(20, '0')}.seg`;
}

/** The first tick named by a segment file name, or undefined for other files. */
export function parseSegmentFileName(name: string): number | undefined {
  const m = NAME.exec(name);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}

/** The bytes a segment starts with: magic and the framed header. */
export function encodeSegmentStart(header: SegmentHeader): Buffer {
  const w = new ByteWriter(256);
  w.ensure(MAGIC_BYTES);
  w.buf.write(MAGIC_TEXT, 0, 'latin1');
  w.buf[7] = JOURNAL_FORMAT_VERSION;
  w.pos = MAGIC_BYTES;
  const start = beginFrame(w);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  w.bytes(json);
  endFrame(w, start);
  return Buffer.from(w.buf.subarray(0, w.pos));
}

/** Reserves a frame's length and CRC; returns where the frame starts. */
export function beginFrame(w: ByteWriter): number {
  const start = w.pos;
  w.ensure(FRAME_BYTES);
  w.pos += FRAME_BYTES;
  return start;
}

/** Fills in the length and CRC of the frame begun at `start`, whose payload ends at `w.pos`. */
export function endFrame(w: ByteWriter, start: number): void {
  const payload = start + FRAME_BYTES;
  w.u32At(start, w.pos - payload);
  w.u32At(start + 4, crc32Range(w.buf, payload, w.pos));
}

/** Why reading a segment stopped before its end. */
export type SegmentProblem = 'magic' | 'version' | 'header' | 'torn' | 'length' | 'checksum' | 'decode';

/**
 * Walks the frames of one segment held in memory. `next()` moves to the next good record and
 * returns false at the end of the file or at the first bad frame, after which `problem` says why
 * and `goodEnd` is the offset just past the last good record (where a writer cuts the file).
 */
export class SegmentCursor {
  header: SegmentHeader | undefined;
  problem: SegmentProblem | undefined;
  detail = '';
  /** Offset just past the last good frame (the header counts). 0 when even the magic is bad. */
  goodEnd = 0;
  payloadStart = 0;
  payloadEnd = 0;

  constructor(readonly data: Uint8Array) {
    this.readStart();
  }

  /** The offset where the problem was found (the start of the first bad frame). */
  get problemOffset(): number {
    return this.goodEnd;
  }

  next(): boolean {
    if (this.problem !== undefined || this.header === undefined) return false;
    const at = this.goodEnd;
    if (at === this.data.length) return false;
    if (!this.frameAt(at)) return false;
    this.goodEnd = this.payloadEnd;
    return true;
  }

  /** Marks the current record bad (its payload did not decode): reading stops before it. */
  reject(problem: SegmentProblem, detail: string): void {
    this.goodEnd = this.payloadStart - FRAME_BYTES;
    this.problem = problem;
    this.detail = detail;
  }

  private readStart(): void {
    const d = this.data;
    const magicOk = d.length >= MAGIC_BYTES && Buffer.from(d.buffer, d.byteOffset, 7).toString('latin1') === MAGIC_TEXT;
    if (!magicOk) {
      this.fail(d.length < MAGIC_BYTES ? 'torn' : 'magic', d.length < MAGIC_BYTES ? `only ${d.length} bytes, the segment start is cut short` : 'not a spatia journal segment (bad magic)');
      return;
    }
    if (d[7] !== JOURNAL_FORMAT_VERSION) {
      this.fail('version', `journal format version ${d[7]}, this build reads version ${JOURNAL_FORMAT_VERSION}`);
      return;
    }
    this.goodEnd = MAGIC_BYTES;
    if (!this.frameAt(MAGIC_BYTES)) {
      this.goodEnd = 0;
      return;
    }
    try {
      const text = Buffer.from(d.buffer, d.byteOffset + this.payloadStart, this.payloadEnd - this.payloadStart).toString('utf8');
      this.header = JSON.parse(text) as SegmentHeader;
      this.goodEnd = this.payloadEnd;
    } catch (err) {
      this.goodEnd = 0;
      this.fail('header', `unreadable segment header: ${(err as Error).message}`);
    }
  }

  private frameAt(at: number): boolean {
    const d = this.data;
    const left = d.length - at;
    if (left < FRAME_BYTES) return this.fail('torn', `${left} bytes after the last record: a torn write`);
    const len = (d[at] as number) | ((d[at + 1] as number) << 8) | ((d[at + 2] as number) << 16) | ((d[at + 3] as number) << 24);
    if (len <= 0 || len > MAX_RECORD_BYTES) return this.fail('length', `record length ${len >>> 0} is impossible: corrupt data`);
    if (len > left - FRAME_BYTES) return this.fail('torn', `record of ${len} bytes but only ${left - FRAME_BYTES} remain: a torn write (or a corrupt length)`);
    const crc = ((d[at + 4] as number) | ((d[at + 5] as number) << 8) | ((d[at + 6] as number) << 16) | ((d[at + 7] as number) << 24)) >>> 0;
    const start = at + FRAME_BYTES;
    if (crc32Range(d, start, start + len) !== crc) return this.fail('checksum', `record checksum mismatch: corrupt data`);
    this.payloadStart = start;
    this.payloadEnd = start + len;
    return true;
  }

  private fail(problem: SegmentProblem, detail: string): false {
    this.problem = problem;
    this.detail = detail;
    return false;
  }
}
