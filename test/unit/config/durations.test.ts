import { describe, expect, it } from 'vitest';
import { parseBytes, parseDuration, parseRate } from '../../../src/config/durations.js';

describe('parseDuration', () => {
  it.each([
    ['250us', 250],
    ['250µs', 250],
    ['250μs', 250],
    ['250 us', 250],
    ['500ms', 500_000],
    ['500 ms', 500_000],
    ['30s', 30_000_000],
    ['1.5s', 1_500_000],
    ['.5s', 500_000],
    ['5min', 300_000_000],
    ['5 min', 300_000_000],
    ['1h', 3_600_000_000],
    ['2d', 172_800_000_000],
    ['2 days', 172_800_000_000],
    ['10 seconds', 10_000_000],
    ['0s', 0],
    ['0.1s', 100_000],
    ['1.1s', 1_100_000],
    ['0.0000004s', 0],
    [' 30s ', 30_000_000],
  ])('reads %j as %d µs', (text, us) => {
    expect(parseDuration(text)).toEqual({ us });
  });

  it.each([
    [30, 30_000_000],
    [0, 0],
    [0.25, 250_000],
    ['30', 30_000_000],
    ['1.5', 1_500_000],
    ['2e1', 20_000_000],
  ])('reads the bare number %j as seconds', (v, us) => {
    expect(parseDuration(v)).toEqual({ us });
  });

  it('refuses m, which is metres', () => {
    expect(parseDuration('5m')).toEqual({ error: 'm is metres; write 5min for minutes' });
    expect(parseDuration('1.5 m')).toEqual({ error: 'm is metres; write 1.5min for minutes' });
  });

  it.each([-1, '-1s', '-0.5', '-2 min'])('refuses the negative %j', (v) => {
    expect(parseDuration(v)).toEqual({ error: 'a duration cannot be negative' });
  });

  it.each(['', 'abc', 's', '5 s s', '1h30min', '0x10', 'NaN', 'Infinity', '5.5.5s', null, undefined, true, [1], { s: 1 }, NaN, Infinity])(
    'refuses the garbage %j',
    (v) => {
      const r = parseDuration(v);
      expect(r).toHaveProperty('error');
    },
  );

  it('names an unknown unit', () => {
    expect(parseDuration('3 weeks')).toEqual({
      error: 'unknown time unit "weeks"; expected a duration such as 500ms, 30s, 5min, 1h, 2d or a number of seconds',
    });
  });

  it('refuses durations beyond the safe integer range of microseconds', () => {
    expect(parseDuration('1e12d')).toHaveProperty('error');
  });
});

describe('parseRate', () => {
  it.each([
    ['10 Hz', 100_000],
    ['10Hz', 100_000],
    ['10 hz', 100_000],
    ['2.5 Hz', 400_000],
    ['3 Hz', 1e6 / 3],
    ['1 kHz', 1_000],
    [10, 100_000],
    ['100', 10_000],
    [0.5, 2_000_000],
  ])('reads %j as a period of %d µs', (v, us) => {
    expect(parseRate(v)).toEqual({ us });
  });

  it.each([0, '0 Hz', -5, '-1 Hz', '10 rpm', 'fast', '2 MHz', null, { hz: 1 }])('refuses %j', (v) => {
    expect(parseRate(v)).toHaveProperty('error');
  });

  it('says why a zero rate is refused', () => {
    expect(parseRate('0 Hz')).toEqual({ error: 'a rate must be greater than 0 Hz' });
  });
});

describe('parseBytes', () => {
  it.each([
    ['64MB', 64 * 1024 * 1024],
    ['64 MB', 64 * 1024 * 1024],
    ['512KB', 512 * 1024],
    ['512kb', 512 * 1024],
    ['1GB', 1024 ** 3],
    ['1 GiB', 1024 ** 3],
    ['2MiB', 2 * 1024 ** 2],
    ['4KiB', 4096],
    ['1.5KB', 1536],
    ['100B', 100],
    [1048576, 1048576],
    ['1048576', 1048576],
  ])('reads %j as %d bytes', (v, bytes) => {
    expect(parseBytes(v)).toEqual({ bytes });
  });

  it.each(['-1MB', -5, '12XB', 'lots', '', null, [64]])('refuses %j', (v) => {
    expect(parseBytes(v)).toHaveProperty('error');
  });
});
