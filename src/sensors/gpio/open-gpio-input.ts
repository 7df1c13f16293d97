import type { GpioBackend, GpioLine } from './gpio-backend.js';
import type { GpioInputConfig } from './gpio-input-config.js';
import { explainGpioLine, type ResolvedGpioLine, resolveGpioLine } from './resolve-gpio-line.js';

/** An open input line and how it was found. */
export interface OpenedGpioInput {
  readonly line: GpioLine;
  readonly resolved: ResolvedGpioLine;
  /** For the log: `pin 17 -> line 17 of pinctrl-rp1 (...) = sysfs gpio588 (...)`. */
  readonly explanation: string;
}

/**
 * Lists the chips, resolves `config`'s pin and chip and opens the line as an input; shared by the
 * push and polled sources. Rejects with the backend's or the resolution's `SensorFault`.
 */
export async function openGpioInput(
  backend: GpioBackend,
  config: GpioInputConfig,
  headerChipLabels: readonly string[],
  interrupts: boolean,
): Promise<OpenedGpioInput> {
  const chips = await backend.listChips();
  const resolved = resolveGpioLine(chips, config, headerChipLabels);
  const line = await backend.openInput({
    chip: resolved.chip,
    offset: resolved.offset,
    activeLow: config.activeLow,
    interrupts,
    consumer: config.sensorId,
  });
  return { line, resolved, explanation: explainGpioLine(resolved) };
}
