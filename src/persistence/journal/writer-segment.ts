import type { PersistenceFileHandle } from '../persistence-env.js';

/** Bytes waiting to be written, and the tick of the last record they end with. */
export interface PendingChunk {
  readonly bytes: Buffer;
  readonly lastTick: number;
}

/**
 * The writer's view of one segment file: what is durable on disk, what is still in memory, and
 * the open handle. Segments from earlier runs are listed too (for retention), never written.
 */
export class WriterSegment {
  /** Bytes fsynced to the file. */
  durableBytes: number;
  /** Chunks not yet durable, in file order, starting at `durableBytes`. */
  chunks: PendingChunk[] = [];
  pendingBytes = 0;
  handle: PersistenceFileHandle | undefined;
  /** The file has been created (opened for writing once): reopen without truncating. */
  created: boolean;
  /** The directory entry is durable (fsynced after the file was created). */
  dirSynced: boolean;
  /** No more records will be appended (rotated away, or its pending input was dropped). */
  sealed = false;
  /** Pending input was dropped: on the next commit, cut the file back to `durableBytes`. */
  needsCut = false;
  /** Tick of the last record appended (pending or durable); -1 before the first. */
  lastTick = -1;

  constructor(
    readonly firstTick: number,
    readonly path: string,
    existingBytes: number,
  ) {
    this.durableBytes = existingBytes;
    this.created = existingBytes > 0;
    this.dirSynced = existingBytes > 0;
  }

  /** Bytes in the file once everything pending is written. */
  get bytes(): number {
    return this.durableBytes + this.pendingBytes;
  }

  push(bytes: Buffer, lastTick: number): void {
    if (bytes.length === 0) return;
    this.chunks.push({ bytes, lastTick });
    this.pendingBytes += bytes.length;
  }

  /** Forgets pending chunks (memory bound reached); returns how many bytes were dropped. */
  drop(): number {
    const n = this.pendingBytes;
    this.chunks = [];
    this.pendingBytes = 0;
    if (n > 0) this.needsCut = this.created;
    this.sealed = true;
    return n;
  }
}
