/**
 * `spatia run` as systemd runs it: a real child process with NOTIFY_SOCKET pointing at a fake
 * notify socket (READY after recovery and the first tick, WATCHDOG only while ticks progress,
 * STATUS, STOPPING), bounded graceful shutdown on SIGTERM, and SIGHUP reloads (a valid config
 * keeps held timers; an invalid one is rejected and the old one keeps running).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, readLog, RunChild, sleep } from '../persistence/run-child.js';
import { pathReceiver } from './notify-receiver.js';

let work = '';
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'spatia-run-service-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const SITE = (extra = ''): string => `version: 1
runtime: {tick_rate: 20 Hz, state_dir: ./state, checkpoint_every: 500ms, journal_sync_every: 100ms}
sensors:
  - {id: door, kind: mock, signal: {constant: 1}}
  - {id: wave, kind: mock, signal: {sine: {mean: 20, amplitude: 10, period: 3s}}}
conditions:
  - {id: open_long, when: 'held(door > 0.5, 4s)'}
  - {id: warm, when: wave > 25}
${extra}`;

function setUp(name: string, text: string): { dir: string; config: string; out: string } {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'site.yaml');
  writeFileSync(config, text);
  return { dir, config, out: join(dir, 'out.jsonl') };
}

async function until(what: string, cond: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('spatia run under systemd (fake notify socket)', () => {
  it('sends READY=1 after recovery and the first tick, WATCHDOG=1 only while ticking, STATUS, then STOPPING=1', async () => {
    const s = setUp('notify', SITE());
    const rx = await pathReceiver(join(s.dir, 'notify.sock'));
    try {
      const child = new RunChild([s.config, '--out', s.out], { ...process.env, NOTIFY_SOCKET: rx.address, WATCHDOG_USEC: '200000' });
      await until('READY=1', () => rx.messages.some((m) => m.startsWith('READY=1')));
      // Recovery was reported before READY.
      expect(child.err).toMatch(/state in .*none yet; starting at tick 0/);
      expect(rx.messages.find((m) => m.startsWith('READY=1'))).toMatch(/STATUS=.*Hz/);
      await until('watchdog pings', () => rx.messages.filter((m) => m === 'WATCHDOG=1').length >= 3);

      // A frozen process (SIGSTOP) sends nothing; once thawed, pings resume.
      child.proc.kill('SIGSTOP');
      await sleep(200);
      const before = rx.messages.length;
      await sleep(800);
      expect(rx.messages.length).toBe(before);
      child.proc.kill('SIGCONT');
      await until('pings after SIGCONT', () => rx.messages.slice(before).includes('WATCHDOG=1'));

      const t0 = Date.now();
      expect((await child.kill('SIGTERM')).code).toBe(0);
      // Bounded: well within systemd's TimeoutStopSec (the actions' grace is 2 s).
      expect(Date.now() - t0).toBeLessThan(10_000);
      const last = rx.messages.filter((m) => m !== 'WATCHDOG=1' && !m.startsWith('STATUS='));
      expect(last[last.length - 1]).toBe('STOPPING=1');
      expect(child.err).toMatch(/last checkpoint at tick \d+/);
    } finally {
      rx.close();
    }
  }, 60_000);

  it('a frozen tick loop stops the watchdog pings: the tick awaits forever, timers still fire', async () => {
    const s = setUp(
      'stall',
      SITE(`  - id: stall
    when: wave > 28
    actions: [{log: "stalling"}]
`),
    );
    const rx = await pathReceiver(join(s.dir, 'notify.sock'));
    try {
      // SPATIA_TEST_STALL_AT_TICK (fault injection, LiveRunOptions.stallAtTick) makes tick 30
      // await a promise that never settles; the event loop and its timers keep running.
      const child = new RunChild([s.config], { ...process.env, NOTIFY_SOCKET: rx.address, WATCHDOG_USEC: '200000', SPATIA_TEST_STALL_AT_TICK: '30' });
      await until('READY=1', () => rx.messages.some((m) => m.startsWith('READY=1')));
      await until('the stall', () => child.err.includes('SPATIA_WATCHDOG_STALL'), 10_000);
      const stalledAt = rx.messages.length;
      await sleep(800);
      expect(rx.messages.slice(stalledAt).filter((m) => m === 'WATCHDOG=1')).toEqual([]);
      // STATUS keeps coming (every 10 s by default: not within this window), the process is alive.
      expect(child.proc.exitCode).toBeNull();
      await child.kill('SIGKILL');
    } finally {
      rx.close();
    }
  }, 60_000);

  it('SIGHUP with an invalid config is rejected with its errors; with a valid one, held timers survive the swap', async () => {
    const s = setUp('reload', SITE());
    const rx = await pathReceiver(join(s.dir, 'notify.sock'));
    try {
      const child = new RunChild([s.config, '--out', s.out], { ...process.env, NOTIFY_SOCKET: rx.address });
      await until('READY=1', () => rx.messages.some((m) => m.startsWith('READY=1')));
      await sleep(1000);

      writeFileSync(s.config, SITE().replace('wave > 25', 'wave >'));
      child.proc.kill('SIGHUP');
      await child.waitFor('SPATIA_CONFIG_RELOAD');
      expect(child.err).toMatch(/reload rejected: .*site\.yaml:\d+:\d+ .*when/);
      await until('READY after the rejected reload', () => rx.messages.filter((m) => m.startsWith('READY=1')).length >= 2);
      expect(rx.messages.filter((m) => m.startsWith('RELOADING=1'))).toHaveLength(1);
      expect(rx.messages.find((m) => m.startsWith('RELOADING=1'))).toMatch(/MONOTONIC_USEC=\d+/);

      // A valid change: warm's threshold moves, cold is new, open_long is untouched.
      writeFileSync(s.config, SITE('  - {id: cold, when: wave < 12}\n').replace('wave > 25', 'wave > 26'));
      // spatia reload CONFIG validates, then signals the run of that state_dir.
      const r = spawnSync(process.execPath, [BIN, 'reload', s.config], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      await child.waitFor(/swapped in at tick \d+/);
      await until('open_long rises', () => readLog(s.out).some((x) => x['id'] === 'open_long'), 20_000);
      expect((await child.kill('SIGTERM')).code).toBe(0);

      const log = readLog(s.out);
      // The held timer started at tick 0 and survived the reload: it rose at t=4 s, once.
      expect(log.filter((x) => x['id'] === 'open_long')).toEqual([expect.objectContaining({ tick: 80, edge: 'rising' })]);
      const rec = log.find((x) => x.type === 'recovery' && x['config_changed'] === true);
      expect(rec).toMatchObject({ status: 'resumed', kept: 1 });
      expect([...(rec?.['fresh'] as string[])].sort()).toEqual(['cold', 'warm']);
      // Tick numbers went on across the swap.
      for (let i = 1; i < log.length; i++) expect((log[i] as { tick: number }).tick).toBeGreaterThanOrEqual((log[i - 1] as { tick: number }).tick);
    } finally {
      rx.close();
    }
  }, 60_000);

  it('spatia reload with a config that has errors reports them and signals nothing', () => {
    const s = setUp('reload-bad', SITE().replace('wave > 25', 'wave >'));
    const r = spawnSync(process.execPath, [BIN, 'reload', s.config], { encoding: 'utf8' });
    expect(r.status).toBe(78);
    expect(r.stderr).toMatch(/site\.yaml:\d+:\d+/);
    expect(r.stderr).toMatch(/nothing was reloaded/);
  });
});

describe('spatia run: a second signal forces the exit', () => {
  it('SIGTERM waits for the tick in progress; a second SIGTERM exits at once with status 1', async () => {
    const s = setUp('force', SITE());
    // The tick loop hangs at tick 10, so the graceful stop cannot complete.
    const child = new RunChild([s.config], { ...process.env, SPATIA_TEST_STALL_AT_TICK: '10' });
    await child.waitFor('state in');
    await sleep(1200);
    child.proc.kill('SIGTERM');
    await child.waitFor('SIGTERM: stopping');
    await sleep(300);
    expect(child.proc.exitCode).toBeNull();
    const t0 = Date.now();
    const { code } = await child.kill('SIGTERM');
    expect(code).toBe(1);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(child.err).toMatch(/SIGTERM again: exiting now/);
  }, 30_000);
});

describe('spatia run --metrics', () => {
  it('serves Prometheus metrics and a /status JSON on loopback while it runs', async () => {
    const s = setUp('metrics', SITE());
    const child = new RunChild([s.config, '--metrics', '127.0.0.1:0']);
    await child.waitFor(/metrics: http:\/\/127\.0\.0\.1:\d+\/metrics/);
    const port = Number(/metrics: http:\/\/127\.0\.0\.1:(\d+)\//.exec(child.err)?.[1]);
    await sleep(1500);
    const status = (await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as Record<string, unknown>;
    expect(status).toMatchObject({ targetRateHz: 20, overruns: expect.any(Number) as unknown, outbox: null });
    expect(status['ticks']).toBeGreaterThan(10);
    expect(status['sensors']).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'door', kind: 'mock', status: 'ok', value: 1 })]));
    expect(status['conditions']).toEqual(expect.arrayContaining([{ id: 'open_long', state: false }]));
    expect(status['journal']).toMatchObject({ lastSyncedTick: expect.any(Number) as unknown });
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    expect(text).toMatch(/^spatia_ticks_total \d+/m);
    expect(text).toMatch(/^spatia_sensor_up\{sensor="door",kind="mock"\} 1/m);
    expect(text).toMatch(/^spatia_condition_state\{condition="open_long"\} 0/m);
    expect(text).toMatch(/^process_resident_memory_bytes /m);
    expect((await child.kill('SIGTERM')).code).toBe(0);
  }, 30_000);

  it('a port in use fails the start with SPATIA_METRICS_LISTEN; a bad address is a usage error', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const s = setUp('metrics-busy', SITE());
      const r = spawnSync(process.execPath, [BIN, 'run', s.config, '--metrics', `127.0.0.1:${port}`, '--duration', '1s'], { encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/SPATIA_METRICS_LISTEN/);
      const bad = spawnSync(process.execPath, [BIN, 'run', s.config, '--metrics', 'nonsense:port'], { encoding: 'utf8' });
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/--metrics/);
    } finally {
      blocker.close();
    }
  }, 30_000);
});
