/**
 * One tick's recorded input, decoded: the sensors read at `tick` and what they gave. Entries are
 * in columns (entry k: sensor `index[k]`, `status[k]`, and `num[k]` or `obj[k]` for Ok,
 * `error[k]` for a failure). An Ok entry carries either a number (`obj[k]` undefined) or a
 * string/JSON reading in `obj[k]`, exactly as the Frame had it.
 *
 * The reader reuses one instance for every record: copy what you keep before asking for the
 * next record.
 */
export class JournalRecord {
  tick = -1;
  count = 0;
  index: Int32Array;
  status: Uint8Array;
  num: Float64Array;
  obj: unknown[];
  error: Array<string | undefined>;

  constructor(capacity = 16) {
    this.index = new Int32Array(capacity);
    this.status = new Uint8Array(capacity);
    this.num = new Float64Array(capacity);
    this.obj = new Array<unknown>(capacity).fill(undefined);
    this.error = new Array<string | undefined>(capacity).fill(undefined);
  }

  /** Makes room for `n` entries (contents are not kept: called before decoding). */
  reserve(n: number): void {
    if (n <= this.index.length) return;
    let cap = this.index.length * 2;
    while (cap < n) cap *= 2;
    this.index = new Int32Array(cap);
    this.status = new Uint8Array(cap);
    this.num = new Float64Array(cap);
    this.obj = new Array<unknown>(cap).fill(undefined);
    this.error = new Array<string | undefined>(cap).fill(undefined);
  }
}
