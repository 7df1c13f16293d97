import type { DoctorFs } from './doctor-env.js';

/** A GPIO chip as sysfs shows it under /sys/class/gpio/gpiochip<base>. */
export interface GpioChip {
  /** The sysfs name, `gpiochip<base>`. */
  readonly name: string;
  readonly label: string;
  /** Number of the chip's first line in the sysfs number space (kernel >= 6.2: 512 and up). */
  readonly base: number;
  readonly ngpio: number;
  /** Its character device (`gpiochip0` for /dev/gpiochip0), when sysfs shows the link. */
  readonly cdev: string | undefined;
}

const SYSFS_GPIO = '/sys/class/gpio';

async function readInt(fs: DoctorFs, path: string): Promise<number | undefined> {
  const text = await fs.readFile(path);
  const n = text === undefined ? NaN : Number(text.trim());
  return Number.isInteger(n) ? n : undefined;
}

/**
 * The chips under /sys/class/gpio, by base; undefined when the kernel has no sysfs GPIO.
 * A chip whose base or ngpio cannot be read is left out rather than guessed.
 */
export async function listGpioChips(fs: DoctorFs): Promise<GpioChip[] | undefined> {
  const names = await fs.readdir(SYSFS_GPIO);
  if (names === undefined) return undefined;
  const chips: GpioChip[] = [];
  for (const name of names.filter((n) => /^gpiochip\d+$/.test(n))) {
    const dir = `${SYSFS_GPIO}/${name}`;
    const base = await readInt(fs, `${dir}/base`);
    const ngpio = await readInt(fs, `${dir}/ngpio`);
    if (base === undefined || ngpio === undefined) continue;
    const label = ((await fs.readFile(`${dir}/label`)) ?? '').trim();
    // `device` links to the controller, whose folder also holds the character device's node.
    const cdev = (await fs.readdir(`${dir}/device`))?.find((n) => /^gpiochip\d+$/.test(n));
    chips.push({ name, label, base, ngpio, cdev });
  }
  return chips.sort((a, b) => a.base - b.base);
}

/**
 * The chip a `chip:` value names: a label (`pinctrl-rp1`), a sysfs name or path
 * (`gpiochip571`, `/sys/class/gpio/gpiochip571`) or a character device (`/dev/gpiochip0`).
 */
export function findChip(chips: readonly GpioChip[], spec: string): GpioChip | undefined {
  const byLabel = chips.find((c) => c.label === spec);
  if (byLabel !== undefined) return byLabel;
  const name = spec.startsWith(`${SYSFS_GPIO}/`) ? spec.slice(SYSFS_GPIO.length + 1) : spec;
  const bySysfsName = chips.find((c) => c.name === name);
  if (bySysfsName !== undefined) return bySysfsName;
  const cdev = spec.startsWith('/dev/') ? spec.slice('/dev/'.length) : spec;
  return chips.find((c) => c.cdev === cdev);
}

/** `pinctrl-rp1 (gpiochip571, 54 lines), ...` for messages. */
export function describeChips(chips: readonly GpioChip[]): string {
  if (chips.length === 0) return 'none';
  return chips.map((c) => `${c.label || '(no label)'} (${c.name}, ${c.ngpio} lines)`).join(', ');
}
