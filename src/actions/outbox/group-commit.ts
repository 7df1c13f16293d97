import type { Timers } from '../../sensors/mqtt/mqtt-connection.js';
import type { Segment } from './segment-files.js';

/** How records are grouped into fsyncs, and what happens around each. */
export interface GroupCommitOptions {
  /** A record waits at most this long for its fsync... */
  readonly commitIntervalMs: number;
  /** ...or until this many bytes wait. */
  readonly commitMaxBytes: number;
  readonly timers: Timers;
  /** Writes `data` at `position` of the segment and fsyncs it. */
  readonly write: (seg: Segment, data: Buffer, position: number) => Promise<void>;
  /** The batch is durable; runs before its waiters hear it. `drops`: records were dropped to make room for it. */
  readonly committed: (lastSeq: number, drops: boolean) => Promise<void>;
  /** A write failed: undo what was not durable; returns the reason every waiter of this batch and the next hears. */
  readonly failed: (err: unknown) => Promise<string>;
}

interface Batch {
  readonly groups: { readonly seg: Segment; readonly bufs: Buffer[]; bytes: number }[];
  bytes: number;
  lastSeq: number;
  drops: boolean;
  readonly settled: Promise<string | undefined>;
  readonly settle: (error: string | undefined) => void;
}

/**
 * Group commit: records appended while a batch waits (up to commitIntervalMs, or commitMaxBytes)
 * share one write and one fsync per segment, so the outbox acknowledges thousands of messages a
 * second with every one of them on disk, and an SD card sees tens of fsyncs a second, not
 * thousands. One commit at a time, in order.
 */
export class GroupCommit {
  private batch: Batch | undefined;
  private flushing: Promise<void> | undefined;
  private timer: unknown;

  constructor(private readonly opts: GroupCommitOptions) {}

  /** Adds a record (already counted in `seg.bytes`); resolves undefined once durable, or with why not. */
  add(seg: Segment, record: Buffer, seq: number, drops: boolean): Promise<string | undefined> {
    const batch = (this.batch ??= newBatch());
    const group = batch.groups[batch.groups.length - 1];
    if (group?.seg === seg) {
      group.bufs.push(record);
      group.bytes += record.length;
    } else {
      batch.groups.push({ seg, bufs: [record], bytes: record.length });
    }
    batch.bytes += record.length;
    batch.lastSeq = seq;
    if (drops) batch.drops = true;
    this.schedule();
    return batch.settled;
  }

  /** Commits everything that waits. Never rejects. */
  async drain(): Promise<void> {
    while (this.flushing !== undefined || this.batch !== undefined) await (this.flushing ?? this.flush());
  }

  private schedule(): void {
    const batch = this.batch;
    if (this.flushing !== undefined || batch === undefined) return;
    if (batch.bytes >= this.opts.commitMaxBytes || this.opts.commitIntervalMs <= 0) {
      void this.flush();
    } else if (this.timer === undefined) {
      this.timer = this.opts.timers.setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.opts.commitIntervalMs);
    }
  }

  private flush(): Promise<void> {
    if (this.flushing !== undefined) return this.flushing;
    this.clearTimer();
    const batch = this.batch;
    this.batch = undefined;
    if (batch === undefined) return Promise.resolve();
    this.flushing = this.commit(batch).finally(() => {
      this.flushing = undefined;
      this.schedule();
    });
    return this.flushing;
  }

  private async commit(batch: Batch): Promise<void> {
    try {
      for (const g of batch.groups) {
        const data = g.bufs.length === 1 && g.bufs[0] !== undefined ? g.bufs[0] : Buffer.concat(g.bufs, g.bytes);
        await this.opts.write(g.seg, data, g.seg.durableBytes);
        g.seg.durableBytes += g.bytes;
      }
    } catch (err) {
      // What was appended after this batch was placed after its bytes: it fails with it.
      const next = this.batch;
      this.batch = undefined;
      this.clearTimer();
      const why = await this.opts.failed(err);
      batch.settle(why);
      next?.settle(why);
      return;
    }
    await this.opts.committed(batch.lastSeq, batch.drops);
    batch.settle(undefined);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) this.opts.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}

function newBatch(): Batch {
  let settle: (error: string | undefined) => void = () => undefined;
  const settled = new Promise<string | undefined>((resolve) => (settle = resolve));
  return { groups: [], bytes: 0, lastSeq: -1, drops: false, settled, settle };
}
