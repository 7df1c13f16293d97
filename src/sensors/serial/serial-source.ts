import { type PushSink, type PushSource, SensorFault } from '../live/source.js';
import { LineSplitter } from './line-splitter.js';
import { type LineParser, quoteLine } from './parse-result.js';
import { ReconnectBackoff } from './reconnect-backoff.js';
import { serialOpenMessage } from './serial-open-message.js';
import type { SerialPortFactory, SerialPortPort } from './serial-port-port.js';
import type { CancelTimer, SerialTimers } from './serial-timers.js';

/** What one serial source reads and how. */
export interface SerialSourceOptions {
  /** As configured; a /dev/serial/by-id link is opened as such, so a re-plugged device is found again. */
  readonly path: string;
  readonly baudRate: number;
  readonly parse: LineParser;
  /** No bytes for this long and the device is considered gone: closed and reopened. */
  readonly silenceMs: number;
  /** Longest line kept; longer ones are garbage and dropped. */
  readonly maxLineBytes: number;
}

/** What the source needs from the outside world; the factory fills in the real ones. */
export interface SerialSourceDeps {
  readonly createPort: SerialPortFactory;
  readonly timers: SerialTimers;
  /** Where a path really leads (fs.realpath), only to make messages name the tty behind a by-id link. */
  readonly realpath: (path: string) => Promise<string>;
  /** First reopen delay; doubles per failed attempt up to `backoffMaxMs`. */
  readonly backoffInitialMs: number;
  readonly backoffMaxMs: number;
}

/**
 * A serial device read line by line into a push sensor.
 *
 * Health, as the sink sees it (transport `serial:<path>`):
 * - `opened` when the port opens, `connected` when data first flows after that;
 * - a failed open: transport `error` (SPATIA_SERIAL_OPEN, naming the fix) and a retry after a
 *   backoff (0.5 s doubling to 30 s by default; reset once data flows);
 * - a vanished device (the port closes or fails under us, or no byte for `silenceMs`): transport
 *   `disconnected` (SPATIA_SENSOR_DISCONNECTED or SPATIA_SERIAL_SILENT), the port is closed and
 *   reopened with the same backoff;
 * - `sink.lost` once per outage, at its start (the sensor goes stale until data flows again);
 * - each line: `sink.value`, or `sink.fault` (garbage, quoting the line) when it cannot be parsed;
 * - `closed` after `close()`.
 */
export class SerialSource implements PushSource {
  readonly mode = 'push';
  /** The transport name in health records. */
  readonly transport: string;
  private sink: PushSink | undefined;
  private port: SerialPortPort | undefined;
  private opening: Promise<void> = Promise.resolve();
  private readonly closings = new Set<Promise<void>>();
  private cancelRetry: CancelTimer | undefined;
  private cancelWatchdog: CancelTimer | undefined;
  /** Bumped whenever a port is abandoned, so late events from it are ignored. */
  private generation = 0;
  /** False from the start of an outage (lost reported) until data flows again. */
  private healthy = true;
  private talking = false;
  private closed = false;
  private shownPath: string;
  private readonly splitter: LineSplitter;
  private readonly backoff: ReconnectBackoff;

  constructor(
    private readonly options: SerialSourceOptions,
    private readonly deps: SerialSourceDeps,
  ) {
    this.transport = `serial:${options.path}`;
    this.shownPath = options.path;
    this.splitter = new LineSplitter(options.maxLineBytes);
    this.backoff = new ReconnectBackoff(deps.backoffInitialMs, deps.backoffMaxMs);
  }

  async start(sink: PushSink): Promise<void> {
    if (this.sink !== undefined || this.closed) return;
    this.sink = sink;
    this.connect();
    await this.opening;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    this.cancelRetry?.();
    this.cancelWatchdog?.();
    await this.opening;
    const port = this.port;
    this.port = undefined;
    if (port !== undefined) await port.close();
    await Promise.all(this.closings);
    this.sink?.transport({ transport: this.transport, status: 'closed' });
  }

  private connect(): void {
    this.cancelRetry = undefined;
    this.opening = this.attempt().catch((err: unknown) => {
      // A bug of ours, not the device's: report it and keep trying rather than stop reading.
      this.report('error', undefined, `serial source failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!this.closed && this.port === undefined) this.scheduleRetry(this.backoff.next());
    });
  }

  private async attempt(): Promise<void> {
    if (this.closed) return;
    const gen = ++this.generation;
    this.shownPath = await this.describePath();
    if (this.closed || gen !== this.generation) return;
    const port = this.deps.createPort({ path: this.options.path, baudRate: this.options.baudRate });
    const current = (): boolean => gen === this.generation && this.port === port;
    port.onData((chunk) => {
      if (current()) this.received(chunk);
    });
    port.onError((err) => {
      if (current()) this.vanished('SPATIA_SENSOR_DISCONNECTED', `serial device ${this.shownPath} failed: ${err.message}`);
    });
    port.onClose((err) => {
      const why = err === undefined ? 'closed' : `went away (${err.message})`;
      if (current()) this.vanished('SPATIA_SENSOR_DISCONNECTED', `serial device ${this.shownPath} ${why}`);
    });
    try {
      await port.open();
    } catch (err) {
      await port.close();
      if (!this.closed) this.openFailed(err);
      return;
    }
    if (this.closed || gen !== this.generation) {
      await port.close();
      return;
    }
    this.port = port;
    this.talking = false;
    this.splitter.reset();
    this.armWatchdog();
    this.report('opened', undefined, `${this.shownPath} at ${this.options.baudRate} baud`);
  }

  private received(chunk: Uint8Array): void {
    const sink = this.sink;
    if (sink === undefined) return;
    this.armWatchdog();
    if (!this.talking) {
      this.talking = true;
      this.healthy = true;
      this.backoff.reset();
      this.report('connected', undefined, `data from ${this.shownPath}`);
    }
    for (const line of this.splitter.push(chunk)) {
      if (!line.ok) {
        sink.fault(new SensorFault('garbage', 'SPATIA_SENSOR_GARBAGE', `${line.reason}: ${quoteLine(line.excerpt)}`));
        continue;
      }
      let result;
      try {
        result = this.options.parse(line.text);
      } catch (err) {
        result = { kind: 'garbage' as const, reason: `parser failed (${err instanceof Error ? err.message : String(err)})` };
      }
      if (result.kind === 'value') sink.value(result.value);
      else if (result.kind === 'garbage') {
        sink.fault(new SensorFault('garbage', 'SPATIA_SENSOR_GARBAGE', `${result.reason}: ${quoteLine(line.text)}`));
      }
    }
  }

  private openFailed(err: unknown): void {
    const delayMs = this.backoff.next();
    const message = `${serialOpenMessage(err, this.shownPath)}; retrying in ${seconds(delayMs)}`;
    this.lose(new SensorFault('error', 'SPATIA_SERIAL_OPEN', message));
    this.report('error', 'SPATIA_SERIAL_OPEN', message);
    this.scheduleRetry(delayMs);
  }

  private vanished(code: 'SPATIA_SENSOR_DISCONNECTED' | 'SPATIA_SERIAL_SILENT', why: string): void {
    const port = this.port;
    if (port === undefined || this.closed) return;
    this.port = undefined;
    this.generation++;
    this.cancelWatchdog?.();
    const closing: Promise<void> = port.close().catch(() => undefined);
    this.closings.add(closing);
    void closing.then(() => this.closings.delete(closing));
    const delayMs = this.backoff.next();
    const message = `${why}; reopening in ${seconds(delayMs)}`;
    this.lose(new SensorFault('error', code, message));
    this.report('disconnected', code, message);
    this.scheduleRetry(delayMs);
  }

  private armWatchdog(): void {
    this.cancelWatchdog?.();
    this.cancelWatchdog = this.deps.timers.after(this.options.silenceMs, () => {
      this.cancelWatchdog = undefined;
      this.vanished('SPATIA_SERIAL_SILENT', `no data from ${this.shownPath} for ${seconds(this.options.silenceMs)}: considered gone`);
    });
  }

  private scheduleRetry(delayMs: number): void {
    if (this.closed) return;
    this.cancelRetry?.();
    this.cancelRetry = this.deps.timers.after(delayMs, () => this.connect());
  }

  /** Reports the start of an outage, once. */
  private lose(fault: SensorFault): void {
    if (!this.healthy) return;
    this.healthy = false;
    this.sink?.lost(fault);
  }

  private report(status: string, code: SensorFault['code'] | undefined, message: string): void {
    this.sink?.transport({ transport: this.transport, status, ...(code === undefined ? {} : { code }), message });
  }

  private async describePath(): Promise<string> {
    try {
      const real = await this.deps.realpath(this.options.path);
      return real === this.options.path ? this.options.path : `${this.options.path} (-> ${real})`;
    } catch {
      return this.options.path;
    }
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}
