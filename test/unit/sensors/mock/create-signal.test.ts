import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SignalModel } from '../../../../src/config/model.js';
import { createSignal } from '../../../../src/sensors/mock/create-signal.js';
import { RandomWalkSignal } from '../../../../src/sensors/mock/random-walk-signal.js';
import { seedFor } from '../../../../src/sensors/mock/prng.js';

const dir = mkdtempSync(join(tmpdir(), 'spatia-signal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'rec.csv'), 'time,v\n1,3.5\n');

const opts = { seed: 42, sensorId: 'lobby_temp', baseDir: dir };

describe('createSignal', () => {
  it.each<[string, SignalModel, number, unknown]>([
    ['constant', { kind: 'constant', value: 'on' }, 0, 'on'],
    ['steps', { kind: 'steps', steps: [[0, 1], [10, 2]] }, 10, 2],
    ['sine', { kind: 'sine', mean: 5, amplitude: 2, periodUs: 400, phaseUs: 0 }, 100, 7],
    ['square', { kind: 'square', low: 0, high: 9, periodUs: 10, duty: 0.5 }, 5, 0],
    ['random_walk', { kind: 'random_walk', start: 3, step: 1, min: 0, max: 10 }, 0, 3],
    ['csv', { kind: 'csv', path: 'rec.csv', timeColumn: 'time', valueColumn: 'v' }, 1_000_000, 3.5],
  ])('builds %s', (_kind, model, t, value) => {
    expect(createSignal(model, opts).valueAt(t)).toBe(value);
  });

  it('seeds random_walk from seedFor(seed, sensorId)', () => {
    const model: SignalModel = { kind: 'random_walk', start: 0, step: 1, min: -5, max: 5 };
    const made = createSignal(model, opts);
    const direct = new RandomWalkSignal(0, 1, -5, 5, seedFor(42, 'lobby_temp'));
    const other = createSignal(model, { ...opts, sensorId: 'other' });
    const seq = (s: { valueAt(t: number): unknown }): unknown[] => Array.from({ length: 20 }, (_, i) => s.valueAt(i));
    const expected = seq(direct);
    expect(seq(made)).toEqual(expected);
    expect(seq(other)).not.toEqual(expected);
  });

});
