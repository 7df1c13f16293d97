import type { PushSink, SensorFault, TransportEvent } from '../../../src/sensors/live/source.js';

/** A PushSink that records everything, for assertions. */
export class RecordingSink implements PushSink {
  readonly values: unknown[] = [];
  readonly faults: SensorFault[] = [];
  readonly losses: SensorFault[] = [];
  readonly transports: TransportEvent[] = [];

  value(v: unknown): void {
    this.values.push(v);
  }

  fault(fault: SensorFault): void {
    this.faults.push(fault);
  }

  lost(fault: SensorFault): void {
    this.losses.push(fault);
  }

  transport(event: TransportEvent): void {
    this.transports.push(event);
  }

  get last(): unknown {
    return this.values[this.values.length - 1];
  }
}

/** Polls `cond` until it holds (generous bound: real I/O, never a timing assertion). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
