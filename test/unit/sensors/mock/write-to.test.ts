import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Frame, ReadStatus } from '../../../../src/core/frame.js';
import { ConstantSignal } from '../../../../src/sensors/mock/constant-signal.js';
import { CsvSignal } from '../../../../src/sensors/mock/csv-signal.js';
import { PathsSignal } from '../../../../src/sensors/mock/paths-signal.js';
import { seedFor } from '../../../../src/sensors/mock/prng.js';
import { RandomWalkSignal } from '../../../../src/sensors/mock/random-walk-signal.js';
import { sampleTime } from '../../../../src/sensors/mock/sample-time.js';
import type { Signal } from '../../../../src/sensors/mock/signal.js';
import { SineSignal } from '../../../../src/sensors/mock/sine-signal.js';
import { SquareSignal } from '../../../../src/sensors/mock/square-signal.js';
import { StepsSignal } from '../../../../src/sensors/mock/steps-signal.js';
import { writeValue } from '../../../../src/sensors/mock/write-value.js';

const S = 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'spatia-write-to-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Each kind twice, built alike, so the stateful random walk can be read through both paths. */
const kinds: Array<[string, () => Signal]> = [
  ['sine', () => new SineSignal(20.25, 3.7, 7_300_000, 1_100_000)],
  ['square', () => new SquareSignal(-1.5, 12.75, 3_300_000, 0.37)],
  ['random_walk', () => new RandomWalkSignal(50, 2.5, 0, 100, seedFor(7, 'walk'))],
  ['steps (numbers)', () => new StepsSignal([[2 * S, 1.25], [5 * S, -7], [9 * S, 1e-9], [9 * S, -0]])],
  ['steps (mixed)', () => new StepsSignal([[0, false], [S, true], [2 * S, 'x'], [3 * S, { a: [1] }], [4 * S, null], [5 * S, 3]])],
  ['csv', () => new CsvSignal('rec.csv', 't', 'v', dir)],
  ['constant number', () => new ConstantSignal(21.5)],
  ['constant string', () => new ConstantSignal('open')],
  ['paths', () => new PathsSignal({ alice: [[0, 1, 5], [4 * S, 9, 5]], bob: [[S, 8, 3], [3 * S, 12, 3]] })],
];

describe('Signal.writeTo', () => {
  writeFileSync(join(dir, 'rec.csv'), 't,v\n0.5,1.5\n2,\n3.25,true\n4,-2e3\n5,closed\n');

  it.each(kinds)('%s writes what valueAt returns, at every time, into the slot only', (_name, make) => {
    const byValue = make();
    const byWrite = make();
    const expected = new Frame(3);
    const got = new Frame(3);
    const at = sampleTime();
    // Every 37 ms over 12 s, then far past 2^31 us.
    const times = [...Array.from({ length: 330 }, (_, i) => i * 37_000), ...Array.from({ length: 50 }, (_, i) => 2 ** 40 + i * 100_000)];
    for (const tUs of times) {
      expected.obj[1] = undefined;
      got.obj[1] = undefined;
      const want = writeValue(byValue.valueAt(tUs), expected, 1);
      at[0] = tUs;
      expect(byWrite.writeTo(at, got, 1)).toBe(want);
      if (want === ReadStatus.Ok) {
        expect(Object.is(got.num[1], expected.num[1])).toBe(true);
        expect(got.obj[1]).toEqual(expected.obj[1]);
      }
    }
    for (const f of [got, expected]) {
      expect([f.num[0], f.num[2], f.obj[0], f.obj[2]]).toEqual([0, 0, undefined, undefined]);
      expect(Array.from(f.status)).toEqual([0, 0, 0]);
    }
  });
});
