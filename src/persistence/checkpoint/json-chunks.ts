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
export function* jsonChunks(value: unknown, maxDepth = 8, batchChars = 16_384, blobs?: ArrayBufferView[]): Generator<string, void, undefined> {
  yield* chunks(toJsonValue(value, ''), 0, maxDepth, batchChars, blobs);
}

/**
 * With `blobs`, a typed array is not formatted at all: it is pushed onto `blobs` and written as
 * the placeholder `{"$blob":k,"$spatia":1}` (k: its index there), for the caller to store its
 * bytes as they are.
 */
function* chunks(v: unknown, depth: number, maxDepth: number, batch: number, blobs: ArrayBufferView[] | undefined): Generator<string, void, undefined> {
  if (v === null || typeof v !== 'object' || isBoxed(v)) {
    yield JSON.stringify(v) ?? 'null';
    return;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
    if (blobs !== undefined) {
      yield `{"$blob":${blobs.length},"$spatia":1}`;
      blobs.push(v);
      return;
    }
    yield* typedChunks(v as unknown as ArrayLike<number>, batch);
    return;
  }
  if (depth >= maxDepth) {
    yield JSON.stringify(v) ?? 'null';
    return;
  }
  const isArray = Array.isArray(v);
  const keys = isArray ? undefined : Object.keys(v);
  const n = isArray ? (v as unknown[]).length : (keys as string[]).length;
  let text = isArray ? '[' : '{';
  let first = true;
  for (let i = 0; i < n; i++) {
    const key = isArray ? String(i) : (keys as string[])[i] as string;
    const member = toJsonValue((v as Record<string, unknown>)[key], key);
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
