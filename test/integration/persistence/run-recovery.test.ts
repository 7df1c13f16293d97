/**
 * `spatia run` with its state directory: SIGKILLed and restarted it goes on where it stopped
 * (held timers, windows, tick numbers, the log in --out); SIGTERM writes a final checkpoint; a
 * long downtime starts temporal state fresh and says why; a changed configuration keeps the state
 * of what did not change and names what starts fresh; damage is reported and worked around. Real
 * child processes on the real clock, real kills, real files.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rng as prng } from '../../unit/persistence/helpers.js';
import { BIN, readLog, type Rec, RunChild, sleep } from './run-child.js';

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'spatia-run-recovery-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function setUp(name: string, body: string, runtime: Record<string, string> = {}): { dir: string; config: string; out: string; state: string } {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'site.yaml');
  const state = join(dir, 'state');
  const keys = Object.entries({ tick_rate: '20 Hz', state_dir: './state', checkpoint_every: '500ms', journal_sync_every: '100ms', ...runtime });
  writeFileSync(config, `version: 1\nruntime: {${keys.map(([k, v]) => `${k}: ${v}`).join(', ')}}\n${body}`);
  return { dir, config, out: join(dir, 'out.jsonl'), state };
}


const HELD = `sensors:
  - {id: door, kind: mock, signal: {constant: 1}}
  - {id: wave, kind: mock, signal: {sine: {mean: 20, amplitude: 10, period: 3s}}}
conditions:
  - {id: open_long, when: 'held(door > 0.5, 4s)'}
  - {id: warm, when: wave > 25}
`;

const engineRecords = (recs: readonly Rec[]): Rec[] => recs.filter((r) => r.type === 'edge' || r.type === 'sensor');

describe('spatia run: recovery from its state directory', () => {
  it('resumes a held timer across a SIGKILL: held(door, 4s) true from t=0, killed near t=2, rises at t=4 once', async () => {
    const s = setUp('held', HELD);
    const first = new RunChild([s.config, '--out', s.out]);
    await first.waitFor('state in');
    // Past a checkpoint (every 0.5 s) and well short of 4 s of ticks.
    await sleep(2000);
    expect((await first.kill('SIGKILL')).signal).toBe('SIGKILL');
    const second = new RunChild([s.config, '--out', s.out]);
    await second.waitFor(/resumed from .* continuing at tick (\d+)/);
    const m = /continuing at tick (\d+)/.exec(second.err);
    expect(Number(m?.[1])).toBeGreaterThan(10);
    // Until the rising edge is in the log (t=4 s: tick 80), then stop.
    const end = Date.now() + 20_000;
    while (!readLog(s.out).some((r) => r.id === 'open_long') && Date.now() < end) await sleep(100);
    expect((await second.kill('SIGTERM')).code).toBe(0);
    const log = readLog(s.out);
    const edges = log.filter((r) => r.id === 'open_long');
    expect(edges).toEqual([expect.objectContaining({ tick: 80, t: 4, edge: 'rising' })]);
    const recovery = log.filter((r) => r.type === 'recovery');
    expect(recovery).toEqual([expect.objectContaining({ status: 'resumed', tick: Number(m?.[1]) })]);
    // Tick numbers never go back in the log.
    for (let i = 1; i < log.length; i++) expect((log[i] as Rec).tick).toBeGreaterThanOrEqual((log[i - 1] as Rec).tick);
  }, 60_000);

  it('SIGKILLed at 30 random points and resumed each time, the log equals the uninterrupted run (spatia sim) tick for tick', async () => {
    const s = setUp(
      'kills',
      `sensors:
  - {id: wave, kind: mock, signal: {sine: {mean: 20, amplitude: 10, period: 2s}}}
  - {id: beat, kind: mock, signal: {square: {low: 0, high: 1, period: 700ms, duty: 0.3}}}
conditions:
  - {id: warm, when: wave > 25}
  - {id: warm_long, when: 'held(wave > 22, 600ms)'}
  - {id: beat_avg, when: 'avg(beat, 2s) > 0.3'}
  - {id: beats, when: 'count(beat > 0.5, 3s) >= 30'}
  - {id: rising_fast, when: 'rate(wave, 500ms) > 15'}
`,
    );
    const rand = prng(6);
    const kills = Number(process.env['SPATIA_RUN_KILLS'] ?? 30);
    for (let k = 0; k < kills; k++) {
      const child = new RunChild([s.config, '--out', s.out]);
      await child.waitFor(/state in|resumed from/);
      await sleep(50 + Math.floor(rand() * 700));
      await child.kill('SIGKILL');
    }
    const last = new RunChild([s.config, '--out', s.out]);
    await last.waitFor(/resumed from/);
    await sleep(500);
    expect((await last.kill('SIGTERM')).code).toBe(0);

    const live = readLog(s.out);
    // A kill before the first tick's log was released leaves no recovery record: most have one.
    const recoveries = live.filter((r) => r.type === 'recovery');
    expect(recoveries.length).toBeGreaterThanOrEqual(kills / 2);
    expect(recoveries.every((r) => r['status'] === 'resumed')).toBe(true);
    const lastTick = Math.max(...live.map((r) => r.tick));
    expect(lastTick).toBeGreaterThan(60);
    const simOut = join(s.dir, 'sim.jsonl');
    const sim = spawnSync(process.execPath, [BIN, 'sim', s.config, '--duration', `${(lastTick + 1) * 50}ms`, '--out', simOut], { encoding: 'utf8' });
    expect(sim.status, sim.stderr).toBe(0);
    const expected = engineRecords(readLog(simOut)).filter((r) => r.tick <= lastTick);
    expect(expected.length).toBeGreaterThan(20);
    expect(engineRecords(live)).toEqual(expected);
  }, 180_000);

  it('writes a final checkpoint of the last tick on SIGTERM, and the next start resumes it without replay', async () => {
    const s = setUp('sigterm', HELD, { checkpoint_every: '1h' });
    const child = new RunChild([s.config, '--out', s.out]);
    await child.waitFor('state in');
    await sleep(700);
    expect((await child.kill('SIGTERM')).code).toBe(0);
    const m = /last checkpoint at tick (\d+)/.exec(child.err);
    expect(m, child.err).not.toBeNull();
    const files = readdirSync(join(s.state, 'checkpoints'));
    expect(files).toEqual([`checkpoint-${m?.[1]?.padStart(20, '0')}.json`]);
    const again = new RunChild([s.config, '--out', s.out]);
    await again.waitFor(`checkpoint of tick ${m?.[1]}, 0 journaled ticks replayed; continuing at tick ${Number(m?.[1]) + 1}`);
    await again.kill('SIGTERM');
  }, 60_000);

  it('starts temporal state fresh after a downtime longer than resume_max_gap, and says why', async () => {
    const s = setUp('gap', HELD, { resume_max_gap: '500ms' });
    const first = new RunChild([s.config, '--out', s.out]);
    await first.waitFor('state in');
    await sleep(1500);
    await first.kill('SIGTERM');
    await sleep(1200);
    const second = new RunChild([s.config, '--out', s.out]);
    await second.waitFor(/more than resume_max_gap .*continuing at tick (\d+)/);
    const next = Number(/continuing at tick (\d+)/.exec(second.err.split('\n').find((l) => l.includes('resume_max_gap')) ?? '')?.[1]);
    // The held timer restarted: it rises 4 s (80 ticks) after the restart, not at t=4.
    const end = Date.now() + 20_000;
    while (!readLog(s.out).some((r) => r.id === 'open_long' && r.tick > next) && Date.now() < end) await sleep(100);
    await second.kill('SIGTERM');
    const log = readLog(s.out);
    const rec = log.find((r) => r.type === 'recovery');
    expect(rec).toMatchObject({ status: 'fresh', tick: next });
    expect(String(rec?.['reason'])).toMatch(/more than resume_max_gap \(0\.5 s\): temporal state starts fresh/);
    // The first run stopped 2.5 s short of the 4 s; the second started counting again.
    const rising = log.filter((r) => r.id === 'open_long' && r.edge === 'rising');
    expect(rising.map((r) => r.tick)).toEqual([next + 80]);
  }, 60_000);

  it('keeps the state of unchanged conditions across a changed configuration and names the ones that start fresh', async () => {
    const s = setUp('changed', HELD);
    const first = new RunChild([s.config, '--out', s.out]);
    await first.waitFor('state in');
    await sleep(2000);
    await first.kill('SIGTERM');
    // warm changes its threshold, cold is new; open_long is untouched.
    writeFileSync(
      s.config,
      `version: 1\nruntime: {tick_rate: 20 Hz, state_dir: ./state, checkpoint_every: 500ms, journal_sync_every: 100ms}\n${HELD.replace('wave > 25', 'wave > 26')}  - {id: cold, when: wave < 12}\n`,
    );
    const second = new RunChild([s.config, '--out', s.out]);
    await second.waitFor(/the configuration changed: state kept for 1 conditions and patterns, started fresh for 2 \(warm, cold\)|the configuration changed: state kept for 1 conditions and patterns, started fresh for 2 \(cold, warm\)/);
    const end = Date.now() + 20_000;
    while (!readLog(s.out).some((r) => r.id === 'open_long') && Date.now() < end) await sleep(100);
    await second.kill('SIGTERM');
    const log = readLog(s.out);
    expect(log.find((r) => r.type === 'recovery')).toMatchObject({ status: 'resumed', config_changed: true, kept: 1 });
    // The held timer of the unchanged condition survived the change.
    expect(log.filter((r) => r.id === 'open_long')).toEqual([expect.objectContaining({ tick: 80, edge: 'rising' })]);
  }, 60_000);

  it('falls back to the previous checkpoint when the newest is corrupt, and cuts a torn journal tail', async () => {
    const s = setUp('damage', HELD);
    const first = new RunChild([s.config, '--out', s.out]);
    await first.waitFor('state in');
    await sleep(1500);
    await first.kill('SIGKILL');
    const cps = readdirSync(join(s.state, 'checkpoints')).sort();
    expect(cps.length).toBe(2);
    writeFileSync(join(s.state, 'checkpoints', cps[1] as string), '{"spatia":"spatia-checkpoint"');
    const segs = readdirSync(join(s.state, 'journal')).sort();
    const seg = join(s.state, 'journal', segs[segs.length - 1] as string);
    // A record torn by the power cut: a length field and half a payload.
    writeFileSync(seg, Buffer.from([40, 0, 0, 0, 1, 2, 3]), { flag: 'a' });
    const second = new RunChild([s.config, '--out', s.out]);
    await second.waitFor(/resumed from/);
    await second.kill('SIGTERM');
    expect(second.err).toMatch(/checkpoint .* rejected \(truncated\)/);
    expect(second.err).toMatch(/journal.*cut/i);
    const tick = Number(/checkpoint-0*(\d+)\.json/.exec(cps[0] as string)?.[1]);
    expect(second.err).toContain(`checkpoint of tick ${tick}`);
  }, 60_000);

  it('keeps running in memory with a loud health event when the state directory cannot be written', async () => {
    const s = setUp('refused', HELD);
    // A file where the directory should be: nothing can be created under it.
    writeFileSync(s.state, 'not a directory');
    const child = new RunChild([s.config, '--out', s.out]);
    await child.waitFor('state in');
    await sleep(1500);
    expect((await child.kill('SIGTERM')).code).toBe(0);
    // A warn-level line of the diagnostic log (journald) names the cause.
    expect(child.err).toMatch(/"level":"warn".*journal: .*(ENOTDIR|not a directory)/i);
    const log = readLog(s.out);
    expect(log.some((r) => r.type === 'persistence' && r.status !== 'ok')).toBe(true);
    // The run went on: the sine crossed 25 within 1.5 s.
    expect(log.some((r) => r.id === 'warm')).toBe(true);
  }, 60_000);
});

describe('spatia run: owed actions across a restart', () => {
  it('an action cut short by SIGTERM is checkpointed and carried out by the next start', async () => {
    const requests: Array<{ phase: number; body: string }> = [];
    let phase = 1;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        requests.push({ phase, body });
        // The first run's request hangs until shutdown aborts it.
        if (phase === 2) res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const s = setUp(
        'owed',
        `sensors:
  - {id: door, kind: mock, signal: {constant: 1}}
conditions:
  - id: opened
    when: door > 0.5
    actions:
      - http: {url: "http://127.0.0.1:${port}/hook", body: {door: "{door}"}, timeout: 30s, retries: 0}
`,
      );
      const first = new RunChild([s.config, '--out', s.out]);
      await first.waitFor('state in');
      const end = Date.now() + 10_000;
      while (requests.length === 0 && Date.now() < end) await sleep(50);
      expect(requests).toHaveLength(1);
      expect((await first.kill('SIGTERM')).code).toBe(0);
      phase = 2;
      const second = new RunChild([s.config, '--out', s.out]);
      await second.waitFor('1 owed action runs taken up again');
      const end2 = Date.now() + 10_000;
      while (requests.length < 2 && Date.now() < end2) await sleep(50);
      await second.kill('SIGTERM');
      expect(requests).toEqual([
        { phase: 1, body: '{"door":1}' },
        { phase: 2, body: '{"door":1}' },
      ]);
      const log = readLog(s.out).filter((r) => r.type === 'action');
      expect(log.map((r) => [r['status'], r['edge_tick']])).toEqual([
        ['failed', 0],
        ['ok', 0],
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 60_000);
});
