import { SensorFault } from '../live/source.js';
import { errnoOf } from './gpio-fs.js';
import type { GpioChipInfo } from './gpio-backend.js';

/**
 * The GPIO failures users meet, each with a message that names the fix. Shared by every backend
 * so the wording (and the README's troubleshooting section) stays in one place.
 */

/** The sysfs GPIO directory is missing: the kernel was built without CONFIG_GPIO_SYSFS. */
export function noSysfsFault(root: string): SensorFault {
  return new SensorFault(
    'error',
    'SPATIA_GPIO_NO_SYSFS',
    `sysfs GPIO is not available: ${root} does not exist. This kernel was built without ` +
      'CONFIG_GPIO_SYSFS (as JetPack 6 and Debian Trixie kernels are), and spatia reads GPIO inputs ' +
      'through sysfs only for now: a /dev/gpiochipN (character device) backend is planned but not ' +
      'available yet. Fix: run a kernel with CONFIG_GPIO_SYSFS=y (Raspberry Pi OS Bookworm, JetPack 5), ' +
      'or bring the signal in another way (an MQTT or serial sensor).',
  );
}

/** EACCES/EPERM on a GPIO file that stayed denied past the udev settle time. */
export function permissionFault(path: string, err: unknown): SensorFault {
  return new SensorFault(
    'error',
    'SPATIA_GPIO_PERMISSION',
    `no permission to ${path} (${errnoOf(err) ?? 'EACCES'}). Fix: add the service user to the gpio ` +
      "group (sudo usermod -aG gpio USER), install the udev rule from spatia's hardware/ directory so " +
      'that group may use /sys/class/gpio (see the README, GPIO permissions), then log out and in ' +
      'again (or restart the service).',
  );
}

/** One line per chip, for messages: `pinctrl-rp1 (gpiochip571, base 571, 54 lines)`. */
export function describeChip(chip: GpioChipInfo): string {
  return `${chip.label} (${chip.name}, base ${chip.base}, ${chip.ngpio} lines)`;
}

/** The chips found, for messages listing the choices. */
export function describeChips(chips: readonly GpioChipInfo[]): string {
  return chips.length === 0 ? 'no GPIO chips were found' : `chips found: ${chips.map(describeChip).join('; ')}`;
}

/** A chip/pin that cannot be resolved, listing the chips found. */
export function chipFault(problem: string, chips: readonly GpioChipInfo[]): SensorFault {
  return new SensorFault('error', 'SPATIA_GPIO_CHIP', `${problem}; ${describeChips(chips)}`);
}

/**
 * Any other failure of a GPIO file operation: EACCES/EPERM become SPATIA_GPIO_PERMISSION, ENOENT
 * on an exported line SPATIA_SENSOR_DISCONNECTED (someone unexported it), the rest
 * SPATIA_SENSOR_ERROR with the errno.
 */
export function ioFault(what: string, path: string, err: unknown): SensorFault {
  const code = errnoOf(err);
  if (code === 'EACCES' || code === 'EPERM') return permissionFault(path, err);
  if (code === 'ENOENT') {
    return new SensorFault('error', 'SPATIA_SENSOR_DISCONNECTED', `${what}: ${path} vanished (was the line unexported by another program?)`);
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new SensorFault('error', 'SPATIA_SENSOR_ERROR', `${what}: ${path}: ${detail}`);
}

/** `err` as a SensorFault: itself when it already is one, else a SPATIA_SENSOR_ERROR. */
export function asSensorFault(what: string, err: unknown): SensorFault {
  if (err instanceof SensorFault) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new SensorFault('error', 'SPATIA_SENSOR_ERROR', `${what}: ${detail}`);
}
