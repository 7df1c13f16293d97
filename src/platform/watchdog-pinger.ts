import type { Notifier } from './sd-notify.js';

/**
 * A repeating timer: `every(periodMs, fn)` calls `fn` every `periodMs` until the returned cancel
 * function is called. The real one must not keep the process alive (pings are no reason to stay
 * up); tests pass one they fire by hand.
 */
export interface IntervalScheduler {
  every(periodMs: number, fn: () => void): () => void;
}

/** setInterval, unref'd. */
export const unrefIntervalScheduler: IntervalScheduler = {
  every(periodMs, fn) {
    const handle = setInterval(fn, periodMs);
    handle.unref();
    return () => clearInterval(handle);
  },
};

/** What the pinger is built from. */
export interface WatchdogPingerOptions {
  readonly notifier: Pick<Notifier, 'watchdog' | 'status'>;
  /** WATCHDOG_USEC (see watchdogIntervalUs); pings go every half of it. Undefined: no pings. */
  readonly watchdogUs: number | undefined;
  /**
   * A count that grows while the service does its work (ticks completed). A ping is sent only
   * when it changed since the previous check, so a loop stuck in an await (timers still fire)
   * stops the pings and systemd restarts the service.
   */
  readonly progress: () => number;
  /** The text of `STATUS=` (tick rate, health), read every `statusEveryMs`. */
  readonly status?: () => string;
  /** Default 10 000 ms. */
  readonly statusEveryMs?: number;
  /**
   * Called once when progress stops (pings withheld from now on), with the stalled count: the
   * place to log SPATIA_WATCHDOG_STALL, the last line before systemd's restart.
   */
  readonly onStall?: (progress: number) => void;
  /** Called once when progress resumes after a stall. */
  readonly onResume?: (progress: number) => void;
  /** Default: {@link unrefIntervalScheduler}. */
  readonly scheduler?: IntervalScheduler;
}

/**
 * Pings systemd's watchdog only while the service makes progress, and keeps `STATUS=` current.
 * `start()` once the service is ready (systemd arms the watchdog at READY=1); `stop()` when
 * shutting down. A callback that throws is skipped for that period, never thrown into a timer.
 */
export class WatchdogPinger {
  private cancels: (() => void)[] = [];
  private lastProgress = 0;
  private stalled = false;
  private lastStatus: string | undefined;
  private pings = 0;
  private withheld = 0;

  constructor(private readonly opts: WatchdogPingerOptions) {}

  /** The ping period: half the watchdog timeout, at least 1 ms; undefined without a watchdog. */
  get pingEveryMs(): number | undefined {
    const us = this.opts.watchdogUs;
    return us === undefined || us <= 0 ? undefined : Math.max(1, Math.floor(us / 2000));
  }

  /** Pings sent and checks that withheld one because progress had stopped. */
  get counts(): { pings: number; withheld: number } {
    return { pings: this.pings, withheld: this.withheld };
  }

  /**
   * Sends a first ping at once (the progress up to now counts as alive) and the first status,
   * then schedules both. Calling it while started does nothing.
   */
  start(): void {
    if (this.cancels.length > 0) return;
    const scheduler = this.opts.scheduler ?? unrefIntervalScheduler;
    const pingEveryMs = this.pingEveryMs;
    if (pingEveryMs !== undefined) {
      this.lastProgress = this.readProgress();
      this.ping();
      this.cancels.push(scheduler.every(pingEveryMs, () => this.check()));
    }
    const status = this.opts.status;
    if (status !== undefined) {
      this.updateStatus(status);
      this.cancels.push(scheduler.every(this.opts.statusEveryMs ?? 10_000, () => this.updateStatus(status)));
    }
  }

  /** Cancels the timers; no ping or status is sent after it returns. */
  stop(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
  }

  private check(): void {
    const now = this.readProgress();
    if (now !== this.lastProgress) {
      this.lastProgress = now;
      if (this.stalled) {
        this.stalled = false;
        this.callback(this.opts.onResume, now);
      }
      this.ping();
      return;
    }
    this.withheld++;
    if (!this.stalled) {
      this.stalled = true;
      this.callback(this.opts.onStall, now);
    }
  }

  private ping(): void {
    this.pings++;
    this.opts.notifier.watchdog();
  }

  private updateStatus(status: () => string): void {
    let text: string;
    try {
      text = status();
    } catch {
      return;
    }
    // An unchanged status is not resent: with the systemd-notify fallback every message is a
    // process spawn.
    if (text === this.lastStatus) return;
    this.lastStatus = text;
    this.opts.notifier.status(text);
  }

  private readProgress(): number {
    try {
      return this.opts.progress();
    } catch {
      // A progress function that throws proves nothing about progress: treat it as a stall.
      return this.lastProgress;
    }
  }

  private callback(fn: ((progress: number) => void) | undefined, progress: number): void {
    try {
      fn?.(progress);
    } catch {
      // A failing observer must not stop the pings.
    }
  }
}
