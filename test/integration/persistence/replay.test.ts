import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `spatia replay` over the journal a `sim --state-dir` recorded (the CLI over dist/). */
const work = mkdtempSync(join(tmpdir(), 'spatia-replay-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function spatia(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/spatia.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const deployment = (threshold: number, extra = ''): string => `version: 1
runtime: {tick_rate: 10 Hz}
sensors:
  - {id: level, kind: mock, signal: {random_walk: {start: 50, step: 5, min: 0, max: 100}}}
  - {id: door, kind: mock, type: boolean, signal: {square: {low: 0, high: 1, period: 7s, duty: 0.3}}}${extra}
conditions:
  - {id: high, when: "avg(level, 2s) > ${threshold}", actions: [{log: "level {level}"}]}
  - {id: open_long, when: door, for: 1s}
`;

describe('spatia replay', () => {
  it('gives the recorded log with the recording config, and another log with a changed one', () => {
    const config = join(work, 'a.yaml');
    writeFileSync(config, deployment(55));
    const dir = join(work, 'state');
    const log = join(work, 'a.jsonl');
    expect(spatia('sim', config, '--state-dir', dir, '--out', log, '--duration', '60s', '--seed', '7').code).toBe(0);
    const recorded = readFileSync(log, 'utf8');
    expect(recorded.length).toBeGreaterThan(0);

    const same = spatia('replay', dir, '--config', config);
    expect(same.code).toBe(0);
    expect(same.out).toBe(recorded);
    expect(same.err).toMatch(/600 ticks \(up to tick 599\)/);

    // Another threshold and a sensor the journal never saw: the same input, other edges.
    const changed = join(work, 'b.yaml');
    writeFileSync(changed, deployment(45, '\n  - {id: spare, kind: mock, signal: {constant: 1}}'));
    const other = spatia('replay', join(dir, 'journal'), '--config', changed);
    expect(other.code).toBe(0);
    const highs = (text: string) => text.split('\n').filter((l) => l.includes('"id":"high"'));
    expect(highs(other.out)).not.toEqual(highs(recorded));
    const doors = (text: string) => text.split('\n').filter((l) => l.includes('"id":"open_long"'));
    expect(doors(other.out)).toEqual(doors(recorded));
  });

  it('bad usage exits 2; a missing journal exits 1', () => {
    expect(spatia('replay', work).code).toBe(2);
    expect(spatia('replay', join(work, 'nope'), '--config', 'config/demo.yaml').code).toBe(1);
  });
});
