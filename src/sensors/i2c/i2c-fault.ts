import { SensorFault } from '../live/source.js';
import { hex } from './i2c-bus.js';
import { errnoOf, I2cTransferError } from './i2c-transfer-error.js';

/** Which device a fault concerns, for its message: `bme280 at 0x76 on i2c-1`. */
export interface I2cPlace {
  readonly busNumber: number;
  readonly address: number;
  readonly device: string;
}

/** The error code the real adapter uses when the optional `i2c-bus` package cannot be loaded. */
export const NO_I2C_MODULE = 'ESPATIA_NO_I2C_BUS_MODULE';

const NACK = new Set(['EREMOTEIO', 'ENXIO']);
const BUS = new Set(['ENOENT', 'EACCES', 'EPERM', 'ENODEV', 'EBUSY', 'EBADF', NO_I2C_MODULE]);

/** `bme280 at 0x76 on i2c-1`. */
export function describePlace(place: I2cPlace): string {
  return `${place.device} at ${hex(place.address)} on i2c-${place.busNumber}`;
}

/**
 * Turns anything a bus operation, a driver or the lock rejected with into a SensorFault whose
 * message names the device, the failed step, the errno and the likely fix:
 * `EREMOTEIO`/`ENXIO` -> SPATIA_I2C_NACK; `EIO`/`ETIMEDOUT`/other transfer errors -> SPATIA_I2C_IO;
 * a missing, forbidden, vanished or claimed bus -> SPATIA_I2C_BUS; a driver's own SensorFault
 * (garbage, probe) keeps its status and code. Anything else (a bug) is SPATIA_SENSOR_ERROR.
 */
export function i2cFault(err: unknown, place: I2cPlace): SensorFault {
  const where = describePlace(place);
  if (err instanceof SensorFault) return new SensorFault(err.status, err.code, `${where}: ${err.message}`);
  const code = errnoOf(err);
  const detail = err instanceof Error ? err.message : String(err);
  const during = err instanceof I2cTransferError ? ` during ${err.op}` : '';
  const cause = err instanceof I2cTransferError ? err.detail : detail;
  if (code !== undefined && NACK.has(code)) {
    return new SensorFault(
      'error',
      'SPATIA_I2C_NACK',
      `${where}: no acknowledge${during} (${code}): check the address (\`i2cdetect -y ${place.busNumber}\` lists the devices that answer), the wiring, the pull-ups and the power`,
    );
  }
  if (code !== undefined && BUS.has(code)) return new SensorFault('error', 'SPATIA_I2C_BUS', `${where}: ${busAdvice(code, place.busNumber, place.address, cause)}`);
  if (code === 'ETIMEDOUT') {
    return new SensorFault('error', 'SPATIA_I2C_IO', `${where}: timed out${during} (ETIMEDOUT): ${cause}; power-cycle the devices on the bus if it persists`);
  }
  if (code !== undefined || err instanceof I2cTransferError) {
    return new SensorFault(
      'error',
      'SPATIA_I2C_IO',
      `${where}: transfer failed${during} (${code ?? cause}): check the wiring, the cable length and the pull-ups`,
    );
  }
  return new SensorFault('error', 'SPATIA_SENSOR_ERROR', `${where}: ${detail}`);
}

/** What is wrong with bus `busNumber` given the errno `code`, and how to fix it. */
export function busAdvice(code: string, busNumber: number, address: number | undefined, detail: string): string {
  const dev = `/dev/i2c-${busNumber}`;
  switch (code) {
    case 'ENOENT':
      return (
        `${dev} does not exist: enable I2C (Raspberry Pi: \`sudo raspi-config nonint do_i2c 0\`, or ` +
        '`dtparam=i2c_arm=on` in /boot/firmware/config.txt, then reboot; the header pins are bus 1), ' +
        'or fix `bus` (`ls /dev/i2c-*` lists the buses)'
      );
    case 'EACCES':
    case 'EPERM':
      return `no permission to use ${dev}: add the service user to the \`i2c\` group (\`sudo usermod -aG i2c USER\`, then restart the service)`;
    case 'EBUSY':
      return `${address === undefined ? 'an address' : `address ${hex(address)}`} is claimed by a kernel driver (a dtoverlay such as i2c-sensor): remove the overlay, or read the device through the kernel's driver`;
    case 'ENODEV':
      return `${dev} is no longer an I2C adapter (unplugged, or its driver unloaded): ${detail}`;
    case NO_I2C_MODULE:
      return detail;
    default:
      return `${dev} cannot be used (${code}): ${detail}`;
  }
}
