import type { SensorModel } from '../../../../src/config/model.js';
import type { PushSink, SensorFault, TransportEvent } from '../../../../src/sensors/live/source.js';

/** A validated `kind: gpio` sensor with these hardware keys. */
export function gpioSensor(hardware: Record<string, unknown>, id = 'door'): SensorModel {
  return {
    id,
    kind: 'gpio',
    valueType: 'boolean',
    quantity: undefined,
    unit: undefined,
    location: undefined,
    sampleEveryUs: undefined,
    timeoutUs: undefined,
    staleAfterUs: undefined,
    filters: [],
    sim: undefined,
    hardware: { edge: 'both', active_low: false, ...hardware },
    pos: { file: 'test.yaml', line: 1, col: 1, path: `sensors[0]` },
  };
}

/** A PushSink that records everything it is given. */
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
}
