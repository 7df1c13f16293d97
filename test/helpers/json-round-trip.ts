/**
 * A snapshot as it comes back from a checkpoint written in the JSON form (typed arrays as JSON
 * arrays, NaN as null): the restore paths must take that form too. The binary form (typed arrays
 * kept as they are) is covered by the checkpoint store's tests.
 */
export function jsonRoundTrip<T = unknown>(snapshot: unknown): T {
  return JSON.parse(JSON.stringify(snapshot, (_key, v: unknown) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v as unknown as ArrayLike<number>) : v))) as T;
}
