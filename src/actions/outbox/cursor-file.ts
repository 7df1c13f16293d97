import { readFile, rename, open } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './fsync-dir.js';

/**
 * The outbox's delivery cursor, `cursor.json` in the outbox directory:
 * - `done`: every record with seq <= done was acknowledged by the broker or dropped;
 * - `next`: the seq the outbox would have given next when the cursor was written, so that an
 *   event_id is never given twice even when every segment is gone.
 * Written atomically (tmp file, fsync, rename, fsync of the directory): a crash leaves the old
 * cursor or the new one, never half of one.
 */
export interface Cursor {
  readonly done: number;
  readonly next: number;
}

export const CURSOR_FILE = 'cursor.json';

/** Reads the cursor: undefined when there is none; `corrupt` when the file is not a cursor. */
export async function readCursor(dir: string): Promise<Cursor | 'corrupt' | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, CURSOR_FILE), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const v = JSON.parse(text) as { done?: unknown; next?: unknown };
    if (Number.isSafeInteger(v.done) && Number.isSafeInteger(v.next)) return { done: v.done as number, next: v.next as number };
  } catch {
    // falls through: not JSON
  }
  return 'corrupt';
}

/** Writes the cursor durably; rejects with the file system's error. */
export async function writeCursor(dir: string, cursor: Cursor): Promise<void> {
  const tmp = join(dir, `${CURSOR_FILE}.tmp`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(`${JSON.stringify({ done: cursor.done, next: cursor.next })}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, CURSOR_FILE));
  await fsyncDir(dir);
}
