import { join } from 'node:path';
import type { Frame } from '../../core/frame.js';
import { describeError, errnoOf, persistenceEnv, type PersistenceEnv } from '../persistence-env.js';
import { ByteWriter } from './byte-writer.js';
import { JournalHealth } from './journal-health.js';
import { type JournalOpenReport, openJournalDir } from './journal-open.js';
import type { JournalWriterOptions } from './journal-writer-options.js';
import { segmentsToDelete } from './journal-retention.js';
import { RecordEncoder } from './record-encoder.js';
import { type DurabilityStats, SegmentIo } from './segment-io.js';
import { encodeSegmentStart, segmentFileName } from './segment-format.js';
import { WriterSegment } from './writer-segment.js';

/** Counters for the profiler and the benchmarks. */
export interface JournalWriterStats extends DurabilityStats {
  records: number;
  bytesAppended: number;
  commits: number;
  bytesDropped: number;
}

/**
 * The append-only journal of each tick's sensor input (SPEC §6). `append` runs on the tick: it
 * encodes the frame into memory and returns; a group commit writes and fdatasyncs off the tick,
 * every `fsyncIntervalMs` (and `flush()` on demand), so a crash loses at most that much input.
 *
 * Ticks where no sensor was read are not written; the last tick appended before each commit is
 * always written, as an empty record if needed, so the journal's last tick is the last tick that
 * ran (as of that commit). Every process start begins a new segment; segments also rotate by size
 * and age.
 *
 * The disk refusing writes (ENOSPC, EROFS, EACCES, EIO, ...) never reaches the caller: it is
 * reported once through `onHealth`, input stays in memory and is retried with backoff; past
 * `maxPendingBytes` the pending input is dropped (reported, and the next segment says so).
 */
export class JournalWriter {
  readonly stats: JournalWriterStats = { records: 0, bytesAppended: 0, bytesDurable: 0, commits: 0, pagesWritten: 0, bytesDropped: 0, lastDurableTick: -1 };
  private readonly env: PersistenceEnv;
  private readonly io: SegmentIo;
  private readonly encoder: RecordEncoder;
  private readonly w = new ByteWriter(64 * 1024);
  /** Start of the bytes in `w` not yet handed to a segment. */
  private sealedTo = 0;
  /** All segments: from disk, then the ones this writer made; the last may be current. */
  private readonly segments: WriterSegment[];
  private current: WriterSegment | undefined;
  private lastTick: number;
  private lostBefore = false;
  private readonly health: JournalHealth;
  private timer: unknown;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  /** An early commit (too much pending) is scheduled or running. */
  private early = false;
  private readonly maxSegmentTicks: number;

  private constructor(
    private readonly opts: JournalWriterOptions,
    readonly recovery: JournalOpenReport,
    env: PersistenceEnv,
  ) {
    this.env = env;
    this.io = new SegmentIo(env.fs, opts.dir);
    this.encoder = new RecordEncoder(opts.sensors.length);
    this.segments = recovery.segments.map((s) => Object.assign(new WriterSegment(s.firstTick, s.path, s.bytes), { sealed: true }));
    this.lastTick = recovery.lastTick;
    this.stats.lastDurableTick = recovery.lastTick;
    this.health = new JournalHealth(opts.dir, this.intervalMs, opts.maxRetryMs ?? 30_000, opts.maxPendingBytes ?? 16 << 20, env.wallMs, opts.onHealth);
    this.maxSegmentTicks = Math.max(1, Math.round((opts.maxSegmentUs ?? 3600e6) / opts.periodUs));
  }

  /**
   * Opens the journal directory: creates it, cuts a torn tail off the last segment (see
   * `recovery`), and starts the group commit timer. Never rejects: a directory that cannot be
   * opened is reported through `onHealth` and the writer keeps input in memory meanwhile.
   */
  static async open(opts: JournalWriterOptions): Promise<JournalWriter> {
    const env = persistenceEnv(opts.env);
    const report = await openJournalDir(env.fs, opts.dir);
    const writer = new JournalWriter(opts, report, env);
    if (report.error !== undefined) writer.health.fail(report.error, undefined);
    writer.schedule(writer.intervalMs);
    return writer;
  }

  /** The newest tick appended (or found on disk at open), -1 if none. The next must be greater. */
  get lastAppendedTick(): number {
    return this.lastTick;
  }

  /** Input appended but not yet on disk, in bytes. */
  get pendingBytes(): number {
    let n = this.w.pos - this.sealedTo;
    for (const s of this.segments) n += s.pendingBytes;
    return n;
  }

  /**
   * Records `frame` as the input of `tick` (strictly greater than the previous tick: a RangeError
   * otherwise, which is a bug in the caller). Synchronous; the frame may be reused right after.
   */
  append(tick: number, frame: Frame): void {
    if (this.closed) throw new Error('journal writer is closed');
    if (!(tick > this.lastTick)) throw new RangeError(`journal: tick ${tick} after tick ${this.lastTick}`);
    const cur = this.current;
    const rotate = cur === undefined || cur.sealed || cur.bytes + this.w.pos - this.sealedTo >= (this.opts.maxSegmentBytes ?? 8 << 20) || tick - cur.firstTick >= this.maxSegmentTicks;
    if (rotate) this.startSegment(tick);
    const before = this.w.pos;
    // A segment's first record is at its first tick (the file's name), even when it is empty.
    if (this.encoder.encode(this.w, tick, frame, !rotate)) {
      this.stats.records++;
      this.stats.bytesAppended += this.w.pos - before;
      (this.current as WriterSegment).lastTick = tick;
    }
    this.lastTick = tick;
    const pending = this.pendingBytes;
    if (pending > (this.opts.maxPendingBytes ?? 16 << 20)) {
      this.dropPending();
    } else if (pending >= (this.opts.commitBytes ?? 1 << 20) && !this.early && !this.health.failing) {
      this.early = true;
      this.schedule(0);
    }
  }

  /**
   * Writes and fdatasyncs everything appended so far. Resolves once that is durable or the
   * attempt failed (reported through `onHealth`); never rejects.
   */
  flush(): Promise<void> {
    const run = (): Promise<void> => this.commit();
    this.chain = this.chain.then(run, run);
    return this.chain;
  }

  /** Resolves when the commit in progress, if any, has finished (without starting another). */
  settled(): Promise<void> {
    return this.chain;
  }

  /**
   * Deletes the segments a checkpoint at `tick` makes unnecessary, beyond the retention. Pass the
   * tick of the oldest checkpoint still kept: falling back to it needs the journal after it.
   * Returns the deleted paths; failures are reported through `onHealth`, never thrown.
   */
  async deleteCoveredBy(tick: number): Promise<string[]> {
    const idle = this.segments.filter((s) => s !== this.current && s.pendingBytes === 0 && !s.needsCut && s.handle === undefined);
    const candidates = segmentsToDelete(this.segments, tick, this.opts.periodUs, this.opts.retention).filter((s) => idle.includes(s));
    try {
      return await this.io.remove(candidates, (seg) => this.segments.splice(this.segments.indexOf(seg), 1));
    } catch (err) {
      this.health.report(`journal: cannot delete old segments in ${this.opts.dir}: ${describeError(err)}`, errnoOf(err));
      return [];
    }
  }

  /** Stops the timer and makes one last commit; close the writer on shutdown (SIGTERM). */
  async close(): Promise<void> {
    this.closed = true;
    this.env.timers.clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    for (const s of this.segments) {
      await s.handle?.close().catch(() => undefined);
      s.handle = undefined;
    }
  }

  private get intervalMs(): number {
    return this.opts.fsyncIntervalMs ?? 1000;
  }

  private startSegment(tick: number): void {
    this.seal(false);
    if (this.current !== undefined) this.current.sealed = true;
    const seg = new WriterSegment(tick, join(this.opts.dir, segmentFileName(tick)), 0);
    const header = encodeSegmentStart({
      format: 1,
      firstTick: tick,
      periodUs: this.opts.periodUs,
      configHash: this.opts.configHash,
      createdAtMs: this.env.wallMs(),
      sensors: this.opts.sensors,
      lostBefore: this.lostBefore,
    });
    this.lostBefore = false;
    seg.push(header, -1);
    this.stats.bytesAppended += header.length;
    this.segments.push(seg);
    this.current = seg;
    this.encoder.reset();
  }

  /** Hands the encoded bytes to the current segment; `marker` first writes the newest tick. */
  private seal(marker: boolean): void {
    const cur = this.current;
    if (cur === undefined || cur.sealed) return;
    if (marker && this.lastTick > cur.lastTick) {
      const before = this.w.pos;
      this.encoder.encodeEmpty(this.w, this.lastTick);
      this.stats.bytesAppended += this.w.pos - before;
      cur.lastTick = this.lastTick;
    }
    if (this.w.pos === this.sealedTo) return;
    cur.push(this.w.buf.subarray(this.sealedTo, this.w.pos), cur.lastTick);
    // Sealed bytes may be in flight to the disk: new records go to a fresh buffer, not over them.
    if (this.w.pos > this.w.buf.length / 2) {
      this.w.buf = Buffer.allocUnsafe(this.w.buf.length);
      this.w.pos = 0;
    }
    this.sealedTo = this.w.pos;
  }

  private dropPending(): void {
    this.seal(false);
    let dropped = 0;
    for (const s of this.segments) dropped += s.drop();
    // A segment that never reached the disk is gone entirely.
    for (let i = this.segments.length - 1; i >= 0; i--) if (!(this.segments[i] as WriterSegment).created) this.segments.splice(i, 1);
    this.stats.bytesDropped += dropped;
    this.lostBefore = true;
    this.health.dropped(dropped, this.lastTick);
  }

  private schedule(ms: number): void {
    if (this.closed) return;
    this.env.timers.clearTimeout(this.timer);
    this.timer = this.env.timers.setTimeout(() => {
      this.timer = undefined;
      void this.flush().then(() => {
        this.early = false;
        this.schedule(this.health.nextCommitMs);
      });
    }, ms);
  }

  private async commit(): Promise<void> {
    this.seal(true);
    const upTo = this.lastTick;
    try {
      const wrote = await this.io.commit(this.segments, this.stats);
      this.stats.commits++;
      // Only a write that went through proves the disk is back.
      if (wrote) this.health.wrote();
    } catch (err) {
      this.health.fail(`journal: cannot write to ${this.opts.dir}: ${describeError(err)}`, errnoOf(err));
    }
    this.opts.onCommit?.(upTo, this.stats.lastDurableTick >= upTo);
  }
}
