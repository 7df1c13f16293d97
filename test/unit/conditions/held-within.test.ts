/** held and within (SPEC §4.3), tick by tick, and against the SPEC's definition in microseconds. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HeldOp } from '../../../src/conditions/held-op.js';
import { ticksAtLeast, ticksWithin } from '../../../src/conditions/temporal-op.js';
import { WithinOp } from '../../../src/conditions/within-op.js';
import { bits, P10_US, showBits } from './helpers.js';

function runHeld(ticks: number, c: readonly number[]): number[] {
  const op = new HeldOp(ticks);
  return c.map((v, k) => op.eval(v, k));
}

function runWithin(ticks: number, c: readonly number[]): number[] {
  const op = new WithinOp(ticks);
  return c.map((v, k) => op.eval(v, k));
}

describe('ticksAtLeast / ticksWithin', () => {
  it.each([
    // durationUs, periodUs, atLeast, within
    [2_000_000, 100_000, 20, 20],
    [500_000, 100_000, 5, 5],
    [250_000, 100_000, 3, 2],
    [550_000, 100_000, 6, 5],
    [0, 100_000, 0, 0],
    [1_000_000, 333_333, 4, 3], // a `tick: 333333us` period: 3 ticks are 0.999999 s < 1 s
    [1_000_000, 1e6 / 3, 3, 3], // `tick_rate: 3 Hz` keeps the exact period: 3 ticks are 1 s
    [2_000_000, 1e6 / 3, 6, 6],
    [1_000_000, 250_000, 4, 4],
  ])('D=%i µs at P=%i µs: atLeast %i, within %i', (d, p, atLeast, within) => {
    expect(ticksAtLeast(d, p)).toBe(atLeast);
    expect(ticksWithin(d, p)).toBe(within);
    // The defining properties.
    expect(atLeast * p).toBeGreaterThanOrEqual(d);
    if (atLeast > 0) expect((atLeast - 1) * p).toBeLessThan(d);
    expect(within * p).toBeLessThanOrEqual(d);
    expect((within + 1) * p).toBeGreaterThan(d);
  });
});

describe('held(c, D)', () => {
  it('SPEC example: 10 Hz, c true from t=1.0, held(c, 2s) is false at 2.9 and true from 3.0', () => {
    const ticks = ticksAtLeast(2_000_000, P10_US);
    expect(ticks).toBe(20);
    const c = bits('0000000000 1111111111 1111111111 1111111111');
    const out = runHeld(ticks, c);
    expect(showBits(out)).toBe(showBits(bits('0000000000 0000000000 0000000000 1111111111')));
    expect(out[29]).toBe(0); // t = 2.9
    expect(out[30]).toBe(1); // t = 3.0 exactly
  });

  const cases: Array<{ name: string; durationUs: number; periodUs?: number; c: string; out: string }> = [
    { name: 'true at exactly D (0.5 s, run from tick 2 -> tick 7)', durationUs: 500_000, c: '0011111111', out: '0000000111' },
    { name: 'D = 0.55 s needs 6 ticks (0.5 s is not enough)', durationUs: 550_000, c: '0011111111', out: '0000000011' },
    { name: 'D = 0.25 s (period does not divide D): 3 ticks', durationUs: 250_000, c: '0111111', out: '0000111' },
    { name: 'D = 0: true at every true tick', durationUs: 0, c: '0110?1 1', out: '0110?1 1' },
    { name: 'a false tick resets the run', durationUs: 300_000, c: '11111 0 1111111', out: '00011 0 0001111' },
    { name: 'a single false tick at the boundary resets', durationUs: 300_000, c: '111 0 1111', out: '000 0 0001' },
    { name: 'an unknown tick breaks the run: NaN there, duration restarts', durationUs: 300_000, c: '11111 ? 1111111', out: '00011 ? 0001111' },
    { name: 'unknown before any true is unknown; false is false', durationUs: 100_000, c: '??0?11', out: '??0?01' },
    { name: '3 Hz, D = 1 s: 4 ticks of 333 333 µs (3 ticks are 0.999999 s)', durationUs: 1_000_000, periodUs: 333_333, c: '0111111', out: '0000011' },
    { name: '3 Hz, D = 2/3 s (666 666 µs): exactly 2 ticks', durationUs: 666_666, periodUs: 333_333, c: '0111111', out: '0001111' },
  ];

  it.each(cases)('$name', ({ durationUs, periodUs, c, out }) => {
    const ticks = ticksAtLeast(durationUs, periodUs ?? P10_US);
    expect(showBits(runHeld(ticks, bits(c)))).toBe(showBits(bits(out)));
  });

  it('nextDue: the tick the duration is reached, Infinity otherwise', () => {
    const op = new HeldOp(20);
    expect(op.eval(0, 0)).toBe(0);
    expect(op.nextDue(0)).toBe(Infinity);
    op.eval(1, 10);
    expect(op.nextDue(10)).toBe(30);
    op.eval(1, 29);
    expect(op.nextDue(29)).toBe(30);
    expect(op.eval(1, 30)).toBe(1);
    expect(op.nextDue(30)).toBe(Infinity);
    expect(op.eval(NaN, 31)).toBeNaN();
    expect(op.nextDue(31)).toBe(Infinity);
    const zero = new HeldOp(0);
    expect(zero.eval(1, 5)).toBe(1);
    expect(zero.nextDue(5)).toBe(Infinity);
  });

  it('reset forgets the run', () => {
    const op = new HeldOp(2);
    op.eval(1, 0);
    op.eval(1, 1);
    op.reset();
    expect(op.eval(1, 2)).toBe(0);
    expect(op.eval(1, 4)).toBe(1);
  });

  it('matches the SPEC definition in microseconds (property, several tick rates)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(100_000, 333_333, 50_000, 142_857, 1_000_000),
        fc.integer({ min: 0, max: 3_000_000 }),
        fc.array(fc.constantFrom(0, 1, 1, 1, NaN), { minLength: 1, maxLength: 80 }),
        (periodUs, durationUs, c) => {
          const out = runHeld(ticksAtLeast(durationUs, periodUs), c);
          // SPEC: true iff c_k is true and t_k - t_(first tick of the current true run) >= D.
          let runStart = -1;
          c.forEach((v, k) => {
            if (v === 1) {
              if (runStart < 0) runStart = k;
            } else runStart = -1;
            const want = v === 1 ? (k * periodUs - runStart * periodUs >= durationUs ? 1 : 0) : v !== v ? NaN : 0;
            if (!Object.is(out[k], want)) throw new Error(`tick ${k}: held ${out[k]} != ${want}`);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('within(c, D)', () => {
  const cases: Array<{ name: string; durationUs: number; periodUs?: number; c: string; out: string }> = [
    { name: 'true at t_j and up to and including t_j + D (0.5 s), false after', durationUs: 500_000, c: '0000000000 1000000000', out: '0000000000 1111110000' },
    { name: 'D = 0.25 s at 10 Hz: 2 ticks back still count, the third does not', durationUs: 250_000, c: '0100000', out: '0111000' },
    { name: 'D = 0: only the true ticks', durationUs: 0, c: '0101100', out: '0101100' },
    { name: 'repeated trues extend the window', durationUs: 500_000, c: '1001000000000', out: '1111111110000' },
    { name: 'a long true stretch: true through its end + D', durationUs: 200_000, c: '0111110000', out: '0111111100' },
    { name: 'unknown now and never true -> unknown', durationUs: 300_000, c: '??0??', out: '??0??' },
    { name: 'unknown now but true within D -> true; once expired -> unknown', durationUs: 300_000, c: '??1?????0', out: '??1111??0' },
    { name: '3 Hz, D = 1 s: 3 ticks back (0.999999 s) count', durationUs: 1_000_000, periodUs: 333_333, c: '100000', out: '111100' },
  ];

  it.each(cases)('$name', ({ durationUs, periodUs, c, out }) => {
    const ticks = ticksWithin(durationUs, periodUs ?? P10_US);
    expect(showBits(runWithin(ticks, bits(c)))).toBe(showBits(bits(out)));
  });

  it('nextDue: the first tick past lastTrue + D once c is no longer true', () => {
    const op = new WithinOp(5);
    op.eval(0, 0);
    expect(op.nextDue(0)).toBe(Infinity);
    op.eval(1, 10);
    expect(op.nextDue(10)).toBe(Infinity); // while c stays true the output stays true
    op.eval(0, 11);
    expect(op.nextDue(11)).toBe(16);
    expect(op.eval(0, 15)).toBe(1);
    expect(op.eval(0, 16)).toBe(0);
    expect(op.nextDue(16)).toBe(Infinity);
  });

  it('matches the SPEC definition in microseconds (property, several tick rates)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(100_000, 333_333, 50_000, 142_857, 1_000_000),
        fc.integer({ min: 0, max: 3_000_000 }),
        fc.array(fc.constantFrom(0, 0, 0, 1, NaN), { minLength: 1, maxLength: 80 }),
        (periodUs, durationUs, c) => {
          const out = runWithin(ticksWithin(durationUs, periodUs), c);
          c.forEach((v, k) => {
            // SPEC: c was true at some tick j with t_k - D <= t_j <= t_k.
            let hit = false;
            for (let j = 0; j <= k; j++) if (c[j] === 1 && k * periodUs - durationUs <= j * periodUs) hit = true;
            const want = hit ? 1 : v !== v ? NaN : 0;
            if (!Object.is(out[k], want)) throw new Error(`tick ${k}: within ${out[k]} != ${want}`);
          });
        },
      ),
      { numRuns: 300 },
    );
  });
});
