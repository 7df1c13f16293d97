import type { ErrorCode } from '../../core/errors.js';

/**
 * The port every live sensor backend implements (GPIO, I2C, serial, MQTT, mock in `run`). The
 * live sampler (live-sampler.ts) turns what sources deliver into each tick's Frame; sources never
 * see the tick, the engine or the clock's schedule.
 *
 * Contract, for every source:
 * - Values are what the sensor's declared type expects: a finite number in the sensor's `unit`
 *   (booleans as true/false), a string, or a JSON value. Anything else is reported as `garbage`.
 * - Nothing a source does may throw into the caller or leave a rejected promise unhandled:
 *   failures are `SensorFault`s (rejections of `read()`, or `sink.fault()` calls).
 * - Sources run on the main thread's event loop and must not block it: device I/O is async.
 * - `close()` releases the device and stops every timer, so the process can exit; it never
 *   rejects.
 */

/** Why a reading failed: `timeout` and `error` are read failures, `garbage` an unreadable value. */
export type FaultStatus = 'timeout' | 'error' | 'garbage';

/** A failed read, with a registered code and a message that names the fix where one is known. */
export class SensorFault extends Error {
  constructor(
    readonly status: FaultStatus,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SensorFault';
  }
}

/**
 * A change in a transport's health (a broker connection, a serial device): logged as a
 * `{"type":"transport", ...}` record at the next tick. `status` is one of `connected`,
 * `disconnected`, `reconnecting`, `opened`, `closed`, `error`.
 */
export interface TransportEvent {
  /** Which transport: `mqtt://127.0.0.1:1883`, `serial:/dev/ttyUSB0`, `i2c-1`, `gpiochip0`. */
  readonly transport: string;
  readonly status: string;
  readonly code?: ErrorCode;
  readonly message?: string;
}

/** A sensor read on demand, when due by its `sample_every` (I2C devices, GPIO without edges). */
export interface PolledSource {
  readonly mode: 'polled';
  /**
   * Opens and probes the device. Rejects with a SensorFault whose message names the fix (a
   * missing bus, a permission, a wrong chip id). The sampler retries a failed open with backoff.
   */
  open(): Promise<void>;
  /**
   * One reading. Rejects with a SensorFault on failure. The sampler bounds it with the sensor's
   * `timeout`; a read that settles after its timeout is still delivered (at the next tick).
   * The sampler never starts a read while the previous one is still running.
   */
  read(): Promise<unknown>;
  close(): Promise<void>;
}

/** Where a push source delivers. Every method is cheap and never throws. */
export interface PushSink {
  /** A reading arrived. The latest one before a tick is that tick's reading. */
  value(v: unknown): void;
  /** A reading that failed or could not be parsed (a bad checksum, a non-numeric payload). */
  fault(fault: SensorFault): void;
  /** The transport went away (`SPATIA_SENSOR_DISCONNECTED` semantics: the sensor goes stale). */
  lost(fault: SensorFault): void;
  /** A transport health change, for the log. */
  transport(event: TransportEvent): void;
}

/** A sensor that delivers readings as they arrive (MQTT messages, serial lines, GPIO edges). */
export interface PushSource {
  readonly mode: 'push';
  /**
   * Starts delivering to `sink`. Resolves once the source is set up far enough to be useful (a
   * subscription sent, a port opened) or has failed and is retrying by itself: a source that
   * cannot reach its device reports through the sink and keeps retrying with backoff; it never
   * rejects for that reason.
   */
  start(sink: PushSink): Promise<void>;
  close(): Promise<void>;
}

export type LiveSource = PolledSource | PushSource;
