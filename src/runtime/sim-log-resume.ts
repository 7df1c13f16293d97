import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync } from 'node:fs';
import type { EventRecord } from '../core/event-record.js';

/**
 * How far an event log file got: the tick of its last complete line and how many complete lines
 * at its end carry that tick (a tick can have several records: an edge, then its actions).
 */
export interface LogPosition {
  /** Tick of the last complete line; -1 for a missing or empty file. */
  readonly tick: number;
  /** Complete lines at the end of the file whose tick is `tick`. */
  readonly count: number;
  /** Bytes of a torn last line (no newline) that were cut off; 0 when there was none. */
  readonly cutBytes: number;
}

/**
 * Prepares `path` (the `--out` of a resumed `spatia sim --state-dir`) for appending: cuts a torn
 * last line (written partly when the process was killed) and returns where the log stands. The
 * log is always a prefix, cut at a line boundary, of the uninterrupted run's log, so this is all
 * a resumed run needs to continue it exactly (see {@link LogSkipper}). Throws when a complete
 * line is not an event record: the file is not a log this command wrote.
 */
export function prepareLogForResume(path: string): LogPosition {
  if (!existsSync(path)) return { tick: -1, count: 0, cutBytes: 0 };
  const data = readFileSync(path);
  const end = data.lastIndexOf(0x0a) + 1;
  const cutBytes = data.length - end;
  if (cutBytes > 0) {
    truncateSync(path, end);
    const fd = openSync(path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const lines = data.subarray(0, end).toString('utf8').split('\n');
  lines.pop();
  let tick = -1;
  let count = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    const t = tickOf(lines[i] as string, path, i + 1);
    if (count > 0 && t !== tick) break;
    tick = t;
    count++;
  }
  return { tick, count, cutBytes };
}

function tickOf(line: string, path: string, lineNo: number): number {
  let tick: unknown;
  try {
    tick = (JSON.parse(line) as { tick?: unknown }).tick;
  } catch {
    tick = undefined;
  }
  if (typeof tick !== 'number' || !Number.isSafeInteger(tick)) throw new Error(`${path}:${lineNo}: not an event record; is this the log of this state directory?`);
  return tick;
}

/**
 * Drops the records a resumed run regenerates but the log already holds: every record of a tick
 * before the log's last tick, and the first `count` records of that tick. The sim is
 * deterministic, so the records of a tick come in the same order every time it runs.
 */
export class LogSkipper {
  private skippedAtLast = 0;

  constructor(private readonly pos: Pick<LogPosition, 'tick' | 'count'>) {}

  keep(r: EventRecord): boolean {
    if (r.tick > this.pos.tick) return true;
    if (r.tick < this.pos.tick) return false;
    if (this.skippedAtLast < this.pos.count) {
      this.skippedAtLast++;
      return false;
    }
    return true;
  }
}
