import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorCode } from '../../core/errors.js';
import { busAdvice } from './i2c-fault.js';
import { errnoOf } from './i2c-transfer-error.js';

/** What {@link checkI2cBus} found. */
export interface I2cBusCheck {
  readonly busNumber: number;
  readonly path: string;
  /** True when the device file exists, is a character device, and is readable and writable. */
  readonly ok: boolean;
  /** The problem as an errno: ENOENT (missing), ENODEV (not a character device), EACCES, ... */
  readonly errno: string | undefined;
  /** SPATIA_I2C_BUS when not ok. */
  readonly code: ErrorCode | undefined;
  /** `"/dev/i2c-1 is usable"`, or what is wrong and how to fix it. */
  readonly message: string;
}

/**
 * Checks that `/dev/i2c-N` can be used, without touching any device on the bus: i2c-bus opens a
 * bus without looking at the file, so this is what turns a disabled bus or a missing group into
 * a clear message (used when opening a bus, and by `spatia doctor`). Never rejects.
 * `devDir` (default `/dev`) is for tests.
 */
export async function checkI2cBus(busNumber: number, options: { readonly devDir?: string } = {}): Promise<I2cBusCheck> {
  const path = join(options.devDir ?? '/dev', `i2c-${busNumber}`);
  const problem = (errno: string, detail: string): I2cBusCheck => ({
    busNumber,
    path,
    ok: false,
    errno,
    code: 'SPATIA_I2C_BUS',
    message: busAdvice(errno, busNumber, undefined, detail).replace(`/dev/i2c-${busNumber}`, path),
  });
  try {
    const info = await stat(path);
    if (!info.isCharacterDevice()) return problem('ENODEV', `${path} is not a character device`);
    await access(path, constants.R_OK | constants.W_OK);
    return { busNumber, path, ok: true, errno: undefined, code: undefined, message: `${path} is usable` };
  } catch (err) {
    return problem(errnoOf(err) ?? 'EIO', err instanceof Error ? err.message : String(err));
  }
}
