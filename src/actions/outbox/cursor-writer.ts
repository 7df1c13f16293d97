import type { Timers } from '../../sensors/mqtt/mqtt-connection.js';
import { type Cursor, writeCursor } from './cursor-file.js';

/** What the cursor writer needs. */
export interface CursorWriterOptions {
  readonly dir: string;
  /** Coalescing: at most one write per interval for acknowledgements. */
  readonly intervalMs: number;
  readonly timers: Timers;
  /** The cursor as it is now. */
  readonly current: () => Cursor;
  /** After a successful write (deletes the segments it leaves behind). */
  readonly afterWrite: (done: number) => Promise<void>;
  readonly onError: (message: string) => void;
}

/**
 * Keeps cursor.json up to date without writing it on every acknowledgement: `soon` writes once
 * per interval (an SD card wears with every fsync; a crash only means re-sending what the
 * interval had acknowledged), `now` writes at once. One write at a time; never rejects.
 */
export class CursorWriter {
  private timer: unknown;
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  /** `writtenDone`: what the file says now (NaN: unknown, write at the first chance). */
  constructor(
    private readonly opts: CursorWriterOptions,
    private writtenDone: number,
  ) {}

  soon(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.timer = this.opts.timers.setTimeout(() => {
      this.timer = undefined;
      void this.now();
    }, this.opts.intervalMs);
  }

  now(): Promise<void> {
    this.chain = this.chain.then(async () => {
      const cursor = this.opts.current();
      if (cursor.done === this.writtenDone) return;
      try {
        await writeCursor(this.opts.dir, cursor);
        this.writtenDone = cursor.done;
        await this.opts.afterWrite(cursor.done);
      } catch (err) {
        const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
        this.opts.onError(`cannot write the outbox cursor in ${this.opts.dir} (${why}); delivered messages may be sent again after a restart`);
      }
    });
    return this.chain;
  }

  /** No more timed writes (a last `now` may follow). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.opts.timers.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
