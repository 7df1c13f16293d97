/**
 * The outbox's live records (not yet acknowledged by the broker, nor dropped), oldest first, as
 * (seq, bytes on disk) pairs in growable typed rings: 12 bytes a record, so a 64 MB outbox of
 * small messages costs a few MB of memory, not an object per record.
 */
export class RecordQueue {
  private seqs = new Float64Array(1024);
  private sizes = new Uint32Array(1024);
  private head = 0;
  private count = 0;
  /** Sum of the sizes of the records held. */
  bytes = 0;

  get length(): number {
    return this.count;
  }

  /** Seq of the oldest record; undefined when empty. */
  frontSeq(): number | undefined {
    return this.count === 0 ? undefined : this.seqs[this.head];
  }

  /** Seq of the newest record; undefined when empty. */
  backSeq(): number | undefined {
    return this.count === 0 ? undefined : this.seqs[(this.head + this.count - 1) & (this.seqs.length - 1)];
  }

  push(seq: number, size: number): void {
    if (this.count === this.seqs.length) this.grow();
    const i = (this.head + this.count) & (this.seqs.length - 1);
    this.seqs[i] = seq;
    this.sizes[i] = size;
    this.count++;
    this.bytes += size;
  }

  /** Removes the oldest record; returns its size (0 when empty). */
  shift(): number {
    if (this.count === 0) return 0;
    const size = this.sizes[this.head] ?? 0;
    this.head = (this.head + 1) & (this.seqs.length - 1);
    this.count--;
    this.bytes -= size;
    return size;
  }

  /** Removes the newest record; returns its size (0 when empty). */
  pop(): number {
    if (this.count === 0) return 0;
    this.count--;
    const size = this.sizes[(this.head + this.count) & (this.seqs.length - 1)] ?? 0;
    this.bytes -= size;
    return size;
  }

  private grow(): void {
    const n = this.seqs.length;
    const seqs = new Float64Array(n * 2);
    const sizes = new Uint32Array(n * 2);
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) & (n - 1);
      seqs[k] = this.seqs[i] ?? 0;
      sizes[k] = this.sizes[i] ?? 0;
    }
    this.seqs = seqs;
    this.sizes = sizes;
    this.head = 0;
  }
}
