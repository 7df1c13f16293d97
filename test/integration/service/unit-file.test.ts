/**
 * systemd/spatia.service and the real-time drop-in: `systemd-analyze verify` accepts them as
 * install-service installs them (skipped only where systemd-analyze is missing), and the keys
 * issue 8 requires are there, and the ones that would break the runtime are not.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderUnit, SERVICE_CONFIG, unitArg } from '../../../src/cli/install-service-command.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TEMPLATE = readFileSync(join(ROOT, 'systemd', 'spatia.service'), 'utf8');
const DROP_IN = readFileSync(join(ROOT, 'systemd', 'spatia-realtime.conf'), 'utf8');
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spatia-unit-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every `Key=value` of a unit file, in order (comments and sections dropped). */
function entries(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('['))
    .map((l) => {
      const i = l.indexOf('=');
      return [l.slice(0, i), l.slice(i + 1)] as [string, string];
    });
}
const keys = (text: string): Map<string, string> => new Map(entries(text));

/** The unit as install-service writes it: ExecStart= names an executable that exists here. */
function installed(supplementaryGroups: readonly string[] = ['gpio', 'i2c', 'dialout']): string {
  const execStart = [process.execPath, join(ROOT, 'bin', 'spatia.js'), 'run', SERVICE_CONFIG].map(unitArg).join(' ');
  return renderUnit(TEMPLATE, { execStart, user: 'spatia', group: 'spatia', supplementaryGroups });
}

/** Runs systemd-analyze verify on `unit` (plus drop-ins) in a fresh folder; lines naming spatia. */
function verify(unit: string, dropIns: Record<string, string> = {}): { status: number | null; complaints: string[]; output: string } {
  const at = mkdtempSync(join(dir, 'v-'));
  writeFileSync(join(at, 'spatia.service'), unit);
  if (Object.keys(dropIns).length > 0) mkdirSync(join(at, 'spatia.service.d'));
  for (const [name, text] of Object.entries(dropIns)) writeFileSync(join(at, 'spatia.service.d', name), text);
  const r = spawnSync('systemd-analyze', ['verify', join(at, 'spatia.service')], { encoding: 'utf8', timeout: 60_000 });
  const output = `${r.stdout}${r.stderr}`;
  return { status: r.status, output, complaints: output.split('\n').filter((l) => /spatia|realtime\.conf/.test(l)) };
}

describe.skipIf(!hasAnalyze)('systemd-analyze verify', () => {
  it('passes on the unit as installed, without a word about it', () => {
    const r = verify(installed());
    expect(r.complaints, r.output).toEqual([]);
    expect(r.status, r.output).toBe(0);
  });

  it('passes with the real-time drop-in, and with no supplementary group left', () => {
    const r = verify(installed([]), { 'realtime.conf': DROP_IN });
    expect(r.complaints, r.output).toEqual([]);
    expect(r.status, r.output).toBe(0);
  });

  it('does complain about a broken unit (so the checks above can fail)', () => {
    const bogus = verify(installed().replace('[Service]\n', '[Service]\nWatchdogSecs=30s\n'));
    expect(bogus.complaints.join('\n')).toMatch(/Unknown key.*WatchdogSecs/);
    const shipped = verify(TEMPLATE);
    if (spawnSync('test', ['-x', '/usr/bin/spatia']).status !== 0) expect(shipped.output).toMatch(/\/usr\/bin\/spatia is not executable/);
  });
});

describe('systemd/spatia.service', () => {
  const unit = keys(TEMPLATE);

  it('is a notify service with a watchdog that restarts on failure but not on a bad config', () => {
    expect(unit.get('Type')).toBe('notify');
    expect(unit.get('NotifyAccess')).toBe('all');
    expect(unit.get('WatchdogSec')).toBe('30s');
    expect(unit.get('Restart')).toBe('on-failure');
    expect(unit.get('RestartSec')).toMatch(/^\d+s$/);
    expect(unit.get('RestartPreventExitStatus')).toBe('78');
    expect(unit.get('ExecStart')).toBe(`/usr/bin/spatia run ${SERVICE_CONFIG}`);
    expect(unit.get('ExecReload')).toBe('/bin/kill -HUP $MAINPID');
    expect(unit.get('KillSignal')).toBe('SIGTERM');
    expect(unit.get('Environment')).toBe('NODE_ENV=production');
    expect(unit.get('WantedBy')).toBe('multi-user.target');
  });

  it('leaves time for the graceful stop (2 s action grace + final checkpoint), bounded', () => {
    const stopS = Number(/^(\d+)s$/.exec(unit.get('TimeoutStopSec') ?? '')?.[1]);
    expect(stopS).toBeGreaterThanOrEqual(10);
    expect(stopS).toBeLessThanOrEqual(60);
  });

  it('runs as its own user with the device groups, its state and config directories', () => {
    expect(unit.get('User')).toBe('spatia');
    expect(unit.get('Group')).toBe('spatia');
    expect(unit.get('SupplementaryGroups')).toBe('gpio i2c dialout');
    expect(unit.get('StateDirectory')).toBe('spatia');
    expect(unit.get('ConfigurationDirectory')).toBe('spatia');
    expect(unit.get('UMask')).toBe('0027');
  });

  it('is hardened as far as GPIO, I2C, serial and MQTT allow', () => {
    for (const [k, v] of Object.entries({
      ProtectSystem: 'strict',
      ProtectHome: 'yes',
      NoNewPrivileges: 'yes',
      PrivateTmp: 'yes',
      PrivateDevices: 'no',
      ProtectControlGroups: 'yes',
      ProtectKernelModules: 'yes',
      ProtectHostname: 'yes',
      RestrictSUIDSGID: 'yes',
      RemoveIPC: 'yes',
      LockPersonality: 'yes',
      SystemCallArchitectures: 'native',
      RestrictAddressFamilies: 'AF_UNIX AF_INET AF_INET6 AF_NETLINK',
    })) {
      expect(unit.get(k), k).toBe(v);
    }
    // Each would break something the runtime does (the unit says why next to each).
    for (const k of ['ProtectKernelTunables', 'RestrictRealtime', 'MemoryDenyWriteExecute', 'ProtectClock', 'ProcSubset', 'DeviceAllow', 'PrivateUsers']) {
      expect(unit.has(k), `${k} must not be set`).toBe(false);
    }
  });

  it('sets every key once', () => {
    const names = entries(TEMPLATE).map(([k]) => k);
    expect(names.filter((k, i) => names.indexOf(k) !== i)).toEqual([]);
  });
});

describe('systemd/spatia-realtime.conf', () => {
  const rt = keys(DROP_IN);

  it('runs the tick loop SCHED_FIFO with the limits it needs', () => {
    expect(rt.get('CPUSchedulingPolicy')).toBe('fifo');
    const prio = Number(rt.get('CPUSchedulingPriority'));
    expect(prio).toBeGreaterThanOrEqual(1);
    expect(prio).toBeLessThan(50);
    expect(Number(rt.get('LimitRTPRIO'))).toBeGreaterThanOrEqual(prio);
    expect(rt.get('LimitMEMLOCK')).toBe('infinity');
    expect(rt.has('RestrictRealtime')).toBe(false);
  });
});
