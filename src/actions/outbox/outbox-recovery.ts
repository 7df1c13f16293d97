import { readFile } from 'node:fs/promises';
import { readCursor } from './cursor-file.js';
import { decodeRecordAt, RECORD_HEADER_BYTES } from './outbox-record.js';
import { RecordQueue } from './record-queue.js';
import { type SegmentFiles, segmentName } from './segment-files.js';

/** A segment tail that was not a sequence of good records, and was cut off. */
export interface SegmentCut {
  readonly segment: string;
  readonly offset: number;
  readonly bytes: number;
  /** `torn`: the last record stops short (a write cut by a crash); otherwise what was wrong. */
  readonly reason: string;
}

/** What an outbox directory held, checked and cut back to its good records. */
export interface RecoveredOutbox {
  /** Records not yet delivered (seq > done), oldest first. */
  readonly live: RecordQueue;
  /** Every record with seq <= done was delivered or dropped (-1: none). */
  readonly done: number;
  /** The first seq that is certainly unused: no event_id is ever given twice. */
  readonly nextSeq: number;
  readonly cuts: readonly SegmentCut[];
  /** True when cursor.json was unreadable: everything in the segments is sent again. */
  readonly cursorCorrupt: boolean;
}

/**
 * A lower bound on a record's size (header plus the smallest body). Records lost in a cut tail
 * may have been published before the damage, so their seqs are skipped: at most
 * cut bytes / this many of them.
 */
const MIN_RECORD_BYTES = RECORD_HEADER_BYTES + 24;

/**
 * Reads every segment in `files.dir`, verifying each record's length, checksum and order. A bad
 * or torn tail is cut at the last good record (the file is truncated, so the damage is reported
 * once). Fills `files.list` with the segments kept.
 */
export async function recoverOutbox(files: SegmentFiles): Promise<RecoveredOutbox> {
  const cursor = await readCursor(files.dir);
  const done = typeof cursor === 'object' ? cursor.done : -1;
  let nextSeq = typeof cursor === 'object' ? cursor.next : 0;
  const live = new RecordQueue();
  const cuts: SegmentCut[] = [];
  const bases = await files.scan();
  let lastSeq = -1;
  let skip = 0;
  for (const [i, base] of bases.entries()) {
    const nextBase = bases[i + 1] ?? Number.MAX_SAFE_INTEGER;
    const seg = files.add(base, 0);
    const buf = await readFile(seg.path);
    let offset = 0;
    let problem: string | undefined;
    while (offset < buf.length) {
      const d = decodeRecordAt(buf, offset);
      if (d.kind === 'incomplete') problem = 'torn';
      else if (d.kind === 'corrupt') problem = d.reason;
      else if (d.record.seq <= lastSeq || d.record.seq < base || d.record.seq >= nextBase) problem = `record seq ${d.record.seq} out of order`;
      if (d.kind !== 'record' || problem !== undefined) break;
      if (d.record.seq > done) live.push(d.record.seq, d.bytes);
      lastSeq = d.record.seq;
      offset += d.bytes;
    }
    seg.bytes = seg.durableBytes = offset;
    if (problem !== undefined) {
      const bytes = buf.length - offset;
      cuts.push({ segment: segmentName(base), offset, bytes, reason: problem });
      skip += Math.ceil(bytes / MIN_RECORD_BYTES);
      await files.truncate(seg, offset);
    }
  }
  nextSeq = Math.max(nextSeq, lastSeq + 1, done + 1) + skip;
  return { live, done, nextSeq, cuts, cursorCorrupt: cursor === 'corrupt' };
}
