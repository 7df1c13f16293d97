import type { PushSink, SensorFault, TransportEvent } from '../../src/sensors/live/source.js';

/**
 * A PushSink that records everything it is given: each kind in its own list, and all of it in
 * order in `log` as compact strings (`value 21.5`, `fault garbage SPATIA_SENSOR_GARBAGE`,
 * `lost SPATIA_SERIAL_OPEN`, `transport disconnected SPATIA_SENSOR_DISCONNECTED`).
 */
export class RecordingSink implements PushSink {
  readonly log: string[] = [];
  readonly values: unknown[] = [];
  readonly faults: SensorFault[] = [];
  readonly losses: SensorFault[] = [];
  readonly transports: TransportEvent[] = [];

  value(v: unknown): void {
    this.values.push(v);
    this.log.push(`value ${JSON.stringify(v)}`);
  }

  fault(f: SensorFault): void {
    this.faults.push(f);
    this.log.push(`fault ${f.status} ${f.code}`);
  }

  lost(f: SensorFault): void {
    this.losses.push(f);
    this.log.push(`lost ${f.code}`);
  }

  transport(e: TransportEvent): void {
    this.transports.push(e);
    this.log.push(`transport ${e.status}${e.code === undefined ? '' : ` ${e.code}`}`);
  }

  /** The newest value. */
  get last(): unknown {
    return this.values[this.values.length - 1];
  }

  /** The transport events as `status[ code]`. */
  statuses(): string[] {
    return this.transports.map((e) => `${e.status}${e.code === undefined ? '' : ` ${e.code}`}`);
  }
}
