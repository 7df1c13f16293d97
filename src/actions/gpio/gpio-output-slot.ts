import type { GpioLevel, GpioOutputBackend, GpioOutputLine } from '../../sensors/gpio/gpio-backend.js';
import { asSensorFault } from '../../sensors/gpio/gpio-faults.js';
import type { GpioTimers } from '../../sensors/gpio/gpio-timers.js';
import { explainGpioLine, resolveGpioLine } from '../../sensors/gpio/resolve-gpio-line.js';
import { SensorFault } from '../../sensors/live/source.js';
import { describePin, type GpioOutputPin } from './gpio-output-pins.js';

/** What a slot needs from its owner ({@link GpioOutputs}). */
export interface GpioOutputSlotDeps {
  readonly backend: GpioOutputBackend;
  readonly headerChipLabels: readonly string[];
  readonly timers: GpioTimers;
  /** First wait after a failed open, doubling per failure up to `retryMaxMs`. */
  readonly retryMinMs: number;
  readonly retryMaxMs: number;
  /** The other slot holding sysfs line `globalNumber`, if any. */
  readonly holderOf: (globalNumber: number, asking: GpioOutputSlot) => GpioOutputSlot | undefined;
}

/** What driving a line gave. */
export type DriveResult =
  | { readonly ok: true; readonly line: string; readonly opened: boolean; readonly explanation: string | undefined }
  | { readonly ok: false; readonly fault: SensorFault; readonly attempted: boolean };

/**
 * One output line: opened on demand at the level asked for, written, and restored to its safe
 * level on close. A failed open is retried on a later `drive`, no sooner than an exponential
 * backoff allows (so a missing permission costs one quick refusal per action, not a 2 s permission
 * wait each time). A write that fails drops the line and reopens it at once (someone unexported
 * it). Operations are serialised, so actions in parallel never interleave an open and a write.
 */
export class GpioOutputSlot {
  /** The sysfs number (`588`) once resolved; claims the line against other spellings of the same pin. */
  globalNumber: number | undefined;
  private line: GpioOutputLine | undefined;
  private failures = 0;
  private retryAtMs = Number.NEGATIVE_INFINITY;
  private lastFault: SensorFault | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly spec: GpioOutputPin,
    private readonly deps: GpioOutputSlotDeps,
  ) {}

  get isOpen(): boolean {
    return this.line !== undefined;
  }

  /** `pin 27` / `pin 27 of chip pinctrl-rp1`. */
  get name(): string {
    return describePin(this.spec.pin, this.spec.chip);
  }

  /** Drives the line to `level`, opening it if needed; `force` ignores the backoff (start). Never rejects. */
  drive(level: GpioLevel, force = false): Promise<DriveResult> {
    return this.serial(() => this.driveNow(level, force));
  }

  /** Drives an open line back to its safe level and releases it; a line never opened is left alone. */
  restore(): Promise<DriveResult | undefined> {
    return this.serial(async () => {
      const line = this.line;
      if (line === undefined) return undefined;
      const result = await this.write(line, this.spec.safe);
      this.line = undefined;
      this.globalNumber = undefined;
      await line.close();
      return result;
    });
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const p = this.queue.then(op, op);
    this.queue = p.catch(() => undefined);
    return p;
  }

  private async driveNow(level: GpioLevel, force: boolean): Promise<DriveResult> {
    const open = this.line;
    if (open !== undefined) {
      const written = await this.write(open, level);
      if (written.ok) return written;
      // The line is gone or broken: drop it and reopen below, once.
      this.line = undefined;
      this.globalNumber = undefined;
      await open.close();
    }
    const nowMs = this.deps.timers.nowMs();
    if (!force && nowMs < this.retryAtMs && this.lastFault !== undefined) {
      const waitS = Math.ceil((this.retryAtMs - nowMs) / 1000);
      const fault = new SensorFault('error', this.lastFault.code, `not retried yet (next attempt in ${waitS} s); last failure: ${this.lastFault.message}`);
      return { ok: false, fault, attempted: false };
    }
    try {
      const { line, explanation } = await this.open(level);
      this.line = line;
      this.failures = 0;
      this.lastFault = undefined;
      return { ok: true, line: `gpio${this.globalNumber ?? '?'}`, opened: true, explanation };
    } catch (err) {
      const fault = asSensorFault(`opening gpio ${this.name} as an output`, err);
      this.failures += 1;
      this.lastFault = fault;
      this.retryAtMs = nowMs + Math.min(this.deps.retryMaxMs, this.deps.retryMinMs * 2 ** (this.failures - 1));
      return { ok: false, fault, attempted: true };
    }
  }

  private async write(line: GpioOutputLine, level: GpioLevel): Promise<DriveResult> {
    try {
      await line.write(level);
      return { ok: true, line: `gpio${this.globalNumber ?? '?'}`, opened: false, explanation: undefined };
    } catch (err) {
      return { ok: false, fault: asSensorFault(`writing gpio ${this.name}`, err), attempted: true };
    }
  }

  private async open(initial: GpioLevel): Promise<{ line: GpioOutputLine; explanation: string }> {
    const { backend, headerChipLabels } = this.deps;
    const chips = await backend.listChips();
    const resolved = resolveGpioLine(chips, this.spec, headerChipLabels);
    const n = resolved.globalNumber;
    const other = this.deps.holderOf(n, this);
    if (other !== undefined) {
      throw new SensorFault(
        'error',
        'SPATIA_GPIO_CHIP',
        `gpio ${this.name} is the same line (sysfs gpio${n}) as gpio ${other.name}, written another way: ` +
          'write pin and chip the same way on every gpio action of this line, so that they share one safe level',
      );
    }
    // Claimed before the open is awaited, so a concurrent open of another spelling sees it.
    this.globalNumber = n;
    try {
      const line = await backend.openOutput({ chip: resolved.chip, offset: resolved.offset, activeLow: false, initial, consumer: 'spatia gpio actions' });
      return { line, explanation: explainGpioLine(resolved) };
    } catch (err) {
      this.globalNumber = undefined;
      throw err;
    }
  }
}
