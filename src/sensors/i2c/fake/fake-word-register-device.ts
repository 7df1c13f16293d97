import type { FakeI2cDevice } from './fake-i2c-device.js';

/**
 * A chip with a pointer register and 16-bit registers sent most significant byte first (TMP102,
 * ADS1115): `write([p])` sets the pointer, `write([p, msb, lsb])` also writes register p; a read
 * returns the pointed register, repeating it past two bytes. Subclasses give the registers'
 * behaviour.
 */
export abstract class FakeWordRegisterDevice implements FakeI2cDevice {
  private pointer = 0;

  constructor(private readonly pointerMask: number) {}

  protected abstract readRegister(reg: number, nowMs: number): number;
  protected abstract writeRegister(reg: number, value: number, nowMs: number): void;

  write(bytes: Uint8Array, nowMs: number): void {
    if (bytes.length === 0) return;
    this.pointer = (bytes[0] ?? 0) & this.pointerMask;
    if (bytes.length >= 3) this.writeRegister(this.pointer, ((bytes[1] ?? 0) << 8) | (bytes[2] ?? 0), nowMs);
  }

  read(length: number, nowMs: number): Uint8Array {
    const value = this.readRegister(this.pointer, nowMs);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = i % 2 === 0 ? (value >> 8) & 0xff : value & 0xff;
    return out;
  }
}
