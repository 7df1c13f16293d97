import { join } from 'node:path';
import { describeError, type PersistenceFs } from '../persistence-env.js';
import { fsyncDir } from '../fsync-dir.js';
import { parseSegmentFileName, type SegmentProblem, SegmentCursor } from './segment-format.js';

/** A segment file found on disk when the writer opened. */
export interface ExistingSegment {
  readonly firstTick: number;
  readonly path: string;
  readonly bytes: number;
}

/** What opening found and repaired in the journal directory. */
export interface JournalOpenReport {
  readonly segments: readonly ExistingSegment[];
  /** Tick of the last good record on disk, -1 when the journal is empty. */
  readonly lastTick: number;
  /**
   * Torn or corrupt tails cut from the last segment (and segments removed for holding no good
   * record), in the order they were found: usually none, one after a crash.
   */
  readonly cuts: readonly JournalCut[];
  /** Why the directory could not be read or repaired (the writer then runs in memory). */
  readonly error: string | undefined;
}

export interface JournalCut {
  readonly file: string;
  readonly offset: number;
  readonly droppedBytes: number;
  readonly problem: SegmentProblem;
  /** The file held no good record at all and was removed. */
  readonly removed: boolean;
  readonly message: string;
}

/**
 * Lists the segments in `dir` (creating it) and cuts the last one back to its last good record:
 * a crash mid-write leaves a torn record at the end, and appending after it would hide
 * everything that follows from the reader. A last segment without a good record is removed (and
 * the one before it checked in turn). Earlier segments are not read here (the reader checks them
 * when it gets there).
 */
export async function openJournalDir(fs: PersistenceFs, dir: string): Promise<JournalOpenReport> {
  let names: string[];
  try {
    await fs.mkdir(dir, { recursive: true });
    names = await fs.readdir(dir);
  } catch (err) {
    return { segments: [], lastTick: -1, cuts: [], error: `cannot open journal directory ${dir}: ${describeError(err)}` };
  }
  const found: ExistingSegment[] = [];
  for (const name of names) {
    const firstTick = parseSegmentFileName(name);
    if (firstTick === undefined) continue;
    const path = join(dir, name);
    try {
      found.push({ firstTick, path, bytes: (await fs.stat(path)).size });
    } catch (err) {
      return { segments: found, lastTick: -1, cuts: [], error: `cannot stat ${path}: ${describeError(err)}` };
    }
  }
  found.sort((a, b) => a.firstTick - b.firstTick);
  const cuts: JournalCut[] = [];
  try {
    // A last segment left without any good record goes, and the one before it is checked in turn.
    for (let last = found[found.length - 1]; last !== undefined; last = found[found.length - 1]) {
      const r = await repair(fs, dir, last);
      if (r.cut !== undefined) cuts.push(r.cut);
      if (r.cut?.removed !== true) {
        found[found.length - 1] = { ...last, bytes: r.bytes };
        return { segments: found, lastTick: r.lastTick, cuts, error: undefined };
      }
      found.pop();
    }
    return { segments: found, lastTick: -1, cuts, error: undefined };
  } catch (err) {
    return { segments: found, lastTick: -1, cuts, error: `cannot repair the journal in ${dir}: ${describeError(err)}` };
  }
}

/**
 * Cuts one segment back to its last good record. A segment with no good record at all (cut
 * inside its header or its first record, the crash coming right after it was created) is removed:
 * keeping it would give the next segment a name before its own.
 */
async function repair(fs: PersistenceFs, dir: string, seg: ExistingSegment): Promise<{ lastTick: number; bytes: number; cut: JournalCut | undefined }> {
  const data = await fs.readFile(seg.path);
  const cur = new SegmentCursor(data);
  let lastTick = -1;
  while (cur.next()) lastTick = tickAt(data, cur.payloadStart);
  const removed = lastTick < 0;
  if (cur.problem === undefined && !removed) return { lastTick, bytes: data.length, cut: undefined };
  const offset = removed ? 0 : cur.problemOffset;
  if (removed) {
    await fs.unlink(seg.path);
    await fsyncDir(fs, dir);
  } else {
    const fh = await fs.open(seg.path, 'r+');
    try {
      await fh.truncate(offset);
      await fh.datasync();
    } finally {
      await fh.close();
    }
  }
  const droppedBytes = data.length - offset;
  const why = cur.problem === undefined ? 'no record after the header' : cur.detail;
  const what = removed ? 'removed it (no good record)' : `cut it at byte ${offset}, the end of the last good record`;
  return {
    lastTick,
    bytes: offset,
    cut: { file: seg.path, offset, droppedBytes, problem: cur.problem ?? 'torn', removed, message: `journal ${seg.path}: ${why}; ${what}, ${droppedBytes} bytes dropped` },
  };
}

/** The tick varint that starts every record payload. */
export function tickAt(data: Uint8Array, pos: number): number {
  let v = 0;
  let scale = 1;
  for (let k = 0; k < 8; k++) {
    const b = data[pos + k] ?? 0;
    v += (b & 0x7f) * scale;
    if (b < 0x80) return v;
    scale *= 128;
  }
  return v;
}
