import { SensorFault } from '../live/source.js';
import type { GpioChipInfo } from './gpio-backend.js';
import { chipFault, describeChip } from './gpio-faults.js';

/** Which line a sensor names: `pin` and `chip` as written in the config. */
export interface GpioLineSpec {
  /** Line offset on the chip (the BCM number on a Pi's header chip). */
  readonly pin: number;
  /** A chip label (`pinctrl-rp1`), name (`gpiochip571`) or path (`/sys/class/gpio/gpiochip571`); undefined = the header chip. */
  readonly chip: string | undefined;
}

/** A line found on a chip. */
export interface ResolvedGpioLine {
  readonly chip: GpioChipInfo;
  readonly offset: number;
  /** The global (sysfs) number: base + offset. */
  readonly globalNumber: number;
  /** How the chip was chosen, for `spatia doctor` and log lines. */
  readonly chosenBy: string;
}

function baseName(path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  return parts[parts.length - 1] ?? path;
}

function findChip(chips: readonly GpioChipInfo[], written: string): GpioChipInfo | SensorFault {
  const name = baseName(written);
  const found = chips.find((c) => c.label === written) ?? chips.find((c) => c.name === name);
  if (found !== undefined) return found;
  let hint = 'write one of the labels below';
  if (/^gpiochip\d+$/.test(name)) {
    // gpiodetect and /dev number chips by probe order (gpiochip0), sysfs by base (gpiochip512):
    // the same controller has two names, and only the label means the same thing everywhere.
    hint = 'sysfs names chips after their base (gpiochip512) while gpiodetect and /dev number them from 0 (gpiochip0): write the chip label instead';
  }
  return chipFault(`GPIO chip "${written}" not found (${hint})`, chips);
}

function headerChip(chips: readonly GpioChipInfo[], headerChipLabels: readonly string[]): GpioChipInfo | SensorFault {
  for (const label of headerChipLabels) {
    const found = chips.find((c) => c.label === label);
    if (found !== undefined) return found;
  }
  // Without a board profile, a single chip is unambiguous; several are not.
  const [only] = chips;
  if (headerChipLabels.length === 0 && chips.length === 1 && only !== undefined) return only;
  const wanted = headerChipLabels.length === 0 ? 'the board is unknown' : `none of the board's header chips (${headerChipLabels.join(', ')}) is present`;
  return chipFault(`no chip given and ${wanted}: set chip: to a label below (or runtime.board)`, chips);
}

/**
 * Finds the chip and line for `spec` among `chips`. Throws a SPATIA_GPIO_CHIP `SensorFault`
 * listing the chips found when the chip is unknown or the pin is beyond its lines.
 */
export function resolveGpioLine(chips: readonly GpioChipInfo[], spec: GpioLineSpec, headerChipLabels: readonly string[]): ResolvedGpioLine {
  const chip = spec.chip === undefined ? headerChip(chips, headerChipLabels) : findChip(chips, spec.chip);
  if (chip instanceof SensorFault) throw chip;
  if (!Number.isInteger(spec.pin) || spec.pin < 0 || spec.pin >= chip.ngpio) {
    throw chipFault(`pin ${spec.pin} is beyond ${chip.label}, whose lines are 0..${chip.ngpio - 1}`, chips);
  }
  const chosenBy = spec.chip === undefined ? "the board's header chip" : `chip: ${spec.chip}`;
  return { chip, offset: spec.pin, globalNumber: chip.base + spec.pin, chosenBy };
}

/** One line explaining a resolution: `pin 17 -> line 17 of pinctrl-rp1 (gpiochip571, base 571, 54 lines) = sysfs gpio588 (the board's header chip)`. */
export function explainGpioLine(line: ResolvedGpioLine): string {
  return `pin ${line.offset} -> line ${line.offset} of ${describeChip(line.chip)} = sysfs gpio${line.globalNumber} (${line.chosenBy})`;
}
