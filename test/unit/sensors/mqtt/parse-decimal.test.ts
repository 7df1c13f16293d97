import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../../src/sensors/mqtt/parse-decimal.js';

const parse = (s: string): number => parseDecimal(Buffer.from(s, 'latin1'));

describe('parseDecimal', () => {
  it.each([
    ['0', 0],
    ['-0', -0],
    ['12', 12],
    ['-12.5', -12.5],
    ['+3', 3],
    ['.5', 0.5],
    ['5.', 5],
    ['0.1', 0.1],
    ['0.0001', 0.0001],
    ['1e3', 1000],
    ['2.5E-4', 0.00025],
    ['  21.5 \r\n', 21.5],
    ['123456789012345678901234567890', 1.2345678901234568e29],
    ['0.30000000000000004', 0.30000000000000004],
    ['1e-400', 0],
    ['9007199254740993', 9007199254740992],
  ])('%j is %d', (text, value) => {
    expect(Object.is(parse(text), value)).toBe(true);
  });

  it.each(['', ' ', '-', '.', 'e5', '1e', '1e+', 'NaN', 'Infinity', '0x10', '1,5', '12 degC', '1..2', '--1', '1e5.5', 'true'])(
    '%j is not a number',
    (text) => {
      expect(parse(text)).toBeNaN();
    },
  );

  it('reads a number inside a larger buffer (mqtt.js hands out slices)', () => {
    const buf = Buffer.from('xx-4.25yy');
    expect(parseDecimal(buf.subarray(2, 7))).toBe(-4.25);
    const long = Buffer.from('[12345678901234567.5]');
    expect(parseDecimal(long.subarray(1, long.length - 1))).toBe(Number('12345678901234567.5'));
  });

  it('gives exactly what Number() gives for any decimal text', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '2', '5', '7', '9'), minLength: 0, maxLength: 20 });
    const text = fc
      .tuple(fc.constantFrom('', '-', '+'), digits, fc.option(digits), fc.option(fc.tuple(fc.constantFrom('e', 'E-', 'e+'), fc.integer({ min: 0, max: 330 }))))
      .map(([sign, int, frac, exp]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${exp === null ? '' : `${exp[0]}${exp[1]}`}`)
      .filter((s) => /[0-9]/.test(s.split(/[eE]/)[0] ?? ''));
    fc.assert(
      fc.property(text, (s) => Object.is(parse(s), Number(s))),
      { numRuns: 20_000 },
    );
  });

  it('agrees with Number() on every double printed back', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => Object.is(parse(String(d)), Number(String(d)))),
      { numRuns: 20_000 },
    );
  });
});
