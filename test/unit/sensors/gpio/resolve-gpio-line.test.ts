import { describe, expect, it } from 'vitest';
import type { GpioChipInfo } from '../../../../src/sensors/gpio/gpio-backend.js';
import { explainGpioLine, resolveGpioLine } from '../../../../src/sensors/gpio/resolve-gpio-line.js';
import { SensorFault } from '../../../../src/sensors/live/source.js';
import { PI4_CHIPS, PI4_OLD_CHIPS, PI5_CHIPS, type FakeChip } from '../../../helpers/fake-sysfs-gpio.js';

const asInfo = (chips: readonly FakeChip[]): GpioChipInfo[] => chips.map((c) => ({ ...c, name: `gpiochip${c.base}` }));
const pi5 = asInfo(PI5_CHIPS);
const pi4 = asInfo(PI4_CHIPS);
const pi4Old = asInfo(PI4_OLD_CHIPS);
const PI4_LABELS = ['pinctrl-bcm2711', 'pinctrl-bcm2835'];

function faultOf(run: () => unknown): SensorFault {
  try {
    run();
  } catch (err) {
    if (err instanceof SensorFault) return err;
    throw err;
  }
  throw new Error('expected a SensorFault');
}

describe('resolveGpioLine', () => {
  it.each([
    ['Pi 5 (base 571)', pi5, ['pinctrl-rp1'], 588],
    ['Pi 4 on kernel >= 6.2 (base 512)', pi4, PI4_LABELS, 529],
    ['Pi 4 on an older kernel (base 0)', pi4Old, PI4_LABELS, 17],
  ])('%s: the global number is base + pin', (_board, chips, labels, globalNumber) => {
    const line = resolveGpioLine(chips, { pin: 17, chip: undefined }, labels);
    expect(line.offset).toBe(17);
    expect(line.globalNumber).toBe(globalNumber);
  });

  it('takes the first header label that is present', () => {
    const bcm2835 = [{ name: 'gpiochip0', label: 'pinctrl-bcm2835', base: 0, ngpio: 54 }];
    expect(resolveGpioLine(bcm2835, { pin: 4, chip: undefined }, PI4_LABELS).chip.label).toBe('pinctrl-bcm2835');
  });

  it.each(['pinctrl-rp1', 'gpiochip571', '/sys/class/gpio/gpiochip571', '/sys/class/gpio/gpiochip571/'])('finds the chip by %s', (chip) => {
    const line = resolveGpioLine(pi5, { pin: 4, chip }, []);
    expect(line.chip.label).toBe('pinctrl-rp1');
    expect(line.globalNumber).toBe(575);
  });

  it('an explicit chip wins over the header chip', () => {
    expect(resolveGpioLine(pi5, { pin: 3, chip: 'gpio-brcmstb@107d508500' }, ['pinctrl-rp1']).globalNumber).toBe(515);
  });

  it('a pin beyond the chip is SPATIA_GPIO_CHIP naming its range', () => {
    const fault = faultOf(() => resolveGpioLine(pi5, { pin: 54, chip: undefined }, ['pinctrl-rp1']));
    expect(fault.code).toBe('SPATIA_GPIO_CHIP');
    expect(fault.message).toContain('0..53');
  });

  it('an unknown label is SPATIA_GPIO_CHIP listing the chips found', () => {
    const fault = faultOf(() => resolveGpioLine(pi4, { pin: 4, chip: 'pinctrl-rp1' }, []));
    expect(fault.code).toBe('SPATIA_GPIO_CHIP');
    expect(fault.message).toContain('pinctrl-bcm2711 (gpiochip512, base 512, 58 lines)');
    expect(fault.message).toContain('raspberrypi-exp-gpio');
  });

  it('a gpiodetect-style name that sysfs does not use explains the two numberings', () => {
    const fault = faultOf(() => resolveGpioLine(pi4, { pin: 4, chip: 'gpiochip0' }, []));
    expect(fault.message).toMatch(/write the chip label/);
  });

  it('without a header chip on the machine, asks for chip:', () => {
    const fault = faultOf(() => resolveGpioLine(pi4, { pin: 4, chip: undefined }, ['pinctrl-rp1']));
    expect(fault.code).toBe('SPATIA_GPIO_CHIP');
    expect(fault.message).toContain("none of the board's header chips (pinctrl-rp1)");
  });

  it('an unknown board works with a single chip and refuses to guess among several', () => {
    const single = [{ name: 'gpiochip0', label: 'some-chip', base: 0, ngpio: 8 }];
    expect(resolveGpioLine(single, { pin: 7, chip: undefined }, []).globalNumber).toBe(7);
    expect(faultOf(() => resolveGpioLine(pi4, { pin: 4, chip: undefined }, [])).message).toContain('the board is unknown');
  });

  it('explains a resolution in one line', () => {
    const text = explainGpioLine(resolveGpioLine(pi5, { pin: 17, chip: undefined }, ['pinctrl-rp1']));
    expect(text).toBe("pin 17 -> line 17 of pinctrl-rp1 (gpiochip571, base 571, 54 lines) = sysfs gpio588 (the board's header chip)");
  });
});
