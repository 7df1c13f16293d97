import { FakeWordRegisterDevice } from './fake-word-register-device.js';

const EM = 0x0010;
const SD = 0x0100;

/**
 * A TMP102: temperature register (12-bit, or 13-bit with EM set, left-justified, bit 0 = EM),
 * configuration register (power-up 0x60A0; R1 R0 and the low nibble read-only), T_LOW 0x4B00,
 * T_HIGH 0x5000. `counts` is the temperature in 0.0625 degC steps (two's complement as a number);
 * while shut down (SD) the temperature register keeps its last value.
 */
export class FakeTmp102 extends FakeWordRegisterDevice {
  config = 0x60a0;
  counts: number;
  private frozen: number | undefined;
  private readonly limits = [0x4b00, 0x5000];

  constructor(options: { readonly counts?: number; readonly temperatureC?: number; readonly config?: number } = {}) {
    super(0x03);
    this.counts = options.counts ?? Math.round((options.temperatureC ?? 25) / 0.0625);
    if (options.config !== undefined) this.config = options.config;
  }

  /** The register value for the current temperature and mode. */
  temperatureRegister(): number {
    if ((this.config & EM) !== 0) return (((this.counts & 0x1fff) << 3) | 1) & 0xffff;
    return (this.counts & 0x0fff) << 4;
  }

  protected readRegister(reg: number): number {
    if (reg === 0) return (this.config & SD) !== 0 ? (this.frozen ?? 0) : this.temperatureRegister();
    if (reg === 1) return this.config;
    return this.limits[reg - 2] ?? 0;
  }

  protected writeRegister(reg: number, value: number): void {
    if (reg === 1) {
      if ((value & SD) !== 0 && (this.config & SD) === 0) this.frozen = this.temperatureRegister();
      // Writable: OS F1 F0 POL TM SD, CR1 CR0 EM; read-only: R1 R0, AL and the low nibble.
      this.config = (value & 0x9fd0) | (this.config & 0x602f);
    } else if (reg >= 2) this.limits[reg - 2] = value;
  }
}
