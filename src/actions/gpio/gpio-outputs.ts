import type { DeploymentModel } from '../../config/model.js';
import type { ErrorCode } from '../../core/errors.js';
import type { GpioLevel, GpioOutputBackend } from '../../sensors/gpio/gpio-backend.js';
import { type GpioTimers, realGpioTimers } from '../../sensors/gpio/gpio-timers.js';
import { resolveGpioLine } from '../../sensors/gpio/resolve-gpio-line.js';
import { SysfsGpioBackend } from '../../sensors/gpio/sysfs-gpio-backend.js';
import type { ActionOutcome } from '../action-runner.js';
import { collectGpioOutputPins, describePin, type GpioOutputPin, gpioPinKey } from './gpio-output-pins.js';
import { type DriveResult, GpioOutputSlot } from './gpio-output-slot.js';

/** What {@link GpioOutputs} needs besides the pins; every one has a real default but the labels. */
export interface GpioOutputsOptions {
  /** Labels of the board's header chip, most likely first (see GpioSourceDeps.headerChipLabels). */
  readonly headerChipLabels: readonly string[];
  /** Default: a SysfsGpioBackend on /sys/class/gpio. */
  readonly backend?: GpioOutputBackend;
  /** Default: the real clock (only `nowMs` is used, for the retry backoff). */
  readonly timers?: GpioTimers;
  /** First wait before an open that failed is tried again (default 1000 ms), doubling up to `retryMaxMs` (default 30000 ms). */
  readonly retryMinMs?: number;
  readonly retryMaxMs?: number;
  /**
   * Told about every line opened (at start, or reopened by an action), restored on close, or failing
   * to open: the reports `start()` and `close()` also return, plus those of later reopens. Log them
   * from here or from the return values, not both.
   */
  readonly onReport?: (report: GpioOutputReport) => void;
}

/** What happened to one output line at start, on reopen or on close. */
export interface GpioOutputReport {
  readonly pin: number;
  readonly chip: string | undefined;
  readonly safe: GpioLevel;
  /** `driven`: opened at `level` (at start: the safe level); `restored`: back at safe on close; `failed`. */
  readonly status: 'driven' | 'restored' | 'failed';
  readonly level: GpioLevel;
  /** `gpio588`, when known. */
  readonly line: string | undefined;
  /** How the line was found: `pin 17 -> line 17 of pinctrl-rp1 (...) = sysfs gpio588 (...)`. */
  readonly explanation: string | undefined;
  readonly code: ErrorCode | undefined;
  readonly error: string | undefined;
}

/** A `{gpio: ...}` command returned by a callback. */
export interface GpioCommand {
  readonly pin: number;
  readonly value: GpioLevel;
  readonly chip?: string | undefined;
}

/** Short machine-readable reasons of GPIO failures, for action records. */
function reasonOf(code: ErrorCode): string {
  switch (code) {
    case 'SPATIA_GPIO_PERMISSION':
      return 'permission';
    case 'SPATIA_GPIO_CHIP':
      return 'chip';
    case 'SPATIA_GPIO_NO_SYSFS':
      return 'no sysfs';
    case 'SPATIA_SENSOR_DISCONNECTED':
      return 'disconnected';
    default:
      return 'io';
  }
}

/**
 * The output lines of one run (SPEC §7): every pin driven by a gpio action, each with its
 * declared `safe` level. `start()` drives each line to safe before any action runs (so a relay
 * left on by a crash goes off), `set()` drives a line for an action or a callback's command, and
 * `close()` drives every open line back to safe and releases it.
 *
 * Contract: nothing here rejects or throws after construction; a line that cannot be opened is
 * reported (`onReport`, the result of `start()`) and tried again on a later `set()`, with backoff.
 * Pins that no gpio action names are refused: they have no declared safe level to return to.
 * Create one per run; it keeps no timers, so an unclosed instance leaks nothing but lines.
 */
export class GpioOutputs {
  private readonly slots = new Map<string, GpioOutputSlot>();
  private readonly backend: GpioOutputBackend;
  private closed = false;

  constructor(
    pins: readonly GpioOutputPin[],
    private readonly opts: GpioOutputsOptions,
  ) {
    const timers = opts.timers ?? realGpioTimers();
    this.backend = opts.backend ?? new SysfsGpioBackend({ timers });
    const deps = {
      backend: this.backend,
      headerChipLabels: opts.headerChipLabels,
      timers,
      retryMinMs: opts.retryMinMs ?? 1000,
      retryMaxMs: opts.retryMaxMs ?? 30_000,
      holderOf: (n: number, asking: GpioOutputSlot) => [...this.slots.values()].find((s) => s !== asking && s.globalNumber === n),
    };
    for (const pin of pins) this.slots.set(gpioPinKey(pin.pin, pin.chip), new GpioOutputSlot(pin, deps));
  }

  /** The outputs of a deployment's gpio actions. Throws a SpatiaError only for two safe levels on one pin (a TypeScript-built model). */
  static fromModel(model: DeploymentModel, opts: GpioOutputsOptions): GpioOutputs {
    return new GpioOutputs(collectGpioOutputPins(model), opts);
  }

  /** The declared lines. */
  get pins(): GpioOutputPin[] {
    return [...this.slots.values()].map((s) => s.spec);
  }

  /** Opens every line as an output at its safe level, one after the other. Never rejects. */
  async start(): Promise<GpioOutputReport[]> {
    const reports: GpioOutputReport[] = [];
    for (const slot of this.slots.values()) {
      if (this.closed) break;
      reports.push(this.report(slot, await slot.drive(slot.spec.safe, true), slot.spec.safe, 'driven'));
    }
    return reports;
  }

  /** Drives a declared line to `value`. Resolves with the outcome of a gpio action; never rejects. */
  async set(pin: number, chip: string | undefined, value: GpioLevel, signal?: AbortSignal): Promise<ActionOutcome> {
    const slot = this.slots.get(gpioPinKey(pin, chip));
    if (slot === undefined) return this.undeclared(pin, chip);
    return this.setSlot(slot, value, signal);
  }

  /**
   * Carries out a callback's `{gpio: {pin, value, chip?}}` command through the same path as a gpio
   * action. The pin must be driven by a gpio action of the config (the same pin and chip as
   * written, or another spelling of the same line), since only those have a declared safe level.
   */
  async command(command: GpioCommand, signal?: AbortSignal): Promise<ActionOutcome> {
    const { pin, value } = command;
    const chip = command.chip ?? undefined;
    if (!Number.isInteger(pin) || pin < 0 || (value !== 0 && value !== 1)) {
      return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'garbage', error: `a gpio command needs an integer pin >= 0 and value 0 or 1, got pin ${String(pin)}, value ${String(value)}` };
    }
    const slot = this.slots.get(gpioPinKey(pin, chip)) ?? (await this.sameLine(pin, chip));
    if (slot === undefined) return this.undeclared(pin, chip);
    return this.setSlot(slot, value, signal);
  }

  /** Drives every open line back to its safe level and releases it. Never rejects; idempotent. */
  async close(): Promise<GpioOutputReport[]> {
    if (this.closed) return [];
    this.closed = true;
    const reports: GpioOutputReport[] = [];
    for (const slot of this.slots.values()) {
      const result = await slot.restore();
      if (result !== undefined) reports.push(this.report(slot, result, slot.spec.safe, 'restored'));
    }
    return reports;
  }

  private async setSlot(slot: GpioOutputSlot, value: GpioLevel, signal: AbortSignal | undefined): Promise<ActionOutcome> {
    const { pin, chip } = slot.spec;
    if (signal?.aborted === true) return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'aborted', error: 'not started: the run was aborted' };
    if (this.closed) return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'closed', error: `gpio ${describePin(pin, chip)}: the outputs are closed (shutting down)` };
    const result = await slot.drive(value);
    if (result.ok && result.opened) this.report(slot, result, value, 'driven');
    if (!result.ok && result.attempted) this.report(slot, result, value, 'driven');
    if (result.ok) return { status: 'ok', detail: { pin, value, line: result.line } };
    const { fault } = result;
    return { status: 'failed', code: fault.code, reason: reasonOf(fault.code), error: fault.message, detail: { pin, value } };
  }

  /** The slot holding the line that `pin`/`chip` resolve to, when it is spelled differently. */
  private async sameLine(pin: number, chip: string | undefined): Promise<GpioOutputSlot | undefined> {
    try {
      const n = resolveGpioLine(await this.backend.listChips(), { pin, chip }, this.opts.headerChipLabels).globalNumber;
      return [...this.slots.values()].find((s) => s.globalNumber === n);
    } catch {
      // Unresolvable here means it is no declared line either.
      return undefined;
    }
  }

  private undeclared(pin: number, chip: string | undefined): ActionOutcome {
    const name = describePin(pin, chip);
    return {
      status: 'failed',
      code: 'SPATIA_ACTION_FAILED',
      reason: 'undeclared',
      error:
        `gpio ${name} is not driven by any gpio action of the config, so it has no declared safe level to return to ` +
        `on shutdown; refused. To let callbacks drive it, add a gpio action for ${name} (with safe:) to a condition`,
      detail: { pin },
    };
  }

  private report(slot: GpioOutputSlot, result: DriveResult, level: GpioLevel, okStatus: 'driven' | 'restored'): GpioOutputReport {
    const { pin, chip, safe } = slot.spec;
    const report: GpioOutputReport = result.ok
      ? { pin, chip, safe, status: okStatus, level, line: result.line, explanation: result.explanation, code: undefined, error: undefined }
      : { pin, chip, safe, status: 'failed', level, line: undefined, explanation: undefined, code: result.fault.code, error: result.fault.message };
    this.opts.onReport?.(report);
    return report;
  }
}
