import { fsyncDir } from '../fsync-dir.js';
import { errnoOf, type PersistenceFs } from '../persistence-env.js';
import type { WriterSegment } from './writer-segment.js';

/** What reached the disk, counted by the commits. */
export interface DurabilityStats {
  bytesDurable: number;
  /** 4 KiB pages the commits touched (an SD card rewrites whole pages): the real write volume. */
  pagesWritten: number;
  /** Tick of the newest record known to be on disk, -1 before the first commit. */
  lastDurableTick: number;
}

/**
 * The file side of the journal's group commit: writes each segment's pending chunks at its
 * durable end (positional writes, so a failed attempt is simply redone over the same bytes),
 * fdatasyncs, fsyncs the directory after creating a file, closes finished segments and cuts
 * back segments whose pending input was dropped. Throws on the first failure, leaving everything
 * not yet durable pending for the next attempt.
 */
export class SegmentIo {
  constructor(
    private readonly fs: PersistenceFs,
    private readonly dir: string,
  ) {}

  /** Returns whether anything was written (or cut). */
  async commit(segments: readonly WriterSegment[], stats: DurabilityStats): Promise<boolean> {
    let wrote = false;
    for (const seg of [...segments]) {
      if (seg.needsCut) {
        await this.cut(seg);
        wrote = true;
      }
      if (seg.chunks.length > 0) {
        await this.writeOut(seg, stats);
        wrote = true;
      }
      if (seg.sealed && seg.chunks.length === 0 && seg.handle !== undefined) {
        const fh = seg.handle;
        seg.handle = undefined;
        await fh.close();
      }
    }
    return wrote;
  }

  private async writeOut(seg: WriterSegment, stats: DurabilityStats): Promise<void> {
    if (seg.handle === undefined) {
      if (!seg.created) await this.fs.mkdir(this.dir, { recursive: true });
      // 'wx': a new segment never replaces a file, whatever the caller's ticks say.
      seg.handle = await this.fs.open(seg.path, seg.created ? 'r+' : 'wx');
      seg.created = true;
    }
    const chunks = seg.chunks.slice();
    let pos = seg.durableBytes;
    try {
      for (const c of chunks) {
        for (let done = 0; done < c.bytes.length; ) done += (await seg.handle.write(c.bytes, done, c.bytes.length - done, pos + done)).bytesWritten;
        pos += c.bytes.length;
      }
      await seg.handle.datasync();
      if (!seg.dirSynced) await fsyncDir(this.fs, this.dir);
      seg.dirSynced = true;
    } catch (err) {
      // A handle that failed may be unusable (EIO): reopen on retry, writing at durableBytes again.
      const fh = seg.handle;
      seg.handle = undefined;
      await fh.close().catch(() => undefined);
      throw err;
    }
    const written = pos - seg.durableBytes;
    stats.pagesWritten += Math.ceil(pos / 4096) - Math.floor(seg.durableBytes / 4096);
    stats.bytesDurable += written;
    seg.durableBytes = pos;
    const last = chunks[chunks.length - 1];
    if (last !== undefined && last.lastTick >= 0) stats.lastDurableTick = last.lastTick;
    if (seg.chunks[0] === chunks[0]) {
      seg.chunks.splice(0, chunks.length);
      seg.pendingBytes -= written;
    } else {
      // Dropped while this write was in flight: the file now ends exactly at what is durable.
      seg.needsCut = false;
    }
  }

  /** Deletes segment files (a missing one is fine), calling `gone` for each, then syncs the directory. */
  async remove(segments: readonly WriterSegment[], gone: (seg: WriterSegment) => void): Promise<string[]> {
    const deleted: string[] = [];
    for (const seg of segments) {
      await this.fs.unlink(seg.path).catch((err: unknown) => {
        if (errnoOf(err) !== 'ENOENT') throw err;
      });
      gone(seg);
      deleted.push(seg.path);
    }
    if (deleted.length > 0) await fsyncDir(this.fs, this.dir);
    return deleted;
  }

  /** Cuts a segment whose pending input was dropped back to what is durable. */
  private async cut(seg: WriterSegment): Promise<void> {
    const fh = seg.handle ?? (await this.fs.open(seg.path, 'r+'));
    seg.handle = fh;
    await fh.truncate(seg.durableBytes);
    await fh.datasync();
    seg.needsCut = false;
  }
}
