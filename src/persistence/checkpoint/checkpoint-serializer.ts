import { crc32 } from '../crc32.js';
import type { PersistenceEnv, PersistenceFileHandle } from '../persistence-env.js';
import { CHECKPOINT_FILE_FORMAT, CHECKPOINT_MARK, type CheckpointHeader, type CheckpointTrailer } from './checkpoint-format.js';
import { BlobTable, jsonChunks } from './json-chunks.js';

/** What the runtime hands to a checkpoint: its whole state, as plain JSON-able parts. */
export interface CheckpointState {
  /** The last tick whose effects the state includes: replay resumes at `tick + 1`. */
  readonly tick: number;
  /** hashConfig() of the configuration that produced the state. */
  readonly configHash: string;
  /** The runtime's version of the layout of `parts`; bump it when a snapshot's shape changes. */
  readonly formatVersion: number;
  /** Tick period, so `inspect` can say the time of `tick`. */
  readonly periodUs?: number;
  /** Named snapshots (`engine`, `sampler`, `outbox`, ...), each plain JSON (typed arrays allowed). */
  readonly parts: Readonly<Record<string, unknown>>;
}

/** How long serializing took, and the longest stretch it held the event loop. */
export interface SerializeTiming {
  readonly bytes: number;
  readonly partBytes: Readonly<Record<string, number>>;
  /** From the first byte to the fsync, ms. */
  readonly totalMs: number;
  /** The longest slice of serialization between two turns of the event loop, ms. */
  readonly maxSliceMs: number;
  readonly slices: number;
}

const WRITE_CHUNK_CHARS = 1 << 18;
/** Containers opened by the generator; deeper subtrees are stringified natively (fast). */
const SERIALIZE_DEPTH = 2;
/** Blob bytes are gathered in a slab of this size between writes. */
const SLAB_BYTES = 1 << 20;

/**
 * Writes `state` as a checkpoint file into `fh` (see checkpoint-format.ts), serializing it in
 * slices of at most about `sliceMs` of CPU and giving the event loop a turn between slices, so a
 * large state never holds up a tick for long. `parts` must not change until this resolves: hand
 * over a snapshot (a copy), not live state. Ends with fsync; rejects on any I/O error.
 */
export async function serializeCheckpoint(fh: PersistenceFileHandle, state: CheckpointState, env: PersistenceEnv, sliceMs: number): Promise<SerializeTiming> {
  const t0 = env.monoMs();
  const names = Object.keys(state.parts);
  const header: CheckpointHeader = {
    spatia: CHECKPOINT_MARK,
    format: CHECKPOINT_FILE_FORMAT,
    tick: state.tick,
    periodUs: state.periodUs,
    configHash: state.configHash,
    stateFormat: state.formatVersion,
    writtenAtMs: env.wallMs(),
    parts: names,
  };
  let pos = 0;
  let crc = 0;
  let text = JSON.stringify(header) + '\n{';
  const put = async (): Promise<void> => {
    const buf = Buffer.from(text, 'utf8');
    text = '';
    crc = crc32(buf, crc);
    for (let done = 0; done < buf.length; ) done += (await fh.write(buf, done, buf.length - done, pos + done)).bytesWritten;
    pos += buf.length;
  };
  const partBytes: Record<string, number> = {};
  let slices = 1;
  let maxSliceMs = 0;
  let sliceStart = env.monoMs();
  // Awaiting a write gives the event loop its turn too: either way, a slice ends there.
  const endSlice = async (write: boolean): Promise<void> => {
    maxSliceMs = Math.max(maxSliceMs, env.monoMs() - sliceStart);
    await (write ? put() : env.yieldToLoop());
    slices++;
    sliceStart = env.monoMs();
  };
  const offset = (): number => pos + Buffer.byteLength(text, 'utf8');
  const table = new BlobTable();
  const blobs = table.list;
  for (let p = 0; p < names.length; p++) {
    const name = names[p] as string;
    text += (p === 0 ? '' : ',') + JSON.stringify(name) + ':';
    const start = offset();
    const firstBlob = blobs.length;
    // Below the third level (an engine's nodes, sensors), each subtree is one native stringify.
    for (const piece of jsonChunks(state.parts[name], SERIALIZE_DEPTH, undefined, table)) {
      text += piece;
      if (text.length >= WRITE_CHUNK_CHARS) await endSlice(true);
      else if (env.monoMs() - sliceStart >= sliceMs) await endSlice(false);
    }
    // A part's size includes its blobs, written after the body.
    partBytes[name] = offset() - start + blobs.slice(firstBlob).reduce((n, b) => n + b.byteLength, 0);
  }
  text += '}\n';
  await put();
  // Typed arrays as their bytes: no formatting, no parsing, exact (NaN and -0 included). Each is
  // copied synchronously into a reused slab (a lazy snapshot is read in place, so its bytes must
  // be taken before the next tick can move them), and the slab goes to the file between copies.
  const blobSizes: Array<[string, number]> = [];
  let slab = new Uint8Array(new ArrayBuffer(SLAB_BYTES));
  let used = 0;
  const flush = async (): Promise<void> => {
    if (used === 0) return;
    const bytes = slab.subarray(0, used);
    crc = crc32(bytes, crc);
    for (let done = 0; done < used; ) done += (await fh.write(bytes, done, used - done, pos + done)).bytesWritten;
    pos += used;
    used = 0;
    if (env.monoMs() - sliceStart >= sliceMs) await endSlice(false);
  };
  for (const b of blobs) {
    // Each blob starts 8-aligned in the slab (a Float64Array view over it needs that).
    if (used + b.byteLength > slab.length || used % 8 !== 0) await flush();
    if (b.byteLength > slab.length) slab = new Uint8Array(new ArrayBuffer(b.byteLength));
    b.copyTo(slab, used);
    used += b.byteLength;
    blobSizes.push([b.type, b.byteLength]);
  }
  await flush();
  // The trailer is found by the newline before it (blob bytes may hold any byte).
  text = '\n';
  await put();
  const trailer: CheckpointTrailer = { bytes: pos, crc32: crc, partBytes, blobs: blobSizes };
  text = JSON.stringify(trailer) + '\n';
  await put();
  maxSliceMs = Math.max(maxSliceMs, env.monoMs() - sliceStart);
  await fh.sync();
  return { bytes: pos, partBytes, totalMs: env.monoMs() - t0, maxSliceMs, slices };
}
