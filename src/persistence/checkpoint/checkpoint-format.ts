import { crc32 } from '../crc32.js';

/**
 * A checkpoint file, `checkpoint-<tick, 20 digits>.json`, is (format 2):
 *
 *   1. the header line ({@link CheckpointHeader}, JSON): what the state is, known before
 *      serializing it (so `head -1` reads it);
 *   2. the body line: `{"<part>": <state>, ...}` as JSON (JSON text never holds a raw newline),
 *      where each typed array of the state is a placeholder `{"$blob": k, "$spatia": 1}`;
 *   3. the blobs: the bytes of typed array k, for k = 0, 1, ..., back to back, as the machine
 *      holds them (little-endian on every board spatia runs on), then a newline;
 *   4. the trailer line ({@link CheckpointTrailer}, JSON): byte count and CRC-32 of everything
 *      before it, bytes per part, and the type and length of each blob.
 *
 * Format 1 is the same without blobs (typed arrays written as JSON arrays); it is still read.
 * The trailer is written last, so a file cut short anywhere has none: that is "truncated"; a
 * trailer whose CRC does not match the bytes is "corrupt".
 */
export const CHECKPOINT_FILE_FORMAT = 2;
export const CHECKPOINT_MARK = 'spatia-checkpoint';

export interface CheckpointHeader {
  readonly spatia: typeof CHECKPOINT_MARK;
  /** Version of this file layout (CHECKPOINT_FILE_FORMAT). */
  readonly format: number;
  readonly tick: number;
  readonly periodUs: number | undefined;
  readonly configHash: string;
  /** The caller's version of the layout of the parts (CheckpointState.formatVersion). */
  readonly stateFormat: number;
  /** Wall clock (ms since the epoch) when the checkpoint was taken. */
  readonly writtenAtMs: number;
  readonly parts: readonly string[];
}

export interface CheckpointTrailer {
  /** Bytes of lines 1 and 2, newlines included. */
  readonly bytes: number;
  readonly crc32: number;
  readonly partBytes: Readonly<Record<string, number>>;
  /** Format 2: each blob's typed array type (`Float64Array`, ...) and byte length, in order. */
  readonly blobs?: ReadonlyArray<readonly [string, number]>;
}

export type RejectReason = 'empty' | 'truncated' | 'corrupt' | 'format' | 'state-format' | 'unreadable';

/** A checkpoint file whose bytes check out, not yet parsed beyond its header. */
export interface VerifiedCheckpoint {
  readonly header: CheckpointHeader;
  readonly trailer: CheckpointTrailer;
  /** The body line, `{"part": ...}`. */
  readonly body: Uint8Array;
  /** The blobs, back to back (empty in format 1). */
  readonly blobs: Uint8Array;
}

export class CheckpointRejected extends Error {
  constructor(
    readonly reason: RejectReason,
    message: string,
  ) {
    super(message);
    this.name = 'CheckpointRejected';
  }
}

const NL = 0x0a;

/** Checks a checkpoint file's framing and CRC. Throws CheckpointRejected saying why not. */
export function verifyCheckpoint(data: Uint8Array, expectStateFormat?: number): VerifiedCheckpoint {
  if (data.length === 0) throw new CheckpointRejected('empty', 'the file is empty');
  const headerEnd = data.indexOf(NL);
  if (headerEnd < 0) throw new CheckpointRejected('truncated', `no complete header line in ${data.length} bytes`);
  let header: CheckpointHeader;
  try {
    header = JSON.parse(text(data, 0, headerEnd)) as CheckpointHeader;
  } catch {
    throw new CheckpointRejected('corrupt', 'the header line is not JSON');
  }
  if (header.spatia !== CHECKPOINT_MARK) throw new CheckpointRejected('format', 'not a spatia checkpoint (no "spatia" mark in the header)');
  if (header.format !== CHECKPOINT_FILE_FORMAT && header.format !== 1) {
    throw new CheckpointRejected('format', `checkpoint file format ${header.format}, this build reads format ${CHECKPOINT_FILE_FORMAT}`);
  }
  const trailerStart = data[data.length - 1] === NL ? data.lastIndexOf(NL, data.length - 2) + 1 : -1;
  let trailer: CheckpointTrailer | undefined;
  try {
    if (trailerStart > headerEnd) trailer = JSON.parse(text(data, trailerStart, data.length - 1)) as CheckpointTrailer;
  } catch {
    trailer = undefined;
  }
  if (trailer === undefined || typeof trailer.bytes !== 'number') {
    throw new CheckpointRejected('truncated', `the file ends without its trailer after ${data.length} bytes: the write did not finish`);
  }
  if (trailer.bytes !== trailerStart) {
    throw new CheckpointRejected(trailer.bytes > trailerStart ? 'truncated' : 'corrupt', `the trailer counts ${trailer.bytes} bytes before it, the file has ${trailerStart}`);
  }
  const crc = crc32(data.subarray(0, trailerStart));
  if (crc !== trailer.crc32) throw new CheckpointRejected('corrupt', `checksum mismatch (crc32 ${hex(crc)}, trailer says ${hex(trailer.crc32)}): the bytes changed after writing`);
  if (expectStateFormat !== undefined && header.stateFormat !== expectStateFormat) {
    throw new CheckpointRejected('state-format', `state format version ${header.stateFormat}, this build restores version ${expectStateFormat}`);
  }
  if (header.format === 1) return { header, trailer, body: data.subarray(headerEnd + 1, trailerStart - 1), blobs: new Uint8Array(0) };
  const bodyEnd = data.indexOf(NL, headerEnd + 1);
  const blobBytes = (trailer.blobs ?? []).reduce((n, b) => n + b[1], 0);
  if (bodyEnd < 0 || bodyEnd + 1 + blobBytes + 1 !== trailerStart) {
    throw new CheckpointRejected('corrupt', `the blobs the trailer lists (${blobBytes} bytes) do not fill the file between the body and the trailer`);
  }
  return { header, trailer, body: data.subarray(headerEnd + 1, bodyEnd), blobs: data.subarray(bodyEnd + 1, trailerStart - 1) };
}

const TYPED: Readonly<Record<string, { new (buffer: ArrayBuffer): ArrayBufferView; readonly BYTES_PER_ELEMENT: number }>> = {
  Float64Array,
  Float32Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
};

/** The typed arrays of a verified format-2 checkpoint, copied out of the file's bytes. */
function blobArrays(v: VerifiedCheckpoint): ArrayBufferView[] {
  const out: ArrayBufferView[] = [];
  let at = 0;
  for (const [type, bytes] of v.trailer.blobs ?? []) {
    const Ctor = TYPED[type];
    if (Ctor === undefined || bytes % Ctor.BYTES_PER_ELEMENT !== 0) throw new CheckpointRejected('corrupt', `blob ${out.length}: unknown type ${type} or bad length ${bytes}`);
    // A copy into its own buffer: aligned for the type, and the file's bytes can go.
    const buf = new ArrayBuffer(bytes);
    new Uint8Array(buf).set(v.blobs.subarray(at, at + bytes));
    out.push(new Ctor(buf));
    at += bytes;
  }
  return out;
}

/** Parses a verified body into its parts. */
export function parseBody(v: VerifiedCheckpoint): Record<string, unknown> {
  const blobs = blobArrays(v);
  try {
    const body = text(v.body, 0, v.body.length);
    if (blobs.length === 0) return JSON.parse(body) as Record<string, unknown>;
    return JSON.parse(body, (_key, value: unknown) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const o = value as { $blob?: unknown; $spatia?: unknown };
      // Two marker keys, so a sensor's JSON reading in the state is never mistaken for one.
      if (o.$spatia !== 1 || typeof o.$blob !== 'number' || Object.keys(o).length !== 2) return value;
      return blobs[o.$blob] ?? value;
    }) as Record<string, unknown>;
  } catch (err) {
    // The CRC matched, so the writer produced this: report it, do not crash on it.
    throw new CheckpointRejected('corrupt', `the body is not JSON although its checksum matches: ${(err as Error).message}`);
  }
}

function text(data: Uint8Array, start: number, end: number): string {
  return Buffer.from(data.buffer, data.byteOffset + start, end - start).toString('utf8');
}

function hex(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

const NAME = /^checkpoint-(\d{20})\.json$/;

export function checkpointFileName(tick: number): string {
  return `checkpoint-${String(tick).padStart(20, '0')}.json`;
}

/** The tick named by a checkpoint file name, undefined for other files. */
export function parseCheckpointFileName(name: string): number | undefined {
  const m = NAME.exec(name);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
