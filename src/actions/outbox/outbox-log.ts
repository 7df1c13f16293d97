import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Timers } from '../../sensors/mqtt/mqtt-connection.js';
import { CursorWriter } from './cursor-writer.js';
import { fsyncDir } from './fsync-dir.js';
import { GroupCommit } from './group-commit.js';
import { type RecoveredOutbox, recoverOutbox } from './outbox-recovery.js';
import { RecordQueue } from './record-queue.js';
import { type Segment, SegmentFiles } from './segment-files.js';

/** Records removed before the broker acknowledged them (exact count; seqs first..last). */
export interface DropReport {
  readonly count: number;
  readonly firstSeq: number;
  readonly lastSeq: number;
  /** `full`: oldest first, to make room under outbox_max_bytes; `unreadable`: damaged on disk. */
  readonly reason: 'full' | 'unreadable';
}

/** How the log commits and where its bounds are. */
export interface OutboxLogOptions {
  readonly dir: string;
  /** Bound on the bytes of the records not yet delivered (outbox_max_bytes). */
  readonly maxBytes: number;
  readonly segmentBytes: number;
  /** Group commit: a record waits at most this long for the fsync that makes it durable. */
  readonly commitIntervalMs: number;
  /** ...or until this many bytes wait, whichever comes first. */
  readonly commitMaxBytes: number;
  /** Acknowledgements reach the cursor file at most this often (coalesced to spare SD cards). */
  readonly cursorIntervalMs: number;
  readonly timers: Timers;
  readonly onDrop: (d: DropReport) => void;
  /** New records are durable (delivery may send them). */
  readonly onDurable: () => void;
  /** A file-system failure, in words; the log carries on. */
  readonly onError: (message: string) => void;
}

/** An append: accepted (durable once `durable` resolves undefined) or refused. */
export type AppendResult =
  | { readonly ok: true; readonly dropped: DropReport | undefined; readonly durable: Promise<string | undefined> }
  | { readonly ok: false; readonly reason: 'closed' | 'too large' | 'disk'; readonly error: string };

/**
 * The outbox's durable log: checksummed records appended to segment files, fsynced in groups,
 * and a cursor saying which are delivered. Records leave the log (by seq, oldest first) when the
 * broker acknowledges them (`ack`) or to make room (`append` drops the oldest undelivered ones,
 * counted exactly). Segments whose records are all gone are deleted once the cursor says so.
 */
export class OutboxLog {
  /** Live records: appended (durable or not yet), neither acknowledged nor dropped. */
  readonly live: RecordQueue;
  /** Every record with seq <= done is delivered or dropped. */
  done: number;
  /** Every record with seq <= durableSeq that exists is fsynced. */
  durableSeq: number;
  private nextSeq: number;
  private readonly ackedAhead = new Set<number>();
  private readonly commits: GroupCommit;
  private readonly cursor: CursorWriter;
  private broken: string | undefined;
  private closed = false;

  private constructor(
    private readonly opts: OutboxLogOptions,
    private readonly files: SegmentFiles,
    rec: RecoveredOutbox,
  ) {
    this.live = rec.live;
    this.done = rec.done;
    this.nextSeq = rec.nextSeq;
    this.durableSeq = rec.nextSeq - 1;
    this.cursor = new CursorWriter(
      {
        dir: opts.dir,
        intervalMs: opts.cursorIntervalMs,
        timers: opts.timers,
        current: () => ({ done: this.done, next: this.nextSeq }),
        afterWrite: (done) => this.removeDelivered(done),
        onError: opts.onError,
      },
      rec.cursorCorrupt ? Number.NaN : rec.done,
    );
    this.commits = new GroupCommit({
      commitIntervalMs: opts.commitIntervalMs,
      commitMaxBytes: opts.commitMaxBytes,
      timers: opts.timers,
      write: (seg, data, position) => files.write(seg, data, position),
      committed: async (lastSeq, drops) => {
        // Drops move the cursor: make that durable too, so a crash does not bring them back.
        if (drops) await this.cursor.now();
        this.durableSeq = Math.max(this.durableSeq, lastSeq);
        opts.onDurable();
      },
      failed: (err) => this.rollback(err),
    });
  }

  /** Opens (creating) the directory and recovers what it holds. Rejects on file-system errors. */
  static async open(opts: OutboxLogOptions): Promise<{ log: OutboxLog; recovered: RecoveredOutbox }> {
    // A new directory's name must survive a power cut too.
    if ((await mkdir(opts.dir, { recursive: true })) !== undefined) await fsyncDir(dirname(opts.dir));
    const files = new SegmentFiles(opts.dir);
    const recovered = await recoverOutbox(files);
    const log = new OutboxLog(opts, files, recovered);
    // A smaller outbox_max_bytes than the last run's: make room now.
    const dropped = log.dropOldest(0);
    if (dropped !== undefined) opts.onDrop(dropped);
    await log.cursor.now();
    await log.removeDelivered(recovered.cursorCorrupt ? -1 : recovered.done);
    return { log, recovered };
  }

  /** The seq the next record must carry; each call gives a new one (a refused append leaves a gap). */
  reserveSeq(): number {
    return this.nextSeq++;
  }

  /** The seq reserveSeq would give now. */
  peekSeq(): number {
    return this.nextSeq;
  }

  /** The segments, oldest first (for reading; do not modify). */
  segments(): readonly Segment[] {
    return this.files.list;
  }

  /** Appends an encoded record; `seq` from reserveSeq, in order. */
  append(seq: number, record: Buffer): AppendResult {
    if (this.closed) return { ok: false, reason: 'closed', error: 'the outbox is closed' };
    if (this.broken !== undefined) return { ok: false, reason: 'disk', error: this.broken };
    if (record.length > this.opts.maxBytes) {
      return { ok: false, reason: 'too large', error: `the message takes ${record.length} bytes, more than outbox_max_bytes (${this.opts.maxBytes})` };
    }
    const dropped = this.dropOldest(record.length);
    let seg = this.files.last();
    if (seg === undefined || seg.bytes >= this.opts.segmentBytes) seg = this.files.add(seq, 0);
    seg.bytes += record.length;
    this.live.push(seq, record.length);
    return { ok: true, dropped, durable: this.commits.add(seg, record, seq, dropped !== undefined) };
  }

  /** The broker acknowledged `seq` (in any order; the cursor moves over what is contiguous). */
  ack(seq: number): void {
    if (seq <= this.done) return;
    if (this.live.frontSeq() !== seq) {
      this.ackedAhead.add(seq);
      return;
    }
    this.live.shift();
    this.done = seq;
    for (let f = this.live.frontSeq(); f !== undefined && this.ackedAhead.delete(f); f = this.live.frontSeq()) {
      this.live.shift();
      this.done = f;
    }
    this.cursor.soon();
  }

  /** Drops every live record with seq < `seq` (records that cannot be read back). */
  dropBefore(seq: number, reason: DropReport['reason']): DropReport | undefined {
    let report: DropReport | undefined;
    for (let f = this.live.frontSeq(); f !== undefined && f < seq; f = this.live.frontSeq()) {
      report = this.removeFront(report, reason);
    }
    if (report !== undefined) this.cursor.soon();
    return report;
  }

  /** Refuses further appends and commits what waits. Never rejects. */
  async seal(): Promise<void> {
    this.closed = true;
    await this.commits.drain();
  }

  /** Seals, writes the cursor and closes the files. Never rejects. */
  async close(): Promise<void> {
    await this.seal();
    this.cursor.stop();
    await this.cursor.now();
    await this.files.close();
  }

  /** Makes room for `bytes` more under maxBytes, oldest first. */
  private dropOldest(bytes: number): DropReport | undefined {
    let report: DropReport | undefined;
    while (this.live.length > 0 && this.live.bytes + bytes > this.opts.maxBytes) report = this.removeFront(report, 'full');
    return report;
  }

  private removeFront(report: DropReport | undefined, reason: DropReport['reason']): DropReport | undefined {
    const seq = this.live.frontSeq();
    if (seq === undefined) return report;
    this.live.shift();
    this.done = seq;
    // Acknowledged already (out of order): delivered, not dropped.
    if (this.ackedAhead.delete(seq)) return report;
    return report === undefined ? { count: 1, firstSeq: seq, lastSeq: seq, reason } : { ...report, count: report.count + 1, lastSeq: seq };
  }

  /** After a failed commit: forget what was not durable (this batch and the next) and cut the files back. */
  private async rollback(err: unknown): Promise<string> {
    const why = `cannot write the outbox in ${this.opts.dir} (${describe(err)})`;
    this.opts.onError(`${why}; the messages of this commit were not queued`);
    for (let b = this.live.backSeq(); b !== undefined && b > this.durableSeq; b = this.live.backSeq()) this.live.pop();
    for (const seg of this.files.list) {
      if (seg.bytes === seg.durableBytes) continue;
      seg.bytes = seg.durableBytes;
      try {
        await this.files.truncate(seg, seg.durableBytes);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
        this.broken = `${why}; the outbox could not be repaired (${describe(err)}): restart spatia`;
        this.opts.onError(this.broken);
      }
    }
    return why;
  }

  /** Deletes the segments whose records are all at or before `done`. */
  private async removeDelivered(done: number): Promise<void> {
    const list = this.files.list;
    let count = 0;
    // Never the last segment (appends go there), nor one with bytes still being written.
    while (count < list.length - 1 && (list[count + 1]?.base ?? 0) - 1 <= done && list[count]?.bytes === list[count]?.durableBytes) count++;
    if (count > 0) await this.files.removeFirst(count);
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ?? e.message ?? String(err);
}
