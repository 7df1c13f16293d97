import type { PushSink, SensorFault, TransportEvent } from './source.js';

/** What {@link PushSlot.take} found. */
export const PushTake = { Nothing: 0, Value: 1, Fault: 2 } as const;
export type PushTake = (typeof PushTake)[keyof typeof PushTake];

/**
 * One push sensor in the live sampler: the sink its source delivers to, holding what arrived
 * since the last tick. A plain sensor keeps the latest value (SPEC §4.1: "the latest value
 * received before the tick"); an `entities` sensor keeps every record, because each message
 * may be about a different entity.
 */
export class PushSlot implements PushSink {
  private latest: unknown = undefined;
  private hasValue = false;
  private pendingFault: SensorFault | undefined;
  private records: unknown[] = [];
  /** Messages delivered since the run began (for the summary and the ingest benchmark). */
  delivered = 0;

  constructor(
    readonly id: string,
    private readonly accumulate: boolean,
    private readonly onTransport: (e: TransportEvent) => void,
  ) {}

  value(v: unknown): void {
    this.delivered++;
    if (this.accumulate) {
      if (Array.isArray(v)) for (const r of v) this.records.push(r);
      else this.records.push(v);
    } else {
      this.latest = v;
      this.hasValue = true;
    }
    // A value that came after a fault supersedes it within the same tick.
    this.pendingFault = undefined;
  }

  fault(fault: SensorFault): void {
    this.pendingFault = fault;
    if (!this.accumulate) this.hasValue = false;
  }

  lost(fault: SensorFault): void {
    this.fault(fault);
  }

  transport(event: TransportEvent): void {
    this.onTransport(event);
  }

  /** The value or fault the last `take()` returned `PushTake.Value` / `PushTake.Fault` for. */
  taken: unknown = undefined;
  takenFault: SensorFault | undefined;

  /**
   * What arrived since the last call: a value (the latest, or for entities the array of records)
   * or a fault, left in `taken` / `takenFault`. Returns a code rather than an object: this runs
   * for every push sensor on every tick.
   */
  take(): PushTake {
    if (this.accumulate && this.records.length > 0) {
      this.taken = this.records;
      this.records = [];
      return PushTake.Value;
    }
    if (this.hasValue) {
      this.hasValue = false;
      this.taken = this.latest;
      this.latest = undefined;
      return PushTake.Value;
    }
    const f = this.pendingFault;
    if (f !== undefined) {
      this.pendingFault = undefined;
      this.takenFault = f;
      return PushTake.Fault;
    }
    return PushTake.Nothing;
  }
}
