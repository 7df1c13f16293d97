import type { Clock } from '../../platform/clock.js';
import { type PolledSource, SensorFault } from './source.js';

/** First and longest wait before re-opening a device whose open failed. */
const OPEN_BACKOFF_FIRST_US = 1_000_000;
const OPEN_BACKOFF_MAX_US = 60_000_000;

/** What a polled sensor has to report at a tick. */
export type PolledOutcome =
  | { readonly kind: 'none' }
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'fault'; readonly fault: SensorFault };

const NONE: PolledOutcome = { kind: 'none' };

/**
 * One polled sensor in the live sampler: opens its source (retrying with backoff), starts a read
 * when due unless one is still running, bounds it by `timeoutUs`, and keeps what settled for the
 * next `take()`. A read that settles after its timeout has already been reported as a timeout,
 * and its result is still delivered at the next tick (SPEC §4.1: never awaited by the tick).
 */
export class PolledSlot {
  private open = false;
  private opening = false;
  private openFault: SensorFault | undefined;
  private nextOpenUs = 0;
  private backoffUs = OPEN_BACKOFF_FIRST_US;
  private inFlight = false;
  private startedUs = 0;
  private timeoutReported = false;
  private result: PolledOutcome = NONE;
  private closed = false;
  /** The `wave` passed to the `due()` that started the running read. */
  private wave = 0;
  /**
   * Called when a read settles, with the wave that started it: the sampler waits (within a
   * tick's budget) only for the reads started by the current tick.
   */
  onSettled: ((wave: number) => void) | undefined;
  /** Called with each read's latency (µs) and how it ended (`spatia profile --live`). */
  onRead: ((us: number, outcome: 'ok' | 'timeout' | 'error') => void) | undefined;

  constructor(
    readonly id: string,
    private readonly source: PolledSource,
    private readonly clock: Clock,
    readonly timeoutUs: number,
  ) {}

  get busy(): boolean {
    return this.inFlight;
  }

  /** Opens the source; a failure is kept and retried with backoff when reads fall due. */
  async openNow(): Promise<void> {
    if (this.open || this.opening || this.closed) return;
    this.opening = true;
    try {
      await this.source.open();
      this.open = true;
      this.openFault = undefined;
      this.backoffUs = OPEN_BACKOFF_FIRST_US;
    } catch (err) {
      this.openFault = asFault(err, `${this.id}: open failed`);
      this.nextOpenUs = this.clock.nowUs() + this.backoffUs;
      this.backoffUs = Math.min(OPEN_BACKOFF_MAX_US, this.backoffUs * 2);
    } finally {
      this.opening = false;
    }
  }

  /**
   * A read falls due. Starts it when the source is open and idle; while the source is not open,
   * reports why (and retries the open when its backoff has passed).
   * @param wave identifies the tick that starts the read (see onSettled).
   * @returns true when a read was started.
   */
  due(wave: number): boolean {
    if (this.closed) return false;
    if (!this.open) {
      if (!this.opening && this.clock.nowUs() >= this.nextOpenUs) void this.openNow();
      if (this.openFault !== undefined && this.result.kind === 'none') this.result = { kind: 'fault', fault: this.openFault };
      return false;
    }
    if (this.inFlight) return false;
    this.inFlight = true;
    this.wave = wave;
    this.timeoutReported = false;
    this.startedUs = this.clock.nowUs();
    let p: Promise<unknown>;
    try {
      p = this.source.read();
    } catch (err) {
      // A source must not throw synchronously; if one does, it is a failed read all the same.
      p = Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    p.then(
      (value) => this.settle({ kind: 'value', value }),
      (err: unknown) => this.settle({ kind: 'fault', fault: asFault(err, `${this.id}: read failed`) }),
    );
    return true;
  }

  private settle(outcome: PolledOutcome): void {
    this.inFlight = false;
    if (this.closed) return;
    // A read that already timed out was reported as such; its late latency is still real.
    this.onRead?.(this.clock.nowUs() - this.startedUs, outcome.kind === 'value' ? 'ok' : 'error');
    this.result = outcome;
    const cb = this.onSettled;
    if (cb !== undefined) cb(this.wave);
  }

  /** When the running read times out, in clock µs (Infinity when nothing runs). */
  get deadlineUs(): number {
    return this.inFlight && !this.timeoutReported ? this.startedUs + this.timeoutUs : Infinity;
  }

  /** What to report at this tick: a settled result, a timeout of the running read, or nothing. */
  take(nowUs: number): PolledOutcome {
    const r = this.result;
    if (r.kind !== 'none') {
      this.result = NONE;
      return r;
    }
    if (this.inFlight && !this.timeoutReported && nowUs - this.startedUs >= this.timeoutUs) {
      this.timeoutReported = true;
      this.onRead?.(nowUs - this.startedUs, 'timeout');
      const ms = Math.round(this.timeoutUs / 1000);
      return { kind: 'fault', fault: new SensorFault('timeout', 'SPATIA_SENSOR_TIMEOUT', `read took longer than its timeout (${ms} ms)`) };
    }
    return NONE;
  }

  async close(): Promise<void> {
    this.closed = true;
    try {
      await this.source.close();
    } catch {
      // close() must not reject; a source that does anyway cannot stop the shutdown.
    }
  }
}

/** Any rejection as a SensorFault: sources should reject with one, but a bug must not crash. */
export function asFault(err: unknown, context: string): SensorFault {
  if (err instanceof SensorFault) return err;
  const e = err as { code?: unknown; message?: unknown } | undefined;
  const detail = typeof e?.message === 'string' ? e.message : String(err);
  const code = typeof e?.code === 'string' ? ` (${e.code})` : '';
  return new SensorFault('error', 'SPATIA_SENSOR_ERROR', `${context}: ${detail}${code}`);
}
