import type { FakeI2cDevice } from './fake-i2c-device.js';

/**
 * A BH1750: power down (0x00), power on (0x01), reset (0x07, clears the data register when on),
 * continuous (0x10/0x11/0x13) and one-time (0x20/0x21/0x23) measurements that complete after
 * `measureMs`; a one-time measurement powers the chip down when done. A read returns the data
 * register, big-endian: the last completed measurement (0 before the first), so a read that
 * does not wait gets a stale value, as on the chip. Datasheet example: raw 0x8390 -> 28067 lx.
 */
export class FakeBh1750 implements FakeI2cDevice {
  raw: number;
  readonly measureMs: number;
  powered = false;
  data = 0;
  measurements = 0;
  readonly commands: number[] = [];
  private pending: { readonly readyAtMs: number; readonly oneTime: boolean } | undefined;

  constructor(options: { readonly raw?: number; readonly measureMs?: number } = {}) {
    this.raw = options.raw ?? 0x8390;
    this.measureMs = options.measureMs ?? 120;
  }

  write(bytes: Uint8Array, nowMs: number): void {
    this.settle(nowMs);
    for (const cmd of bytes) {
      this.commands.push(cmd);
      if (cmd === 0x00) this.powered = false;
      else if (cmd === 0x01) this.powered = true;
      else if (cmd === 0x07) {
        if (this.powered) this.data = 0;
      } else if ([0x10, 0x11, 0x13, 0x20, 0x21, 0x23].includes(cmd)) {
        this.powered = true;
        this.measurements += 1;
        this.pending = { readyAtMs: nowMs + this.measureMs, oneTime: cmd >= 0x20 };
      }
    }
  }

  read(length: number, nowMs: number): Uint8Array {
    this.settle(nowMs);
    const out = new Uint8Array(length);
    for (let i = 0; i < length; i++) out[i] = i % 2 === 0 ? (this.data >> 8) & 0xff : this.data & 0xff;
    return out;
  }

  private settle(nowMs: number): void {
    if (this.pending === undefined || nowMs < this.pending.readyAtMs) return;
    this.data = this.raw & 0xffff;
    if (this.pending.oneTime) {
      this.powered = false;
      this.pending = undefined;
    } else this.pending = { readyAtMs: this.pending.readyAtMs + this.measureMs, oneTime: false };
  }
}
