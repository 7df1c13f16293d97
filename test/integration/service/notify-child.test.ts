/**
 * sd_notify from a real child process to a fake notify socket (issue 8): the READY → WATCHDOG…
 * → STOPPING sequence, pings that stop while progress is frozen (and come back after), the
 * systemd-notify fallback when unix-dgram cannot load, abstract sockets, and pinger timers that
 * do not keep a process alive. Intervals are short (WATCHDOG_USEC=200 ms: a check every 100 ms),
 * and every wait is for an event with a generous deadline, never a timing assertion.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { transpileForChild } from '../persistence/transpile-for-child.js';
import { abstractReceiver, type NotifyReceiver, pathReceiver } from './notify-receiver.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = 'test/integration/service/fixtures/notify-child.ts';
let work = '';
/** The child where unix-dgram resolves (node_modules reachable) and where it does not. */
let withDgram = '';
let withoutDgram = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'spatia-notify-child-'));
  for (const [name, linkModules] of [
    ['with', true],
    ['without', false],
  ] as const) {
    const dir = join(work, name);
    transpileForChild(ROOT, [FIXTURE], dir);
    writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    if (linkModules) symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  }
  withDgram = join(work, 'with', FIXTURE.replace(/\.ts$/, '.js'));
  withoutDgram = join(work, 'without', FIXTURE.replace(/\.ts$/, '.js'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

const hasSystemdNotify = ((): boolean => {
  try {
    accessSync('/usr/bin/systemd-notify', constants.X_OK);
    return true;
  } catch {
    return false;
  }
})();
const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

interface Child {
  proc: ChildProcess;
  events: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number | null>;
}

function start(script: string, socket: string, extraArgs: string[] = []): Child {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', NOTIFY_SOCKET: socket, WATCHDOG_USEC: '200000' };
  const proc = spawn(process.execPath, [script, ...extraArgs], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.push(() => void proc.kill('SIGKILL'));
  const events: Record<string, unknown>[] = [];
  let err = '';
  let partial = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  proc.stdout?.on('data', (d: Buffer) => {
    const lines = (partial + d.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) events.push(JSON.parse(l) as Record<string, unknown>);
  });
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return { proc, events, stderr: () => err, exited };
}

async function until(what: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** The messages without the MAINPID= line systemd-notify adds. */
const bare = (rx: NotifyReceiver): string[] => rx.messages.map((m) => m.replace(/^MAINPID=\d+\n/, ''));
const count = (rx: NotifyReceiver, m: string): number => bare(rx).filter((x) => x === m).length;

async function receiverAt(): Promise<NotifyReceiver> {
  const rx = await pathReceiver(join(mkdtempSync(join(work, 'sock-')), 'notify'));
  cleanups.push(() => rx.close());
  return rx;
}

describe('a child process under a fake notify socket', () => {
  it('sends READY=1, then WATCHDOG=1 while it ticks, then STOPPING=1 on SIGTERM, and exits 0', async () => {
    const rx = await receiverAt();
    const child = start(withDgram, rx.address);
    await until(() => count(rx, 'WATCHDOG=1') >= 4);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    await until(() => bare(rx).includes('STOPPING=1'));
    expect(child.events[0]).toEqual({ event: 'transport', transport: 'datagram' });
    const msgs = bare(rx);
    expect(msgs[0]).toBe('READY=1\nSTATUS=started');
    expect(msgs.at(-1)).toBe('STOPPING=1');
    expect(new Set(msgs.slice(1, -1))).toEqual(new Set(['WATCHDOG=1', 'STATUS=running']));
    expect(child.stderr()).toBe('');
  });

  it('stops the pings while progress is frozen, though the process lives, and resumes them', async () => {
    const rx = await receiverAt();
    const child = start(withDgram, rx.address);
    await until(() => count(rx, 'WATCHDOG=1') >= 3);
    child.proc.kill('SIGUSR1');
    await until(() => child.events.some((e) => e['event'] === 'frozen'));
    const atFreeze = count(rx, 'WATCHDOG=1');
    // Ten check periods. The one check after the freeze may still see ticks made before it.
    await sleep(1000);
    await until(() => bare(rx).includes('STATUS=frozen'));
    expect(count(rx, 'WATCHDOG=1') - atFreeze).toBeLessThanOrEqual(1);
    expect(child.events.filter((e) => e['event'] === 'stall')).toHaveLength(1);
    // systemd would restart it now; here the loop comes back and so do the pings.
    const frozenCount = count(rx, 'WATCHDOG=1');
    child.proc.kill('SIGUSR2');
    await until(() => count(rx, 'WATCHDOG=1') >= frozenCount + 3);
    expect(child.events.some((e) => e['event'] === 'resume')).toBe(true);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
  });

  it('exits by itself when only the pinger is left: its timers are unref\'d', async () => {
    const rx = await receiverAt();
    const child = start(withDgram, rx.address, ['idle']);
    expect(await child.exited).toBe(0);
    expect(bare(rx)[0]).toBe('READY=1\nSTATUS=started');
  });

  it.skipIf(!hasSystemdNotify)('falls back to systemd-notify when unix-dgram cannot load, with the child as MAINPID', async () => {
    const rx = await receiverAt();
    const child = start(withoutDgram, rx.address);
    await until(() => count(rx, 'WATCHDOG=1') >= 2);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.events[0]).toEqual({ event: 'transport', transport: 'systemd-notify' });
    expect(rx.messages[0]).toBe(`MAINPID=${child.proc.pid ?? 0}\nREADY=1\nSTATUS=started`);
    expect(bare(rx).at(-1)).toBe('STOPPING=1');
    expect(child.stderr()).toBe('');
  });

  it.skipIf(!hasSystemdNotify || !hasPython)('reaches an abstract socket (@name) through systemd-notify', async () => {
    const rx = await abstractReceiver(`spatia-test-${process.pid}-${Date.now()}`);
    cleanups.push(() => rx.close());
    const child = start(withDgram, rx.address);
    await until(() => count(rx, 'WATCHDOG=1') >= 1);
    child.proc.kill('SIGTERM');
    expect(await child.exited).toBe(0);
    expect(child.events[0]).toEqual({ event: 'transport', transport: 'systemd-notify' });
    expect(bare(rx)[0]).toBe('READY=1\nSTATUS=started');
    expect(bare(rx).at(-1)).toBe('STOPPING=1');
  });

  it('is silent and still runs without NOTIFY_SOCKET', async () => {
    const child = start(withDgram, '', ['idle']);
    expect(await child.exited).toBe(0);
    expect(child.events[0]).toEqual({ event: 'transport', transport: 'disabled' });
    expect(child.stderr()).toBe('');
  });
});
