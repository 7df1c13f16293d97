import { errnoError } from '../i2c-transfer-error.js';

/**
 * A device model on a {@link FakeI2cBus}, at the level of the wire: each call is one transfer
 * (START, address, bytes, STOP or repeated START). SMBus operations are made of these by the bus
 * (a register read is `write([register])` then `read(n)`), so byte order and register-pointer
 * behaviour are the chip's, not the fake's.
 *
 * To not acknowledge (a busy chip, an unknown command), a model throws {@link nack}. `nowMs` is
 * the bus's clock, for conversion times.
 */
export interface FakeI2cDevice {
  write(bytes: Uint8Array, nowMs: number): void;
  read(length: number, nowMs: number): Uint8Array;
}

/** The error a model throws to NACK, as the kernel reports it (EREMOTEIO). */
export function nack(why: string): Error {
  return errnoError('EREMOTEIO', `NACK: ${why}`);
}
