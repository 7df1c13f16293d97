import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JournalRecord } from './journal-record.js';
import { RecordDecoder } from './record-decoder.js';
import { parseSegmentFileName, type SegmentHeader, type SegmentProblem, SegmentCursor } from './segment-format.js';

/** A segment file of the journal directory. */
export interface SegmentFile {
  readonly name: string;
  readonly path: string;
  readonly firstTick: number;
}

/**
 * Where reading stopped before the end of the journal, and what was left unread. Records after
 * a bad frame cannot be trusted to be in order or complete, so reading stops at the last good
 * record: nothing after it is applied, in that segment or any later one.
 */
export interface JournalDamage {
  readonly file: string;
  /** Byte offset of the first bad frame (= the end of the last good record). */
  readonly offset: number;
  readonly problem: SegmentProblem;
  /** Bytes of the damaged file from `offset` on, which were not read. */
  readonly droppedBytes: number;
  /** Later segment files, not read because of the damage. */
  readonly unreadSegments: readonly string[];
  readonly message: string;
}

/** Input the writer dropped (the disk refused writes beyond its memory bound). */
export interface JournalGap {
  readonly file: string;
  /** The first tick after the gap (the segment's first tick). */
  readonly beforeTick: number;
  readonly message: string;
}

/** What a pass of {@link JournalReader.records} found, filled in as it goes. */
export interface JournalReadOutcome {
  /** Records yielded. */
  records: number;
  /** Tick of the last good record read (yielded or not), -1 when none. */
  lastTick: number;
  /**
   * First tick of the first segment read, undefined when there is none. Greater than `fromTick`
   * means the journal does not reach back that far (deleted, or never written): replay from
   * `fromTick` would have a hole before it.
   */
  coversFrom: number | undefined;
  damage: JournalDamage | undefined;
  gaps: JournalGap[];
}

/** The synchronous file access the reader needs (node:fs by default). */
export interface JournalReadFs {
  readdirSync(dir: string): string[];
  readFileSync(path: string): Uint8Array;
}

/**
 * Reads the journal in `dir`: segments in tick order, every record's CRC verified, records
 * decoded. Synchronous by design: it runs before the tick loop starts (recovery) or in batch
 * tools (replay, inspect), where blocking is what is wanted and an await per record would cost
 * more than the decoding. Each segment is read whole (segments are a few MiB).
 *
 * Reading stops at the first damage (torn, truncated or corrupt frame, or a payload that does not
 * decode) and reports it in `outcome.damage` with the file and offset; everything before it is
 * delivered. A missing or empty directory is an empty journal.
 */
export class JournalReader {
  outcome: JournalReadOutcome = { records: 0, lastTick: -1, coversFrom: undefined, damage: undefined, gaps: [] };
  /** Header of the segment the current record belongs to (sensor ids, config hash, period). */
  header: SegmentHeader | undefined;
  private readonly fs: JournalReadFs;

  constructor(
    readonly dir: string,
    opts: { fs?: JournalReadFs } = {},
  ) {
    this.fs = opts.fs ?? { readdirSync: (d) => readdirSync(d), readFileSync: (p) => readFileSync(p) };
  }

  /** The segment files, ascending by first tick. */
  segments(): SegmentFile[] {
    let names: string[];
    try {
      names = this.fs.readdirSync(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: SegmentFile[] = [];
    for (const name of names) {
      const firstTick = parseSegmentFileName(name);
      if (firstTick !== undefined) out.push({ name, path: join(this.dir, name), firstTick });
    }
    return out.sort((a, b) => a.firstTick - b.firstTick);
  }

  /**
   * The records with tick >= `fromTick`, in tick order, across segments. The yielded record is
   * reused: consume it before the next. Starts at the last segment whose first tick is at or
   * before `fromTick` (decoding from its start, since "same value" entries refer back).
   */
  *records(fromTick = 0): Generator<JournalRecord, void, undefined> {
    this.outcome = { records: 0, lastTick: -1, coversFrom: undefined, damage: undefined, gaps: [] };
    const files = this.segments();
    let first = 0;
    for (let i = 0; i < files.length; i++) if ((files[i] as SegmentFile).firstTick <= fromTick) first = i;
    this.outcome.coversFrom = files[first]?.firstTick;
    const rec = new JournalRecord();
    const decoder = new RecordDecoder();
    for (let i = first; i < files.length; i++) {
      const file = files[i] as SegmentFile;
      const data = this.fs.readFileSync(file.path);
      const cur = new SegmentCursor(data);
      this.header = cur.header;
      if (cur.header?.lostBefore === true && i > first) {
        this.outcome.gaps.push({ file: file.path, beforeTick: cur.header.firstTick, message: `input before tick ${cur.header.firstTick} was lost: the writer dropped it while the disk refused writes` });
      }
      decoder.reset();
      while (cur.next()) {
        try {
          decoder.decode(data, cur.payloadStart, cur.payloadEnd, rec);
          if (rec.tick <= this.outcome.lastTick) throw new RangeError(`tick ${rec.tick} does not follow tick ${this.outcome.lastTick}`);
        } catch (err) {
          cur.reject('decode', `record does not decode: ${(err as Error).message}`);
          break;
        }
        const tick = rec.tick;
        this.outcome.lastTick = tick;
        if (tick < fromTick) continue;
        this.outcome.records++;
        yield rec;
      }
      if (cur.problem !== undefined) {
        this.outcome.damage = damageOf(file, cur, data.length, files.slice(i + 1));
        return;
      }
    }
  }
}

function damageOf(file: SegmentFile, cur: SegmentCursor, size: number, later: readonly SegmentFile[]): JournalDamage {
  const offset = cur.problemOffset;
  const droppedBytes = size - offset;
  const unread = later.map((f) => f.path);
  const rest = unread.length === 0 ? '' : `; ${unread.length} later segment(s) not read`;
  return {
    file: file.path,
    offset,
    problem: cur.problem ?? 'decode',
    droppedBytes,
    unreadSegments: unread,
    message: `journal ${file.path}: ${cur.detail} at byte ${offset}; reading stopped at the last good record, ${droppedBytes} bytes dropped${rest}`,
  };
}
