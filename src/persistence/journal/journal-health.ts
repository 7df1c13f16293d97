import type { HealthListener } from '../persistence-health.js';

/**
 * The journal's disk health as seen by its commits: failing or not, since when, and how long to
 * wait before the next attempt (doubling up to a bound while the disk keeps refusing). Reports
 * each change once: one `degraded` event when writes start failing, one `ok` when one succeeds
 * again, one `lost` per drop of pending input.
 */
export class JournalHealth {
  private failingSince: number | undefined;
  private retryMs: number;

  constructor(
    private readonly dir: string,
    private readonly intervalMs: number,
    private readonly maxRetryMs: number,
    private readonly boundBytes: number,
    private readonly wallMs: () => number,
    private readonly listener: HealthListener | undefined,
  ) {
    this.retryMs = intervalMs;
  }

  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  /** When the next commit should run, ms from now. */
  get nextCommitMs(): number {
    return this.failing ? this.retryMs : this.intervalMs;
  }

  fail(message: string, errno: string | undefined): void {
    this.retryMs = Math.min(this.failing ? this.retryMs * 2 : this.intervalMs, this.maxRetryMs);
    if (this.failing) return;
    this.failingSince = this.wallMs();
    const bound = (this.boundBytes / 1048576).toFixed(0);
    this.listener?.({ component: 'journal', status: 'degraded', code: 'SPATIA_JOURNAL_WRITE', errno, message: `${message}; keeping input in memory (up to ${bound} MiB) and retrying` });
  }

  /** A commit wrote something: if the disk was refusing, it is back. */
  wrote(): void {
    if (!this.failing) return;
    const downS = ((this.wallMs() - (this.failingSince ?? 0)) / 1000).toFixed(1);
    this.failingSince = undefined;
    this.retryMs = this.intervalMs;
    this.listener?.({ component: 'journal', status: 'ok', code: undefined, errno: undefined, message: `journal: writes to ${this.dir} work again after ${downS} s; pending input written` });
  }

  dropped(bytes: number, lastTick: number): void {
    this.listener?.({
      component: 'journal',
      status: 'lost',
      code: 'SPATIA_JOURNAL_LOST',
      errno: undefined,
      message: `journal: dropped ${bytes} bytes of input up to tick ${lastTick}: the disk has refused writes and the memory bound is reached; replay will have a gap there`,
    });
  }

  /** A failure outside the commit path (deleting old segments): reported, not counted as failing. */
  report(message: string, errno: string | undefined): void {
    this.listener?.({ component: 'journal', status: 'degraded', code: 'SPATIA_JOURNAL_WRITE', errno, message });
  }
}
