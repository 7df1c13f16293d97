import { sht3xCrc } from '../drivers/sht3x-crc.js';
import { type FakeI2cDevice, nack } from './fake-i2c-device.js';

export interface FakeSht31Options {
  /** Raw sensor words (default: 0x6666 and 0x8000, i.e. 25.0 degC-ish and 50 %RH). */
  readonly rawT?: number;
  readonly rawRH?: number;
  /** Single-shot measurement time (default 12.5 ms, the datasheet's typical; its max is 15 ms). */
  readonly measureMs?: number;
  /** Status register (default 0x8010: alert pending, reset detected, as after power-up). */
  readonly status?: number;
}

/**
 * An SHT31 command interpreter: single-shot measurements (0x24xx without, 0x2Cxx with clock
 * stretching), status read (0xF32D), soft reset (0x30A2), clear status (0x3041). Without clock
 * stretching, a read before the measurement is done is NACKed, as is a read with nothing to read;
 * results carry the CRC-8 of each word. Unknown commands are NACKed.
 */
export class FakeSht31 implements FakeI2cDevice {
  rawT: number;
  rawRH: number;
  readonly measureMs: number;
  status: number;
  /** Corrupt the CRC of the next N results (fault injection). */
  corruptCrcs = 0;
  measurements = 0;
  private result: number[] | undefined;
  private readyAtMs = 0;

  constructor(options: FakeSht31Options = {}) {
    this.rawT = options.rawT ?? 0x6666;
    this.rawRH = options.rawRH ?? 0x8000;
    this.measureMs = options.measureMs ?? 12.5;
    this.status = options.status ?? 0x8010;
  }

  /** Sets the raw words that give these readings (T = -45 + 175 * raw / 65535, RH = 100 * raw / 65535). */
  setReadings(temperatureC: number, humidityPct: number): void {
    this.rawT = Math.round(((temperatureC + 45) * 65535) / 175);
    this.rawRH = Math.round((humidityPct * 65535) / 100);
  }

  write(bytes: Uint8Array, nowMs: number): void {
    if (bytes.length !== 2) throw nack(`expected a 16-bit command, got ${bytes.length} bytes`);
    const cmd = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
    const msb = cmd >> 8;
    if (msb === 0x24 || msb === 0x2c) {
      this.measurements += 1;
      this.readyAtMs = msb === 0x2c ? nowMs : nowMs + this.measureMs;
      this.result = [...this.word(this.rawT), ...this.word(this.rawRH)];
    } else if (cmd === 0xf32d) {
      this.readyAtMs = nowMs;
      this.result = this.word(this.status);
    } else if (cmd === 0x30a2 || cmd === 0x3041) {
      this.result = undefined;
      if (cmd === 0x3041) this.status &= ~0x8c13;
    } else throw nack(`unknown command 0x${cmd.toString(16)}`);
  }

  read(length: number, nowMs: number): Uint8Array {
    if (this.result === undefined) throw nack('no data to read');
    if (nowMs < this.readyAtMs) throw nack('measurement in progress');
    const out = this.result.slice(0, length);
    this.result = undefined;
    return Uint8Array.from(out);
  }

  private word(w: number): number[] {
    const bytes = [(w >> 8) & 0xff, w & 0xff];
    let crc = sht3xCrc(bytes);
    if (this.corruptCrcs > 0) {
      this.corruptCrcs -= 1;
      crc ^= 0x01;
    }
    return [...bytes, crc];
  }
}
