import { FakeWordRegisterDevice } from './fake-word-register-device.js';

const FSR_V = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
const SPS = [8, 16, 32, 64, 128, 250, 475, 860];
const OS = 0x8000;

/**
 * An ADS1115: conversion register, config register (power-up 0x8583), Lo/Hi thresholds. Writing
 * the config with OS = 1 in single-shot mode starts a conversion that takes one data-rate period;
 * OS reads 0 until it is done, then the conversion register holds the input's code:
 * round(V * 32768 / FSR), clamped to -32768..32767. Inputs are single-ended voltages `volts[n]`
 * (MUX 100..111); differential MUX settings give the difference of the two inputs.
 */
export class FakeAds1115 extends FakeWordRegisterDevice {
  config = 0x8583;
  conversion = 0;
  readonly volts: number[];
  conversions = 0;
  private readyAtMs: number | undefined;
  private readonly thresholds = [0x8000, 0x7fff];

  constructor(options: { readonly volts?: readonly number[] } = {}) {
    super(0x03);
    this.volts = [...(options.volts ?? [0, 0, 0, 0])];
  }

  protected readRegister(reg: number, nowMs: number): number {
    this.settle(nowMs);
    if (reg === 0) return this.conversion & 0xffff;
    if (reg === 1) return this.readyAtMs === undefined ? this.config | OS : this.config & ~OS;
    return this.thresholds[reg - 2] ?? 0;
  }

  protected writeRegister(reg: number, value: number, nowMs: number): void {
    this.settle(nowMs);
    if (reg === 1) {
      this.config = value & ~OS;
      const singleShot = (value & 0x0100) !== 0;
      if (singleShot && (value & OS) !== 0 && this.readyAtMs === undefined) {
        this.conversions += 1;
        this.readyAtMs = nowMs + 1000 / (SPS[(value >> 5) & 0x07] ?? 128);
      }
    } else if (reg >= 2) this.thresholds[reg - 2] = value;
  }

  /** The code the current config converts to. */
  code(): number {
    const mux = (this.config >> 12) & 0x07;
    const v = (i: number): number => this.volts[i] ?? 0;
    const pairs: ReadonlyArray<readonly [number, number | undefined]> = [[0, 1], [0, 3], [1, 3], [2, 3], [0, undefined], [1, undefined], [2, undefined], [3, undefined]];
    const [p, n] = pairs[mux] ?? [0, undefined];
    const volts = v(p) - (n === undefined ? 0 : v(n));
    const fsr = FSR_V[(this.config >> 9) & 0x07] ?? 2.048;
    return Math.max(-32768, Math.min(32767, Math.round((volts * 32768) / fsr)));
  }

  private settle(nowMs: number): void {
    if (this.readyAtMs === undefined || nowMs < this.readyAtMs) return;
    this.readyAtMs = undefined;
    this.conversion = this.code() & 0xffff;
  }
}
