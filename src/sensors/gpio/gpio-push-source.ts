import type { PushSink, PushSource, SensorFault } from '../live/source.js';
import type { GpioBackend, GpioLine } from './gpio-backend.js';
import { asSensorFault } from './gpio-faults.js';
import type { GpioInputConfig } from './gpio-input-config.js';
import { GpioLevelTracker } from './gpio-level-tracker.js';
import type { CancelTimer, GpioTimers } from './gpio-timers.js';
import { openGpioInput } from './open-gpio-input.js';

/** What a {@link GpioPushSource} is built from. */
export interface GpioPushSourceParts {
  readonly config: GpioInputConfig & { readonly edge: 'rising' | 'falling' | 'both' };
  readonly backend: GpioBackend;
  readonly headerChipLabels: readonly string[];
  readonly timers: GpioTimers;
  /** First reopen delay after a failed open or a vanished line; doubles up to `reopenMaxMs`. */
  readonly reopenMinMs: number;
  readonly reopenMaxMs: number;
}

/**
 * A GPIO input with `edge` rising, falling or both: delivers the initial level once the line is
 * open, then every debounced change that passes the edge filter (true = active).
 *
 * A failed open (no sysfs, no permission, unknown chip) is reported with `sink.fault` and
 * retried with backoff, so a fix made meanwhile (a udev rule, a freed line) takes effect without
 * a restart; a new group membership still needs one, as it does for any process. A line that
 * vanishes while running (unexported by someone else) is reported with `sink.lost` and reopened
 * the same way.
 */
export class GpioPushSource implements PushSource {
  readonly mode = 'push';
  private sink: PushSink | undefined;
  private line: GpioLine | undefined;
  private tracker: GpioLevelTracker | undefined;
  private transportName: string;
  private cancelRetry: CancelTimer | undefined;
  private failures = 0;
  private closed = false;

  constructor(private readonly parts: GpioPushSourceParts) {
    this.transportName = `gpio:${parts.config.chip ?? 'header'}/${parts.config.pin}`;
  }

  async start(sink: PushSink): Promise<void> {
    if (this.sink !== undefined || this.closed) return;
    this.sink = sink;
    await this.attempt();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelRetry?.();
    const wasOpen = this.line !== undefined;
    await this.release();
    if (wasOpen) this.sink?.transport({ transport: this.transportName, status: 'closed' });
  }

  /** One open attempt; never rejects: failures go to the sink and schedule the next attempt. */
  private async attempt(): Promise<void> {
    const { sink, parts } = this;
    if (sink === undefined || this.closed) return;
    try {
      const opened = await openGpioInput(parts.backend, parts.config, parts.headerChipLabels, true);
      if (this.closed) {
        await opened.line.close();
        return;
      }
      const line = opened.line;
      this.line = line;
      this.transportName = opened.resolved.chip.name;
      const tracker = new GpioLevelTracker({
        edge: parts.config.edge,
        debounceUs: parts.config.debounceUs,
        timers: parts.timers,
        read: () => line.read(),
        deliver: (active) => sink.value(active),
        fail: (err) => this.onFault(asSensorFault(`reading ${line.description}`, err)),
      });
      this.tracker = tracker;
      // Watch before the first read, so a change in between is not lost.
      await line.watch(
        (level) => tracker.onLevel(level),
        (fault) => this.onFault(fault),
      );
      if (this.closed) return;
      const how = line.watchMode === 'interrupt' ? 'edges by interrupt' : `edges by polling (${line.watchNote ?? 'no interrupts'})`;
      sink.transport({ transport: this.transportName, status: 'opened', message: `${opened.explanation}; ${how}` });
      tracker.start();
      this.failures = 0;
    } catch (err) {
      await this.release();
      this.retryLater(asSensorFault('opening the GPIO line', err), false);
    }
  }

  private onFault(fault: SensorFault): void {
    if (this.closed) return;
    if (fault.code !== 'SPATIA_SENSOR_DISCONNECTED') {
      this.sink?.fault(fault);
      return;
    }
    // The watcher and a read can both notice the loss: handle it once.
    if (this.line === undefined) return;
    this.sink?.transport({ transport: this.transportName, status: 'disconnected', code: fault.code, message: fault.message });
    void this.release().then(() => this.retryLater(fault, true));
  }

  private retryLater(fault: SensorFault, lost: boolean): void {
    if (this.closed) return;
    if (lost) this.sink?.lost(fault);
    else this.sink?.fault(fault);
    const delayMs = Math.min(this.parts.reopenMaxMs, this.parts.reopenMinMs * 2 ** Math.min(this.failures, 20));
    this.failures += 1;
    this.cancelRetry?.();
    this.cancelRetry = this.parts.timers.after(delayMs, () => {
      this.cancelRetry = undefined;
      void this.attempt();
    });
  }

  private async release(): Promise<void> {
    this.tracker?.stop();
    this.tracker = undefined;
    const line = this.line;
    this.line = undefined;
    try {
      await line?.close();
    } catch {
      // close() never rejects by contract; a backend that breaks it must not break retries.
    }
  }
}
