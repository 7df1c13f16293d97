import type { CancelTimer, GpioTimers } from '../../../../src/sensors/gpio/gpio-timers.js';

interface Pending {
  readonly atMs: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** GpioTimers driven by hand: time moves only in `advance`, which runs what falls due in order. */
export class ManualTimers implements GpioTimers {
  private now = 0;
  private seq = 0;
  private queue: Pending[] = [];

  nowMs(): number {
    return this.now;
  }

  after(delayMs: number, callback: () => void): CancelTimer {
    const entry: Pending = { atMs: this.now + Math.max(0, delayMs), seq: (this.seq += 1), callback, cancelled: false };
    this.queue.push(entry);
    return () => {
      entry.cancelled = true;
    };
  }

  /** Moves time forward by `ms`, running every callback due on the way at its own time. */
  advance(ms: number): void {
    const endMs = this.now + ms;
    for (;;) {
      this.queue = this.queue.filter((p) => !p.cancelled);
      const due = this.queue.filter((p) => p.atMs <= endMs).sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
      if (due === undefined) break;
      this.queue.splice(this.queue.indexOf(due), 1);
      this.now = due.atMs;
      due.callback();
    }
    this.now = endMs;
  }

  /** Callbacks still waiting (not cancelled). */
  pending(): number {
    return this.queue.filter((p) => !p.cancelled).length;
  }
}

/** Lets every promise callback queued so far (and those they queue) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}
