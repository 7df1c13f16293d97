import type { PolledSource } from '../live/source.js';
import type { GpioBackend, GpioLevel, GpioLine } from './gpio-backend.js';
import { asSensorFault } from './gpio-faults.js';
import type { GpioInputConfig } from './gpio-input-config.js';
import type { GpioTimers } from './gpio-timers.js';
import { openGpioInput } from './open-gpio-input.js';

/** What a {@link GpioPolledSource} is built from. */
export interface GpioPolledSourceParts {
  readonly config: GpioInputConfig;
  readonly backend: GpioBackend;
  readonly headerChipLabels: readonly string[];
  readonly timers: GpioTimers;
}

/**
 * A GPIO input with `edge: none`: the level is read when the sampler asks (true = active).
 *
 * Debounce means what it means for edges, as far as samples can see: a new level is reported
 * once reads have seen it for at least `debounce` (from the first read that saw it), so with
 * `sample_every` >= `debounce` a change shows one sample late and a single odd sample never.
 */
export class GpioPolledSource implements PolledSource {
  readonly mode = 'polled';
  private line: GpioLine | undefined;
  private stable: GpioLevel | undefined;
  private candidate: { readonly level: GpioLevel; readonly sinceMs: number } | undefined;

  constructor(private readonly parts: GpioPolledSourceParts) {}

  async open(): Promise<void> {
    if (this.line !== undefined) return;
    try {
      const opened = await openGpioInput(this.parts.backend, this.parts.config, this.parts.headerChipLabels, false);
      this.line = opened.line;
    } catch (err) {
      throw asSensorFault('opening the GPIO line', err);
    }
  }

  async read(): Promise<boolean> {
    // A line dropped after it vanished is reopened here, so the sampler's retries recover it.
    if (this.line === undefined) await this.open();
    const line = this.line;
    if (line === undefined) throw asSensorFault('reading GPIO', new Error('the line is not open'));
    let raw: GpioLevel;
    try {
      raw = await line.read();
    } catch (err) {
      const fault = asSensorFault(`reading ${line.description}`, err);
      if (fault.code === 'SPATIA_SENSOR_DISCONNECTED') await this.close();
      throw fault;
    }
    return this.debounced(raw) === 1;
  }

  async close(): Promise<void> {
    const line = this.line;
    this.line = undefined;
    await line?.close();
  }

  private debounced(raw: GpioLevel): GpioLevel {
    if (this.stable === undefined || raw === this.stable) {
      this.stable = raw;
      this.candidate = undefined;
      return raw;
    }
    const nowMs = this.parts.timers.nowMs();
    if (this.candidate?.level !== raw) this.candidate = { level: raw, sinceMs: nowMs };
    if (nowMs - this.candidate.sinceMs >= this.parts.config.debounceUs / 1000) {
      this.stable = raw;
      this.candidate = undefined;
    }
    return this.stable;
  }
}
