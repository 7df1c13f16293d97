import { withCheckpointBlobs } from '../../conditions/series-buffer.js';

/**
 * JSON text of `value` in pieces, so that serializing a large state can be spread over many short
 * slices of the event loop. The concatenated pieces equal `JSON.stringify(value)` for plain data
 * (objects, arrays, strings, finite numbers, booleans, null, `toJSON`, undefined members skipped,
 * non-finite numbers as null), with one deliberate difference: typed arrays are written as JSON
 * arrays (`[1,2]`), not as objects keyed by index, so state can hand over a cheap `slice()` of a
 * buffer and leave the formatting of its numbers to these slices, off the tick.
 *
 * Containers are opened up to `maxDepth` levels deep; below that a value is one piece, plain
 * `JSON.stringify` of it (a replacer to catch typed arrays there would double the cost of all
 * leaves: keep typed arrays within `maxDepth`). Runs of primitives are batched into pieces of
 * about `batchChars`.
 */
/** Array elements stringified per native call below the generator's levels. */
const NATIVE_ARRAY_SLICE = 256;

/** The bytes of one blob, read when the writer gets to it (a typed array, or a lazy snapshot's). */
export interface BlobSource {
  readonly type: string;
  readonly byteLength: number;
  /** Copies the bytes into `into` at byte offset `at` (8-aligned from the buffer's start). */
  copyTo(into: Uint8Array, at: number): void;
}

/**
 * The blobs of a checkpoint, each stored once however often the state refers to it. A state
 * object with a `toCheckpoint(addBlob)` method (a lazy snapshot) is asked for its checkpoint form
 * instead of being read as JSON.
 */
export class BlobTable {
  readonly list: BlobSource[] = [];
  private readonly index = new Map<object, number>();

  /** The placeholder of typed array `v`. */
  add(v: ArrayBufferView): number {
    let k = this.index.get(v);
    if (k === undefined) {
      k = this.addSource({ type: v.constructor.name, byteLength: v.byteLength, copyTo: (into, at) => into.set(new Uint8Array(v.buffer, v.byteOffset, v.byteLength), at) });
      this.index.set(v, k);
    }
    return k;
  }

  addSource(source: BlobSource): number {
    this.list.push(source);
    return this.list.length - 1;
  }

  /** The placeholder object of a new source (what a lazy snapshot writes in its JSON). */
  readonly placeholder = (source: BlobSource): unknown => ({ $blob: this.addSource(source), $spatia: 1 });
}

interface LazySnapshot {
  toCheckpoint(addBlob: (source: BlobSource) => unknown): unknown;
}

function isLazy(v: object): v is LazySnapshot {
  return typeof (v as Partial<LazySnapshot>).toCheckpoint === 'function';
}

export function* jsonChunks(value: unknown, maxDepth = 8, batchChars = 16_384, blobs?: BlobTable): Generator<string, void, undefined> {
  yield* chunks(toJsonValue(value, ''), 0, maxDepth, batchChars, blobs);
}

/**
 * With `blobs`, a typed array is not formatted at all: it is added to `blobs` and written as
 * the placeholder `{"$blob":k,"$spatia":1}` (k: its number there), for the caller to store its
 * bytes as they are.
 */
function* chunks(v: unknown, depth: number, maxDepth: number, batch: number, blobs: BlobTable | undefined): Generator<string, void, undefined> {
  if (v === null || typeof v !== 'object' || isBoxed(v)) {
    yield JSON.stringify(v) ?? 'null';
    return;
  }
  if (blobs !== undefined && isLazy(v)) {
    yield* chunks(v.toCheckpoint(blobs.placeholder), depth, maxDepth, batch, blobs);
    return;
  }
  // An array of primitives (the engine's value arrays): one native call, not one per element.
  if (Array.isArray(v) && v.every(isPrimitive)) {
    yield JSON.stringify(v);
    return;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    if (blobs !== undefined) {
      yield `{"$blob":${blobs.add(v as ArrayBufferView)},"$spatia":1}`;
      return;
    }
    yield* typedChunks(v as unknown as ArrayLike<number>, batch);
    return;
  }
  if (depth >= maxDepth) {
    yield blobs === undefined ? (JSON.stringify(v) ?? 'null') : nativeWithBlobs(v, blobs);
    return;
  }
  // An array whose elements would each be one native call (an engine's 10,000 nodes): a few
  // hundred elements per call, which is most of the cost saved, and still short slices.
  if (blobs !== undefined && Array.isArray(v) && depth + 1 >= maxDepth) {
    if (v.length === 0) {
      yield '[]';
      return;
    }
    for (let i = 0; i < v.length; i += NATIVE_ARRAY_SLICE) {
      const text = nativeWithBlobs(v.slice(i, i + NATIVE_ARRAY_SLICE), blobs);
      yield (i === 0 ? '[' : ',') + text.slice(1, -1);
    }
    yield ']';
    return;
  }
  const isArray = Array.isArray(v);
  const keys = isArray ? undefined : Object.keys(v);
  const n = isArray ? (v as unknown[]).length : (keys as string[]).length;
  let text = isArray ? '[' : '{';
  let first = true;
  for (let i = 0; i < n; i++) {
    const key = isArray ? String(i) : (keys as string[])[i] as string;
    const raw = (v as Record<string, unknown>)[key];
    // A lazy snapshot's toJSON would copy it: it goes to chunks() whole, which asks for its checkpoint form.
    const member = blobs !== undefined && raw !== null && typeof raw === 'object' && isLazy(raw) ? raw : toJsonValue(raw, key);
    const skip = member === undefined || typeof member === 'function' || typeof member === 'symbol';
    if (skip && !isArray) continue;
    text += first ? '' : ',';
    first = false;
    if (!isArray) text += JSON.stringify(key) + ':';
    if (skip) {
      text += 'null';
    } else if (member === null || typeof member !== 'object' || isBoxed(member)) {
      text += JSON.stringify(member);
    } else {
      yield text;
      text = '';
      yield* chunks(member, depth + 1, maxDepth, batch, blobs);
    }
    if (text.length >= batch) {
      yield text;
      text = '';
    }
  }
  yield text + (isArray ? ']' : '}');
}

function* typedChunks(a: ArrayLike<number>, batch: number): Generator<string, void, undefined> {
  let text = '[';
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    text += (i === 0 ? '' : ',') + (typeof x === 'bigint' ? String(x) : Number.isFinite(x) ? String(x) : 'null');
    if (text.length >= batch) {
      yield text;
      text = '';
    }
  }
  yield text + ']';
}

/** What JSON.stringify would see for `v` under `key`: the result of its toJSON, if it has one. */
function toJsonValue(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  return v;
}

/** Number, String and Boolean objects, which JSON.stringify writes as their primitive. */
function isBoxed(v: object): boolean {
  return v instanceof Number || v instanceof String || v instanceof Boolean;
}

function isPrimitive(x: unknown): boolean {
  return x === null || (typeof x !== 'object' && typeof x !== 'function');
}

/**
 * Native JSON.stringify of a subtree, lazy series snapshots (their toJSON, inside
 * withCheckpointBlobs) turned into blob placeholders. No replacer (it would cost a call per
 * value): state keeps typed arrays only in series snapshots or within the generator's levels, which
 * a test checks for every operator, filter and pattern.
 */
function nativeWithBlobs(v: unknown, blobs: BlobTable): string {
  return withCheckpointBlobs(blobs.placeholder, () => JSON.stringify(v) ?? 'null');
}
