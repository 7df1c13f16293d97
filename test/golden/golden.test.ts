import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/config/durations.js';
import { simLog } from '../helpers/simulate.js';

/**
 * Golden tests: each `NAME.yaml` here runs in simulation and must print exactly
 * `NAME.expected.jsonl`, byte for byte, in both evaluation modes. The expected logs were worked
 * out by hand from SPEC §4 (the YAML comments show the arithmetic), not copied from a run.
 * The first `# sim:` line gives --duration and --seed.
 */
const here = dirname(fileURLToPath(import.meta.url));
const cases = readdirSync(here).filter((f) => f.endsWith('.yaml'));

function options(yaml: string): { durationS: number; seed: number } {
  const line = /^# sim:(.*)$/m.exec(yaml)?.[1] ?? '';
  const duration = /--duration (\S+)/.exec(line)?.[1] ?? '10s';
  const seed = Number(/--seed (\S+)/.exec(line)?.[1] ?? '1');
  const d = parseDuration(duration);
  if ('error' in d) throw new Error(d.error);
  return { durationS: d.us / 1e6, seed };
}

describe('golden event logs', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(3));
  for (const file of cases) {
    for (const mode of ['poll', 'event'] as const) {
      it(`${file} (${mode})`, () => {
        const yaml = readFileSync(join(here, file), 'utf8');
        const log = simLog(yaml, { ...options(yaml), mode, baseDir: here });
        const expectedPath = join(here, file.replace(/\.yaml$/, '.expected.jsonl'));
        if (process.env['UPDATE_GOLDEN'] === '1' && mode === 'poll') writeFileSync(expectedPath, log);
        expect(log).toBe(readFileSync(expectedPath, 'utf8'));
      });
    }
  }
});
