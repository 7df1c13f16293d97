import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/** The real CLI as users run it (bin/spatia.js over the compiled dist/, built by `npm test`). */
function spatia(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/spatia.js', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spatia-cli-'));
});

const RANDOM = `version: 1
sensors:
  - {id: level, kind: mock, signal: {random_walk: {start: 50, step: 5, min: 0, max: 100}}}
conditions:
  - {id: high, when: level > 60}
`;

describe('spatia validate', () => {
  it('accepts the demo with a one-line summary, exit 0', () => {
    const r = spatia('validate', 'config/demo.yaml');
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    expect(r.out).toMatch(/^config\/demo\.yaml: valid: 2 zones, 5 sensors, 3 patterns, 7 conditions at 10 Hz/);
  });

  it('prints every problem as file:line:col path: message and exits 78', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'version: 1\nruntime:\n  tick_rat: 10 Hz\nsensors:\n  - {id: t, kind: mock, signal: {constant: 1}}\nconditions:\n  - {id: c, when: "tt > 1"}\n');
    const r = spatia('validate', file);
    expect(r.code).toBe(78);
    expect(r.out.trim().split('\n')).toEqual([
      `${file}:3:3 runtime.tick_rat: unknown key "tick_rat"; did you mean "tick_rate"? [SPATIA_CONFIG_UNKNOWN_KEY]`,
      `${file}:7:20 conditions[0].when: unknown id "tt"; did you mean "t"? [SPATIA_CONFIG_REFERENCE]`,
    ]);
    expect(r.err).toMatch(/invalid \(2 errors\)/);
  });

  it('exits 2 on bad usage and 78 on a missing file', () => {
    expect(spatia('validate').code).toBe(2);
    expect(spatia('validate', join(dir, 'nope.yaml')).code).toBe(78);
    expect(spatia('frobnicate').code).toBe(2);
  });
});

describe('spatia sim', () => {
  it('same config and seed give a byte-identical log; another seed another log', () => {
    const file = join(dir, 'random.yaml');
    writeFileSync(file, RANDOM);
    const a = spatia('sim', file, '--duration', '5min', '--seed', '7');
    const b = spatia('sim', file, '--duration', '5min', '--seed', '7');
    const c = spatia('sim', file, '--duration', '5min', '--seed', '8');
    expect(a.code).toBe(0);
    expect(a.out.length).toBeGreaterThan(100);
    expect(a.out).toBe(b.out);
    expect(c.out).not.toBe(a.out);
  });

  it('writes --out, prints a summary on stderr, and both evaluation modes agree', () => {
    const out = join(dir, 'demo.jsonl');
    const r = spatia('sim', 'config/demo.yaml', '--duration', '10min', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/spatia sim: 6000 ticks \(10\.00 min simulated\) in [0-9.]+ s; \d+ edges, \d+ actions, \d+ sensor events/);
    const log = readFileSync(out, 'utf8');
    for (const line of log.trim().split('\n')) {
      const rec = JSON.parse(line) as { t: number; tick: number; type: string };
      expect(Object.keys(rec).slice(0, 3)).toEqual(['t', 'tick', 'type']);
      expect(rec.t).toBeCloseTo(rec.tick / 10, 9);
    }
    const poll = spatia('sim', 'config/demo.yaml', '--duration', '10min', '--mode', 'poll');
    expect(poll.out).toBe(log);
  });

  it('--speed paces on the real clock and still gives the same log', () => {
    const file = join(dir, 'random.yaml');
    writeFileSync(file, RANDOM);
    const fast = spatia('sim', file, '--duration', '2s');
    const paced = spatia('sim', file, '--duration', '2s', '--speed', '20');
    expect(paced.code).toBe(0);
    expect(paced.out).toBe(fast.out);
  });

  it('rejects bad options with exit 2 and invalid configs with 78', () => {
    expect(spatia('sim', 'config/demo.yaml', '--duration', '5m').code).toBe(2);
    expect(spatia('sim', 'config/demo.yaml', '--speed', 'fast').code).toBe(2);
    expect(spatia('sim').code).toBe(2);
    const file = join(dir, 'cyclic.yaml');
    writeFileSync(file, 'version: 1\npatterns:\n  - {id: a, kind: expr, value: b}\n  - {id: b, kind: expr, value: a}\n');
    const r = spatia('sim', file);
    expect(r.code).toBe(78);
    expect(r.err).toMatch(/cycle: a -> b -> a/);
  });

  it('--explain ID prints the parts of a condition around its edges on stderr; the log is unchanged', () => {
    const plain = spatia('sim', 'config/demo.yaml', '--duration', '10min');
    const r = spatia('sim', 'config/demo.yaml', '--duration', '10min', '--explain', 'lobby_hot', '--explain-window', '2');
    expect(r.code).toBe(0);
    expect(r.out).toBe(plain.out);
    expect(r.err).toMatch(/^explain lobby_hot: rising at t=\S+ \(tick \d+\)\n {2}tick \|\s+t \| lobby_hot \| held\(/m);
    expect(spatia('sim', 'config/demo.yaml', '--explain', 'lobby').code).toBe(2);
  });

});

describe('a reader that goes away', () => {
  it('spatia sim | head: the command ends quietly with exit 0, no stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['bin/spatia.js', 'sim', 'config/demo.yaml', '--duration', '2h'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    // Read the first chunk, then close the pipe, as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(err).not.toMatch(/EPIPE|Unhandled/);
  }, 60_000);
});
