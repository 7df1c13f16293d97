import { describe, expect, it } from 'vitest';
import { didYouMean, levenshtein, suggest } from '../../../src/config/did-you-mean.js';

describe('levenshtein', () => {
  it.each([
    ['', '', 0],
    ['abc', '', 3],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['tick_rat', 'tick_rate', 1],
    ['flaw', 'lawn', 2],
    ['µs', 'us', 1],
  ])('%j -> %j is %d', (a, b, d) => {
    expect(levenshtein(a, b)).toBe(d);
    expect(levenshtein(b, a)).toBe(d);
  });
});

describe('suggest', () => {
  const keys = ['tick_rate', 'tick', 'state_dir', 'checkpoint_every', 'initial', 'resume_max_gap', 'mode', 'board'];

  it('finds the closest key', () => {
    expect(suggest('tick_rat', keys)).toBe('tick_rate');
    expect(suggest('statedir', keys)).toBe('state_dir');
    expect(suggest('checkpoint_evry', keys)).toBe('checkpoint_every');
    expect(suggest('mdoe', keys)).toBe('mode');
  });

  it('allows at least 2 edits for short words and len/3 for long ones', () => {
    expect(suggest('tik', ['tick'])).toBe('tick');
    expect(suggest('ab', ['xy'])).toBe('xy');
    expect(suggest('abc', ['xyz'])).toBeUndefined();
    // 12 characters: up to 4 edits.
    expect(suggest('abcdefghijkl', ['abcdefghXXXX'])).toBe('abcdefghXXXX');
    expect(suggest('abcdefghijkl', ['abcdefgXXXXX'])).toBeUndefined();
    expect(suggest('rsum_max_gp', ['resume_max_gap'])).toBe('resume_max_gap');
  });

  it('returns undefined when nothing is close', () => {
    expect(suggest('colour', keys)).toBeUndefined();
    expect(suggest('anything', [])).toBeUndefined();
  });

  it('prefers a candidate differing only in case', () => {
    expect(suggest('degc', ['deg', 'degC'])).toBe('degC');
    expect(suggest('DEGC', ['degC'])).toBe('degC');
  });

  it('breaks ties by candidate order', () => {
    expect(suggest('ab', ['ac', 'ad'])).toBe('ac');
  });
});

describe('didYouMean', () => {
  it('formats a suggestion or nothing', () => {
    expect(didYouMean('tick_rat', ['tick_rate'])).toBe('; did you mean "tick_rate"?');
    expect(didYouMean('zzz', ['tick_rate'])).toBe('');
  });

  it('also completes an unambiguous abbreviation', () => {
    expect(didYouMean('moving_avg', ['moving_average', 'median'])).toBe('; did you mean "moving_average"?');
    expect(didYouMean('ema', ['exponential_moving_average', 'median'])).toBe('; did you mean "exponential_moving_average"?');
    expect(didYouMean('m', ['moving_average'])).toBe('');
    expect(didYouMean('mvg', ['moving_average', 'moving_sum'])).toBe('');
  });
});
