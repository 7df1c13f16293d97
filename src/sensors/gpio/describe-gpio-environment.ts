import type { GpioBackend, GpioChipInfo } from './gpio-backend.js';
import { asSensorFault, describeChip } from './gpio-faults.js';
import { explainGpioLine, type GpioLineSpec, resolveGpioLine } from './resolve-gpio-line.js';

/** What {@link describeGpioEnvironment} found. */
export interface GpioEnvironmentReport {
  /** False when the chips cannot be listed or a pin cannot be resolved. */
  readonly ok: boolean;
  readonly chips: readonly GpioChipInfo[];
  /** Human-readable lines for `spatia doctor`; problems start with their error code in brackets. */
  readonly lines: readonly string[];
}

/**
 * For `spatia doctor`: the backend's chips (marking the header chip) and how each configured
 * pin resolves (`pin 17 -> line 17 of pinctrl-rp1 (gpiochip571, base 571, 54 lines) = sysfs
 * gpio588`), or the fault a sensor would report. Touches no line: nothing is exported.
 */
export async function describeGpioEnvironment(
  backend: GpioBackend,
  headerChipLabels: readonly string[],
  pins: readonly GpioLineSpec[] = [],
): Promise<GpioEnvironmentReport> {
  const lines = [`GPIO backend: ${backend.name}`];
  let chips: readonly GpioChipInfo[];
  try {
    chips = await backend.listChips();
  } catch (err) {
    const fault = asSensorFault('listing GPIO chips', err);
    return { ok: false, chips: [], lines: [...lines, `[${fault.code}] ${fault.message}`] };
  }
  const header = headerChipLabels.map((label) => chips.find((c) => c.label === label)).find((c) => c !== undefined);
  for (const chip of chips) lines.push(`  ${describeChip(chip)}${chip === header ? '  <- header chip' : ''}`);
  if (chips.length === 0) lines.push('  no GPIO chips');
  let ok = true;
  for (const spec of pins) {
    try {
      lines.push(explainGpioLine(resolveGpioLine(chips, spec, headerChipLabels)));
    } catch (err) {
      ok = false;
      const fault = asSensorFault(`pin ${spec.pin}`, err);
      lines.push(`[${fault.code}] pin ${spec.pin}${spec.chip === undefined ? '' : ` chip ${spec.chip}`}: ${fault.message}`);
    }
  }
  return { ok, chips, lines };
}
