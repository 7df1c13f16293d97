/**
 * The sd_notify client against real unix datagram sockets: a receiving socket bound in a temp
 * folder stands in for systemd's /run/systemd/notify.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SdNotify, type SdNotifyOptions, watchdogIntervalUs } from '../../../src/platform/sd-notify.js';
import { loadUnixDatagram } from '../../../src/platform/unix-datagram.js';

let dir = '';
const closers: (() => void)[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spatia-notify-'));
});
afterEach(() => {
  for (const close of closers.splice(0)) close();
  rmSync(dir, { recursive: true, force: true });
});

/** A bound receiving socket; `messages` excludes systemd-notify's BARRIER=1 handshakes. */
async function receiver(): Promise<{ path: string; messages: string[] }> {
  const path = join(dir, 'notify.sock');
  const messages: string[] = [];
  const handle = await (await loadUnixDatagram()).listen(path, (m) => {
    const text = m.toString('utf8');
    if (text !== 'BARRIER=1') messages.push(text);
  });
  closers.push(() => handle.close());
  return { path, messages };
}

async function until(what: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function recordingWarn(): { warnings: [string, string][]; warn: NonNullable<SdNotifyOptions['warn']> } {
  const warnings: [string, string][] = [];
  return { warnings, warn: (m, code) => warnings.push([m, code]) };
}

const failingLoader = (): Promise<never> => Promise.reject(new Error('the optional package unix-dgram cannot be loaded: simulated'));

function hasSystemdNotify(): boolean {
  try {
    accessSync('/usr/bin/systemd-notify', constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

describe('SdNotify without NOTIFY_SOCKET', () => {
  it('is silent: no load, no message, no warning, no error', async () => {
    const { warnings, warn } = recordingWarn();
    let loads = 0;
    const n = SdNotify.fromEnv({}, { warn, loadDatagram: () => ((loads += 1), failingLoader()) });
    expect(n.enabled).toBe(false);
    n.ready('x');
    n.watchdog();
    n.status('s');
    n.stopping();
    n.reloading();
    n.watchdogTrigger();
    n.extendTimeout(1);
    await n.flush();
    expect(await n.transport()).toBe('disabled');
    expect(loads).toBe(0);
    expect(warnings).toEqual([]);
    expect(SdNotify.fromEnv({ NOTIFY_SOCKET: '' }).enabled).toBe(false);
  });
});

describe('SdNotify on a path socket (unix-dgram)', () => {
  it('sends each message as one datagram, in call order', async () => {
    const rx = await receiver();
    const { warnings, warn } = recordingWarn();
    const n = SdNotify.fromEnv({ NOTIFY_SOCKET: rx.path }, { warn });
    expect(await n.transport()).toBe('datagram');
    n.ready();
    n.ready('recovered; 10.00 Hz');
    n.watchdog();
    n.status('line one\nline two\r\n');
    n.watchdogTrigger();
    n.extendTimeout(5_000_000.4);
    n.stopping();
    await n.flush();
    await until(() => rx.messages.length === 7);
    expect(rx.messages).toEqual([
      'READY=1',
      'READY=1\nSTATUS=recovered; 10.00 Hz',
      'WATCHDOG=1',
      'STATUS=line one line two ',
      'WATCHDOG=trigger',
      'EXTEND_TIMEOUT_USEC=5000000',
      'STOPPING=1',
    ]);
    expect(warnings).toEqual([]);
  });

  it('reloading carries MONOTONIC_USEC read from CLOCK_MONOTONIC when called', async () => {
    const rx = await receiver();
    const before = process.hrtime.bigint() / 1000n;
    const n = SdNotify.fromEnv({ NOTIFY_SOCKET: rx.path });
    n.reloading();
    const after = process.hrtime.bigint() / 1000n;
    await n.flush();
    await until(() => rx.messages.length === 1);
    const m = /^RELOADING=1\nMONOTONIC_USEC=(\d+)$/.exec(rx.messages[0] ?? '');
    expect(m).not.toBeNull();
    const usec = BigInt(m?.[1] ?? '0');
    expect(usec >= before && usec <= after).toBe(true);
  });

  it('turns send failures into one warning and keeps trying', async () => {
    const { warnings, warn } = recordingWarn();
    const path = join(dir, 'notify.sock');
    const n = SdNotify.fromEnv({ NOTIFY_SOCKET: path }, { warn });
    for (let i = 0; i < 5; i++) n.watchdog();
    await n.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[1]).toBe('SPATIA_SD_NOTIFY');
    expect(warnings[0]?.[0]).toContain(`sending WATCHDOG=1 to ${path} failed`);
    // The socket appears (systemd came back): messages flow again, without a new warning.
    const rx = await receiver();
    n.watchdog();
    await n.flush();
    await until(() => rx.messages.length === 1);
    expect(warnings).toHaveLength(1);
  });

  it('survives a warn function that throws', async () => {
    const n = SdNotify.fromEnv(
      { NOTIFY_SOCKET: join(dir, 'absent.sock') },
      {
        warn: () => {
          throw new Error('logger down');
        },
      },
    );
    n.watchdog();
    await expect(n.flush()).resolves.toBeUndefined();
  });
});

describe('SdNotify degraded', () => {
  it.skipIf(!hasSystemdNotify())('falls back to systemd-notify --pid when unix-dgram cannot load', async () => {
    const rx = await receiver();
    const { warnings, warn } = recordingWarn();
    const n = SdNotify.fromEnv({ NOTIFY_SOCKET: rx.path }, { warn, loadDatagram: failingLoader });
    expect(await n.transport()).toBe('systemd-notify');
    n.ready('up');
    n.watchdog();
    n.stopping();
    await n.flush();
    await until(() => rx.messages.length === 3);
    // MAINPID is this process, not the systemd-notify child that sent the datagram.
    expect(rx.messages).toEqual([`MAINPID=${process.pid}\nREADY=1\nSTATUS=up`, `MAINPID=${process.pid}\nWATCHDOG=1`, `MAINPID=${process.pid}\nSTOPPING=1`]);
    expect(warnings).toEqual([]);
  });

  it('warns once and sends nothing when neither unix-dgram nor systemd-notify is there', async () => {
    const rx = await receiver();
    const { warnings, warn } = recordingWarn();
    const n = SdNotify.fromEnv({ NOTIFY_SOCKET: rx.path }, { warn, loadDatagram: failingLoader, systemdNotifyPath: join(dir, 'no-systemd-notify') });
    n.ready();
    n.watchdog();
    n.stopping();
    await n.flush();
    expect(await n.transport()).toBe('none');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[0]).toMatch(/cannot notify systemd \(the optional package unix-dgram cannot be loaded: simulated; .*no-systemd-notify is missing\)/);
    expect(warnings[0]?.[0]).toContain('npm rebuild unix-dgram');
    await new Promise((r) => setTimeout(r, 50));
    expect(rx.messages).toEqual([]);
  });

  it('warns once about an address that is not a unix socket', async () => {
    const { warnings, warn } = recordingWarn();
    const n = SdNotify.fromEnv({ NOTIFY_SOCKET: 'vsock:2:9999' }, { warn });
    n.ready();
    n.watchdog();
    await n.flush();
    expect(await n.transport()).toBe('none');
    expect(warnings.map((w) => w[0])).toEqual([expect.stringContaining('NOTIFY_SOCKET=vsock:2:9999 is not a unix socket path')]);
  });

  it('reports a failing systemd-notify run as one warning', async () => {
    const { warnings, warn } = recordingWarn();
    // No receiver: systemd-notify itself fails to send and exits non-zero.
    const n = SdNotify.fromEnv({ NOTIFY_SOCKET: join(dir, 'absent.sock') }, { warn, loadDatagram: failingLoader });
    if ((await n.transport()) !== 'systemd-notify') return;
    n.watchdog();
    n.watchdog();
    await n.flush();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.[0]).toMatch(/sending WATCHDOG=1 .* failed: \/usr\/bin\/systemd-notify exited with 1/);
  });
});

describe('watchdogIntervalUs', () => {
  it('reads WATCHDOG_USEC when it is for this process', () => {
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '30000000' }, 42)).toBe(30_000_000);
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42)).toBe(30_000_000);
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: String(process.pid) })).toBe(30_000_000);
  });

  it('is undefined without a watchdog, for another process, or for garbage', () => {
    expect(watchdogIntervalUs({}, 42)).toBeUndefined();
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '41' }, 42)).toBeUndefined();
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '0' }, 42)).toBeUndefined();
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '-5' }, 42)).toBeUndefined();
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '30s' }, 42)).toBeUndefined();
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '' }, 42)).toBeUndefined();
    expect(watchdogIntervalUs({ WATCHDOG_USEC: '99999999999999999999' }, 42)).toBeUndefined();
  });
});
