import { type FileHandle, open } from 'node:fs/promises';
import { decodeRecordAt, type OutboxRecord } from './outbox-record.js';
import type { Segment } from './segment-files.js';

/** What the reader needs to know of the log. */
export interface ReadableLog {
  segments(): readonly Segment[];
  readonly durableSeq: number;
}

/** A batch of records, or damage found where a record should be. */
export type ReadResult =
  | { readonly kind: 'records'; readonly records: readonly OutboxRecord[] }
  | { readonly kind: 'end' }
  | { readonly kind: 'corrupt'; readonly segment: Segment; readonly reason: string; readonly resumeSeq: number };

const CHUNK_BYTES = 64 * 1024;

/**
 * Reads durable records back from the segment files in seq order, from a given seq on. Reads go
 * through the OS page cache (the records were just written), so delivery costs no disk I/O in
 * the usual case and the outbox keeps no copy of the messages in memory.
 */
export class SegmentReader {
  private seg: Segment | undefined;
  private fh: FileHandle | undefined;
  private offset = 0;
  /** The next seq wanted: records before it are skipped. */
  private wanted = 0;

  constructor(private readonly log: ReadableLog) {}

  /** Restarts reading at `seq` (after a reconnect: the first record not acknowledged). */
  async reset(seq: number): Promise<void> {
    await this.release();
    this.wanted = seq;
  }

  /** Reads the next durable records (at least one, unless at the end); rejects on I/O errors. */
  async read(): Promise<ReadResult> {
    const durableSeq = this.log.durableSeq;
    let need = CHUNK_BYTES;
    for (;;) {
      this.seg ??= this.locate();
      const seg = this.seg;
      if (seg === undefined) return { kind: 'end' };
      if (this.offset >= seg.durableBytes) {
        const next = this.after(seg.base);
        // A segment is finished once a later one exists, but its last records may not be durable yet.
        if (next === undefined || seg.durableBytes < seg.bytes) return { kind: 'end' };
        await this.release();
        this.seg = next;
        continue;
      }
      const fh = (this.fh ??= await open(seg.path, 'r'));
      const size = Math.min(Math.max(need, CHUNK_BYTES), seg.durableBytes - this.offset);
      const buf = Buffer.allocUnsafe(size);
      const { bytesRead } = await fh.read(buf, 0, size, this.offset);
      const chunk = buf.subarray(0, bytesRead);
      const records: OutboxRecord[] = [];
      let at = 0;
      let notYetDurable = false;
      while (at < chunk.length) {
        const d = decodeRecordAt(chunk, at);
        if (d.kind === 'incomplete') {
          need = d.needBytes;
          break;
        }
        if (d.kind === 'corrupt') {
          const resumeSeq = this.after(seg.base)?.base ?? durableSeq + 1;
          const reason = `${d.reason} at byte ${this.offset + at}`;
          await this.reset(resumeSeq);
          return { kind: 'corrupt', segment: seg, reason, resumeSeq };
        }
        if (d.record.seq > durableSeq) {
          notYetDurable = true;
          break;
        }
        at += d.bytes;
        if (d.record.seq >= this.wanted) {
          records.push(d.record);
          this.wanted = d.record.seq + 1;
        }
      }
      this.offset += at;
      if (records.length > 0) return { kind: 'records', records };
      // Nothing durable beyond this point yet, or a file shorter than its durable size (cut outside).
      if (notYetDurable || (at === 0 && need <= chunk.length) || bytesRead < size) return { kind: 'end' };
    }
  }

  /** Closes the open file. */
  async close(): Promise<void> {
    await this.release();
  }

  private async release(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    this.seg = undefined;
    this.offset = 0;
    await fh?.close();
  }

  /** The segment that holds `wanted`: the last one whose base is not after it. */
  private locate(): Segment | undefined {
    const list = this.log.segments();
    let found = list[0];
    for (const s of list) if (s.base <= this.wanted) found = s;
    return found;
  }

  private after(base: number): Segment | undefined {
    return this.log.segments().find((s) => s.base > base);
  }
}
