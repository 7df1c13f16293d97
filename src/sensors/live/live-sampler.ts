import type { DeploymentModel, SensorModel } from '../../config/model.js';
import { Frame, ReadStatus } from '../../core/frame.js';
import type { Clock } from '../../platform/clock.js';
import { createSignal } from '../mock/create-signal.js';
import { FaultSchedule } from '../mock/faults.js';
import { MockSource } from '../mock/mock-source.js';
import { sampleTime } from '../mock/sample-time.js';
import { asFault, PolledSlot } from './polled-slot.js';
import { PushSlot, PushTake } from './push-slot.js';
import { type LiveSource, type PushSource, SensorFault, type TransportEvent } from './source.js';

const NO_EVENTS: readonly TransportEvent[] = [];

/** Longest a tick waits for the reads it started, as a share of the tick period. */
const WAIT_SHARE_OF_PERIOD = 0.5;
/** Longest `start()` waits for devices to open before the first tick. */
const START_WAIT_US = 5_000_000;

export interface LiveSamplerOptions {
  readonly clock: Clock;
  /** Seeds mock signals (`kind: mock` plays its signal in `run` as in `sim`). */
  readonly seed: number;
  readonly baseDir: string;
  /** Tick period in µs (the tick's wait for reads is bounded by half of it). */
  readonly periodUs: number;
  /** Each polled read's latency (µs) and outcome, by sensor index (`spatia profile --live`). */
  readonly onRead?: (index: number, us: number, outcome: 'ok' | 'timeout' | 'error') => void;
}

type Slot =
  | { readonly kind: 'mock'; readonly source: MockSource }
  | { readonly kind: 'polled'; readonly slot: PolledSlot }
  | { readonly kind: 'push'; readonly slot: PushSlot; readonly source: PushSource }
  | { readonly kind: 'none' };

/**
 * Produces each tick's Frame in `spatia run` (SPEC §4.1 phase 1):
 * - polled sensors due this tick (by `sample_every`) are read concurrently; the tick waits for
 *   them at most until the earliest of their timeouts and half a tick period; a read past its
 *   `timeout` fails for that tick, and whatever settles later is used at the next tick;
 * - push sensors contribute the latest value received before the tick (entities: every record);
 * - mock sensors play their signal at the tick's time, as in `sim`.
 * Transport health changes are queued for the log.
 */
export class LiveSampler {
  readonly frame: Frame;
  private readonly slots: Slot[];
  private readonly everyUs: Float64Array;
  private readonly nextUs: Float64Array;
  private readonly types: ReadonlyArray<SensorModel['valueType']>;
  private readonly transportEvents: TransportEvent[] = [];
  /** The tick's time for mock sources, set once per fill (see SampleTime). */
  private readonly at = sampleTime();
  /** Reads started at the current tick and not settled yet. */
  private waiting = 0;
  /** Incremented by every `begin`: which tick's reads the tick is waiting for. */
  private wave = 0;
  private wake: (() => void) | undefined;

  constructor(
    model: DeploymentModel,
    sources: ReadonlyArray<LiveSource | undefined>,
    private readonly opts: LiveSamplerOptions,
  ) {
    const sensors = model.sensors;
    this.frame = new Frame(sensors.length);
    this.types = sensors.map((s) => s.valueType);
    this.everyUs = Float64Array.from(sensors, (s) => s.sampleEveryUs ?? 0);
    this.nextUs = new Float64Array(sensors.length);
    const onTransport = (e: TransportEvent): void => {
      this.transportEvents.push(e);
    };
    this.slots = sensors.map((s, i): Slot => {
      if (playsSignal(s) && s.sim !== undefined) {
        const signal = createSignal(s.sim.signal, { seed: opts.seed, sensorId: s.id, baseDir: opts.baseDir });
        return { kind: 'mock', source: new MockSource(signal, new FaultSchedule(s.sim.faults)) };
      }
      const source = sources[i];
      if (source === undefined) return { kind: 'none' };
      if (source.mode === 'push') return { kind: 'push', slot: new PushSlot(s.id, s.kind === 'entities', onTransport), source };
      const timeoutUs = s.timeoutUs ?? defaultTimeoutUs(s, opts.periodUs);
      const slot = new PolledSlot(s.id, source, opts.clock, timeoutUs);
      slot.onSettled = (wave) => this.settled(wave);
      const onRead = opts.onRead;
      if (onRead !== undefined) slot.onRead = (us, outcome) => onRead(i, us, outcome);
      return { kind: 'polled', slot };
    });
  }

  /** Opens every device and starts every push source, waiting a bounded time for them. */
  async start(): Promise<void> {
    const work: Array<Promise<void>> = [];
    for (const s of this.slots) {
      if (s.kind === 'polled') work.push(s.slot.openNow());
      else if (s.kind === 'push') work.push(s.source.start(s.slot).catch((err: unknown) => s.slot.lost(asFault(err, `${s.slot.id}: could not start`))));
    }
    let done = false;
    const all = Promise.all(work).then(() => {
      done = true;
    });
    // Devices that open at once need no timed wait (one event-loop turn lets them finish).
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!done) await Promise.race([all, this.opts.clock.sleepUntil(this.opts.clock.nowUs() + START_WAIT_US)]);
  }

  /**
   * Starts the polled reads due at `tUs` (the tick's time in the run) and returns a promise to
   * await before `fill` when the tick should wait for them, or undefined when nothing is pending.
   */
  begin(tUs: number): Promise<void> | undefined {
    let started = 0;
    let deadlineUs = Infinity;
    const wave = ++this.wave;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i] as Slot;
      if (s.kind !== 'polled' || !this.isDue(i, tUs)) continue;
      if (s.slot.due(wave)) {
        started++;
        deadlineUs = Math.min(deadlineUs, s.slot.deadlineUs);
      }
    }
    if (started === 0) return undefined;
    this.waiting = started;
    const clock = this.opts.clock;
    const capUs = clock.nowUs() + this.opts.periodUs * WAIT_SHARE_OF_PERIOD;
    return new Promise<void>((resolve) => {
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        this.wake = undefined;
        resolve();
      };
      this.wake = finish;
      if (this.waiting === 0) finish();
      else void clock.sleepUntil(Math.min(deadlineUs, capUs)).then(finish);
    });
  }

  private settled(wave: number): void {
    if (wave === this.wave && this.waiting > 0 && --this.waiting === 0) this.wake?.();
  }

  /** Whether sensor i is due at tUs, advancing its sample_every grid. */
  private isDue(i: number, tUs: number): boolean {
    if (tUs < (this.nextUs[i] ?? 0)) return false;
    const every = this.everyUs[i] ?? 0;
    // Straight to the first grid point after tUs: a resumed run starts at a late tick.
    if (every > 0) {
      const next = this.nextUs[i] ?? 0;
      this.nextUs[i] = next + (Math.floor((tUs - next) / every) + 1) * every;
    }
    return true;
  }

  /** Fills the frame for the tick at `tUs` with everything known now. */
  fill(tUs: number): Frame {
    const f = this.frame;
    f.clear();
    const nowUs = this.opts.clock.nowUs();
    this.at[0] = tUs;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i] as Slot;
      f.obj[i] = undefined;
      if (s.kind === 'mock') {
        if (this.isDue(i, tUs) && s.source.readAt(this.at, f, i) === ReadStatus.Ok) this.checkMockType(i);
      } else if (s.kind === 'polled') {
        const r = s.slot.take(nowUs);
        if (r.kind === 'value') this.writeValue(i, r.value);
        else if (r.kind === 'fault') this.writeFault(i, r.fault);
      } else if (s.kind === 'push') {
        const r = s.slot.take();
        if (r === PushTake.Value) this.writeValue(i, s.slot.taken);
        else if (r === PushTake.Fault && s.slot.takenFault !== undefined) this.writeFault(i, s.slot.takenFault);
      }
    }
    return f;
  }

  /** Transport health changes since the last call, oldest first. */
  takeTransportEvents(): readonly TransportEvent[] {
    if (this.transportEvents.length === 0) return NO_EVENTS;
    return this.transportEvents.splice(0, this.transportEvents.length);
  }

  /** Values delivered by push sources since the run began. */
  get pushDelivered(): number {
    let n = 0;
    for (const s of this.slots) if (s.kind === 'push') n += s.slot.delivered;
    return n;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.slots.map(async (s) => {
        if (s.kind === 'polled') await s.slot.close();
        else if (s.kind === 'push') await s.source.close().catch(() => undefined);
      }),
    );
  }

  /** Writes a reading, checking it against the sensor's declared type (else it is garbage). */
  private writeValue(i: number, v: unknown): void {
    const f = this.frame;
    const type = this.types[i];
    if (type === 'number' || type === 'boolean') {
      const n = typeof v === 'boolean' ? (v ? 1 : 0) : v;
      if (typeof n === 'number' && Number.isFinite(n)) {
        f.num[i] = type === 'boolean' ? (n !== 0 ? 1 : 0) : n;
        f.status[i] = ReadStatus.Ok;
        return;
      }
      this.garbage(i, `returned ${describeValue(v)}, but the sensor is declared ${type ?? 'number'}`);
    } else if (type === 'string') {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
        f.obj[i] = String(v);
        f.status[i] = ReadStatus.Ok;
      } else {
        this.garbage(i, `returned ${describeValue(v)}, but the sensor is declared string`);
      }
    } else if (v === undefined) {
      this.garbage(i, 'returned nothing');
    } else {
      f.obj[i] = v;
      f.status[i] = ReadStatus.Ok;
    }
  }

  private writeFault(i: number, fault: SensorFault): void {
    const f = this.frame;
    f.status[i] = fault.status === 'timeout' ? ReadStatus.Timeout : fault.status === 'garbage' ? ReadStatus.Garbage : ReadStatus.Error;
    f.error[i] = `${fault.message} [${fault.code}]`;
  }

  private garbage(i: number, message: string): void {
    this.frame.status[i] = ReadStatus.Garbage;
    this.frame.error[i] = message;
  }

  /** Mock values follow the same type rule as in `sim`. */
  private checkMockType(i: number): void {
    const type = this.types[i];
    const gotNumber = this.frame.obj[i] === undefined;
    const wantNumber = type === 'number' || type === 'boolean';
    if (gotNumber !== wantNumber) this.garbage(i, `returned a ${gotNumber ? 'number' : 'non-number'}, but the sensor is declared ${type ?? 'number'}`);
  }
}

/** Sensors that play their signal in `run` as in `sim`: mocks, and entities from `sim` paths. */
export function playsSignal(s: SensorModel): boolean {
  return s.kind === 'mock' || (s.kind === 'entities' && s.hardware['source'] === 'sim');
}

/** A read's default timeout: its sample period (a read slower than that cannot keep up), at most 1 s. */
export function defaultTimeoutUs(s: SensorModel, periodUs: number): number {
  return Math.min(1_000_000, Math.max(s.sampleEveryUs ?? periodUs, periodUs));
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  const text = JSON.stringify(v) ?? String(v);
  return `${typeof v === 'object' ? (Array.isArray(v) ? 'an array' : 'an object') : `a ${typeof v}`} ${text.length > 40 ? `${text.slice(0, 40)}...` : text}`;
}
