/**
 * `spatia sim --state-dir`: a simulation that stops (or is SIGKILLed) and is started again on the
 * same state directory goes on where it stopped, and the log in `--out` ends up exactly the log
 * of a run that was never interrupted. Real CLI (bin/spatia.js over dist/), real child processes,
 * real kills, real files.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { type FSWatcher, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, watch, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng as prng } from '../../unit/persistence/helpers.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const BIN = join(ROOT, 'bin', 'spatia.js');
const KILLS = Number(process.env['SPATIA_SIM_KILLS'] ?? 30);
let work = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'spatia-sim-resume-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function spatia(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

interface Kill {
  /** SIGKILL this long after the run started ticking (see {@link ticking}). */
  readonly afterMs: number;
  /** Then SIGKILL as soon as a checkpoint's temporary file appears here (a write in progress). */
  readonly onCheckpointWriteIn?: string;
}

/**
 * When a run is past its start (node, loading, building the engine, restoring and replaying): a
 * resumed run says so on stderr just before it ticks; a fresh one creates or truncates its log.
 * Timing kills from here rather than from the spawn keeps them mid-run however slow the machine
 * is to start a process, and however that changes from one run to the next.
 */
function ticking(out: string, err: () => string): () => boolean {
  const mtime = (): number | undefined => (existsSync(out) ? statSync(out).mtimeMs : undefined);
  const before = mtime();
  return () => err().includes('resuming ') || mtime() !== before;
}

/** Runs `spatia sim` until it ends or `kill` says so (then SIGKILL); the exit. */
async function simUntil(args: string[], out: string, kill: Kill | undefined): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  const started = ticking(out, () => err);
  const child: ChildProcess = spawn(process.execPath, [BIN, 'sim', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  let watcher: FSWatcher | undefined;
  let fallback: NodeJS.Timeout | undefined;
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    timer = setTimeout(() => {
      const dir = kill?.onCheckpointWriteIn;
      if (dir === undefined || !existsSync(dir)) return void child.kill('SIGKILL');
      watcher = watch(dir, (_event, name) => {
        if (name?.endsWith('.tmp') === true) child.kill('SIGKILL');
      });
      fallback = setTimeout(() => child.kill('SIGKILL'), 2000);
    }, kill?.afterMs);
  };
  const poll =
    kill === undefined
      ? undefined
      : setInterval(() => {
          if (!started()) return;
          clearInterval(poll);
          arm();
        }, 5);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('exit', (c, s) => resolve([c, s])));
  clearInterval(poll);
  clearTimeout(timer);
  clearTimeout(fallback);
  watcher?.close();
  return { code, signal, err };
}


/**
 * Cuts the log at a random byte after the last record the newest checkpoint covers, as a kill in
 * the middle of writing a log chunk (or a power cut losing its unsynced tail) would: possibly in
 * the middle of a line, possibly between two records of the same tick. Returns 1 if it cut.
 */
function tearLog(out: string, dir: string, random: () => number): number {
  // Killed before the run opened its log (a slow start on a loaded machine): nothing to tear.
  if (!existsSync(out)) return 0;
  const inspect = spatia('checkpoint', 'inspect', dir, '--json');
  const covered = (JSON.parse(inspect.out) as { latest?: { tick: number } }).latest?.tick ?? -1;
  const text = readFileSync(out, 'utf8');
  let min = 0;
  for (let at = 0; at < text.length; ) {
    const end = text.indexOf('\n', at);
    if (end < 0 || (JSON.parse(text.slice(at, end)) as { tick: number }).tick > covered) break;
    min = at = end + 1;
  }
  const bytes = Buffer.byteLength(text);
  if (bytes - Buffer.byteLength(text.slice(0, min)) < 2) return 0;
  const minBytes = Buffer.byteLength(text.slice(0, min));
  truncateSync(out, minBytes + 1 + Math.floor(random() * (bytes - minBytes - 1)));
  return 1;
}

const HELD = `version: 1
runtime: {tick_rate: 10 Hz, checkpoint_every: 5s, initial: fire}
sensors:
  - {id: c, kind: mock, signal: {constant: 1}}
conditions:
  - {id: long, when: "held(c > 0, 60s)"}
`;

/** Windows, held, seq, hysteresis and random walks; several records per tick (edge + actions). */
const BUSY = `version: 1
runtime: {tick_rate: 10 Hz, checkpoint_every: 1300ms, initial: fire}
sensors:
  - {id: temp, kind: mock, signal: {random_walk: {start: 20, step: 0.4, min: 10, max: 30}}}
  - {id: level, kind: mock, sample_every: 300ms, signal: {random_walk: {start: 50, step: 6, min: 0, max: 100}}}
  - {id: door, kind: mock, signal: {square: {low: 0, high: 1, period: 47s, duty: 0.3}}}
  - {id: motion, kind: mock, signal: {random_walk: {start: 0, step: 1, min: 0, max: 1}}}
patterns:
  - {id: trend, kind: expr, value: "avg(temp, 2min)"}
conditions:
  - id: warm
    when: avg(temp, 30s) > 21
    actions: [{log: "warm {temp}"}, {log: "trend {trend}"}]
    on_falling: [{log: "cool {temp}"}]
  - {id: spiky, when: "max(level, 10s) - min(level, 10s) > 30", actions: [{log: "spiky"}]}
  - {id: busy, when: "count(level > 60, 20s) > 20"}
  - {id: door_open, when: "held(door > 0, 10s)", actions: [{log: "door open"}]}
  - {id: visitor, when: "seq(door > 0, motion > 0.5, 15s)", actions: [{log: "visitor"}, {log: "again"}]}
  - {id: level_band, when: "hysteresis(level, 30, 70)"}
  - {id: rising_fast, when: "rate(temp, 1min) > 0.02 and temp > trend"}
`;

describe('spatia sim --state-dir', () => {
  it('restart continuity: held(c, 60s) true from t=0, stopped at t=30 and resumed, rises once at t=60', () => {
    const config = join(work, 'held.yaml');
    writeFileSync(config, HELD);
    const dir = join(work, 'held-state');
    const out = join(work, 'held.jsonl');
    const first = spatia('sim', config, '--state-dir', dir, '--out', out, '--duration', '30s');
    expect(first.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('');
    const second = spatia('sim', config, '--state-dir', dir, '--out', out, '--duration', '90s');
    expect(second.code).toBe(0);
    expect(second.err).toMatch(/resuming .*checkpoint at tick 299/);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual([{ t: 60, tick: 600, type: 'edge', id: 'long', edge: 'rising', inputs: { c: 1 } }]);
    // The same as never stopping.
    expect(readFileSync(out, 'utf8')).toBe(spatia('sim', config, '--duration', '90s').out);
  });

  it('restart continuity after a SIGKILL near t=30: the rising edge still comes at t=60, once', async () => {
    const config = join(work, 'held-kill.yaml');
    writeFileSync(config, HELD);
    const dir = join(work, 'held-kill-state');
    const out = join(work, 'held-kill.jsonl');
    const args = [config, '--state-dir', dir, '--out', out, '--duration', '90s'];
    // --speed 20: 90 s of simulated time take 4.5 s; the kill lands around t=34.
    const killed = await simUntil([...args, '--speed', '20'], out, { afterMs: 1700 });
    expect(killed.signal).toBe('SIGKILL');
    expect(readFileSync(out, 'utf8')).toBe('');
    const resumed = await simUntil(args, out, undefined);
    expect(resumed.code).toBe(0);
    expect(resumed.err).toMatch(/resuming /);
    expect(readFileSync(out, 'utf8')).toBe('{"t":60,"tick":600,"type":"edge","id":"long","edge":"rising","inputs":{"c":1}}\n');
  });

  it('refuses a state directory of another configuration (exit 1) and --state-dir without --out (exit 2)', () => {
    const config = join(work, 'held2.yaml');
    writeFileSync(config, HELD);
    const dir = join(work, 'held2-state');
    const out = join(work, 'held2.jsonl');
    expect(spatia('sim', config, '--state-dir', dir, '--out', out, '--duration', '10s').code).toBe(0);
    writeFileSync(config, HELD.replace('60s', '61s'));
    const r = spatia('sim', config, '--state-dir', dir, '--out', out, '--duration', '20s');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/holds the state of another configuration/);
    expect(spatia('sim', config, '--state-dir', dir).code).toBe(2);
    const inspect = spatia('checkpoint', 'inspect', dir);
    expect(inspect.code).toBe(0);
    expect(inspect.out).toMatch(/tick +99 \(t = 9\.9 s\)/);
  });

  it(`crash equivalence: SIGKILLed at ${KILLS} random moments (a checkpoint every 13 ticks) and resumed, the log equals the uninterrupted one`, async () => {
    const config = join(work, 'busy.yaml');
    writeFileSync(config, BUSY);
    const common = ['--duration', '30min', '--seed', '5'];
    const expected = spatia('sim', config, ...common);
    expect(expected.code).toBe(0);
    expect(expected.out.split('\n').length).toBeGreaterThan(200);
    // With a state directory and no interruption: the same log.
    const plainOut = join(work, 'busy-plain.jsonl');
    expect(spatia('sim', config, ...common, '--state-dir', join(work, 'busy-plain'), '--out', plainOut).code).toBe(0);
    expect(readFileSync(plainOut, 'utf8')).toBe(expected.out);

    const dir = join(work, 'busy-state');
    const out = join(work, 'busy.jsonl');
    const random = prng(20261121);
    let killed = 0;
    let runs = 0;
    let replays = 0;
    let grew = 0;
    let previous = '';
    let tears = 0;
    let midCheckpoint = 0;
    const checkpoints = join(dir, 'checkpoints');
    for (;;) {
      runs++;
      expect(runs).toBeLessThan(KILLS + 20);
      // 30 min at 10 Hz is 18,000 ticks; at --speed 150 about 12 s of ticking in all, and the
      // kills take about 7.5 s of it (0 to 500 ms into each run). Every third kill waits for a
      // checkpoint write to start.
      const kill = killed < KILLS ? { afterMs: Math.floor(random() * 500), ...(killed % 3 === 1 ? { onCheckpointWriteIn: checkpoints } : {}) } : undefined;
      const r = await simUntil([config, ...common, '--speed', '150', '--state-dir', dir, '--out', out], out, kill);
      if (/[1-9]\d* journal ticks replayed/.test(r.err)) replays++;
      if (r.signal === 'SIGKILL') {
        killed++;
        if (existsSync(checkpoints) && readdirSync(checkpoints).some((n) => n.endsWith('.tmp'))) midCheckpoint++;
        const text = existsSync(out) ? readFileSync(out, 'utf8') : '';
        // Whatever was written is a prefix of the uninterrupted log, up to a torn last line.
        expect(expected.out.startsWith(text.slice(0, text.lastIndexOf('\n') + 1))).toBe(true);
        if (text.length > previous.length) grew++;
        previous = text;
        if (killed % 3 === 0) tears += tearLog(out, dir, random);
        continue;
      }
      expect(r.err).not.toMatch(/Error|rejected/);
      expect(r.code).toBe(0);
      break;
    }
    expect(killed).toBe(KILLS);
    // The kills landed mid-run (the log grew between them) and resumes replayed journal input.
    expect(grew).toBeGreaterThanOrEqual(KILLS / 2);
    expect(replays).toBeGreaterThan(0);
    expect(midCheckpoint).toBeGreaterThan(0);
    console.log(`sim-resume: ${killed} kills in ${runs} runs (${midCheckpoint} left a checkpoint half written); log grew in ${grew}; ${replays} resumes replayed journal ticks; ${tears} logs torn`);
    expect(readFileSync(out, 'utf8')).toBe(expected.out);
  }, 120_000);
});
