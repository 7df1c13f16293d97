import { type FileHandle, open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir } from './fsync-dir.js';

/**
 * One segment file of the outbox: `<base>.seg`, holding records with seq >= base in seq order,
 * all below the next segment's base. `bytes` counts what was appended (durable or not yet);
 * `durableBytes` what is fsynced.
 */
export interface Segment {
  readonly base: number;
  readonly path: string;
  bytes: number;
  durableBytes: number;
}

const NAME = /^(\d{16})\.seg$/;

/** `0000000000000042.seg`: names sort in seq order. */
export function segmentName(base: number): string {
  return `${String(base).padStart(16, '0')}.seg`;
}

/**
 * The segment files of an outbox directory and the one write handle of each. Writes are
 * positional (the caller says where), so a failed write can be cut back with `truncate`.
 */
export class SegmentFiles {
  readonly list: Segment[] = [];
  private readonly handles = new Map<number, FileHandle>();

  constructor(readonly dir: string) {}

  /** The bases of the segment files present, ascending. */
  async scan(): Promise<number[]> {
    const bases: number[] = [];
    for (const name of await readdir(this.dir)) {
      const m = NAME.exec(name);
      if (m?.[1] !== undefined) bases.push(Number(m[1]));
    }
    return bases.sort((a, b) => a - b);
  }

  /** Adds a segment to the list (its file is created by its first write). */
  add(base: number, bytes: number): Segment {
    const seg: Segment = { base, path: join(this.dir, segmentName(base)), bytes, durableBytes: bytes };
    this.list.push(seg);
    return seg;
  }

  last(): Segment | undefined {
    return this.list[this.list.length - 1];
  }

  /** Writes `data` at `position` and fsyncs it (and the directory when the file is new). */
  async write(seg: Segment, data: Buffer, position: number): Promise<void> {
    let fh = this.handles.get(seg.base);
    const created = fh === undefined && position === 0;
    if (fh === undefined) {
      // 'a+' would ignore positions on Linux; 'r+' needs the file: create it empty first.
      if (created) await (await open(seg.path, 'a')).close();
      fh = await open(seg.path, 'r+');
      this.handles.set(seg.base, fh);
    }
    let done = 0;
    while (done < data.length) {
      const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
      done += bytesWritten;
    }
    await fh.datasync();
    if (created) await fsyncDir(this.dir);
  }

  /** Cuts a segment file to `bytes` (a failed or torn write) and fsyncs it. */
  async truncate(seg: Segment, bytes: number): Promise<void> {
    const fh = this.handles.get(seg.base) ?? (await open(seg.path, 'r+'));
    if (!this.handles.has(seg.base)) this.handles.set(seg.base, fh);
    await fh.truncate(bytes);
    await fh.datasync();
  }

  /** Deletes the segments before index `count` of the list (fully delivered ones). */
  async removeFirst(count: number): Promise<void> {
    const gone = this.list.splice(0, count);
    for (const seg of gone) {
      await this.handles.get(seg.base)?.close();
      this.handles.delete(seg.base);
      await unlink(seg.path).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
    }
    if (gone.length > 0) await fsyncDir(this.dir);
  }

  /** Closes every handle. */
  async close(): Promise<void> {
    const all = [...this.handles.values()];
    this.handles.clear();
    await Promise.all(all.map((fh) => fh.close().catch(() => undefined)));
  }
}
