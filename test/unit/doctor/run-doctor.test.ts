import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import { formatReport, formatReportJson } from '../../../src/doctor/format-report.js';
import { runDoctor } from '../../../src/doctor/run-doctor.js';
import { stateDirOf } from '../../../src/doctor/state-dir-check.js';
import { PI, PI_IN_GROUPS, fakeMachine, pi5Tree } from './fake-machine.js';
import { PROFILES, model } from './models.js';

const MOCK_ONLY = 'sensors: [{id: a, kind: mock, signal: {constant: 1}}]';

describe('runDoctor without a config: the machine overview', () => {
  it('reports node, board, groups, chips, buses and UARTs of a Pi 5', async () => {
    const results = await runDoctor(fakeMachine(pi5Tree(), { user: PI_IN_GROUPS }), { profiles: PROFILES });
    expect(formatReport(results)).toEqual([
      'ok   node: v20.19.0',
      'ok   board: pi5 (Raspberry Pi 5), detected from model "Raspberry Pi 5 Model B Rev 1.0"',
      'ok   user: pi (uid 1000)',
      'ok   group gpio: pi has it (gpio sensors and actions)',
      'ok   group i2c: pi has it (i2c sensors)',
      'ok   group dialout: pi has it (serial sensors)',
      'ok   gpio: chips: gpio-brcmstb@107d508500 (gpiochip512, 32 lines), pinctrl-rp1 (gpiochip571, 54 lines)',
      'ok   gpio: header chip pinctrl-rp1 is gpiochip571 (base 571, 54 lines)',
      'ok   i2c: buses: /dev/i2c-1',
      'ok   serial: header UART /dev/ttyAMA0 (TXD = GPIO14 (pin 8), RXD = GPIO15 (pin 10))',
      'spatia doctor: 10 ok, 0 warnings, 0 failed: ready',
    ]);
  });

  it('on a laptop: generic board, warnings with fixes, nothing failed', async () => {
    const results = await runDoctor(fakeMachine({ '/etc/group': 'dialout:x:20:\n' }), { profiles: PROFILES });
    const text = formatReport(results);
    expect(text).toContain('ok   board: no /proc/device-tree/model (not a single-board computer): generic profile, no header chip');
    expect(text).toContain('warn group gpio: group gpio does not exist (needed for gpio sensors and actions) -> fix: sudo groupadd -r gpio && sudo usermod -aG gpio pi, then log out and in again');
    expect(text).toContain('warn group dialout: pi is not in dialout (needed for serial sensors) -> fix: sudo usermod -aG dialout pi, then log out and in again (a service gets it at its next restart)');
    expect(text.at(-1)).toBe('spatia doctor: 3 ok, 5 warnings, 0 failed: ready, with warnings');
  });

  it('fails an old Node', async () => {
    const [node] = await runDoctor(fakeMachine({}, { nodeVersion: '18.19.1' }), { profiles: PROFILES });
    expect(node).toMatchObject({ status: 'fail', message: 'v18.19.1 is older than 20' });
  });
});

describe('runDoctor with a config', () => {
  it('checks only what the deployment needs', async () => {
    const results = await runDoctor(fakeMachine(pi5Tree(), { user: PI_IN_GROUPS }), { profiles: PROFILES, model: model(MOCK_ONLY) });
    expect(results.map((r) => r.subject)).toEqual(['node', 'board', 'user', 'state_dir']);
  });

  it('warns when runtime.board disagrees with the machine; an unknown board is a config error', async () => {
    const env = fakeMachine(pi5Tree(), { user: PI_IN_GROUPS });
    const [, mismatch] = await runDoctor(env, { profiles: PROFILES, model: model(`runtime: {board: pi4}\n${MOCK_ONLY}`) });
    expect(mismatch).toMatchObject({ status: 'warn', message: 'runtime.board is pi4 but this machine is "Raspberry Pi 5 Model B Rev 1.0" (pi5)' });
    const r = loadConfigText(`version: 1\nruntime: {board: rock5}\n${MOCK_ONLY}`, 'site.yaml');
    expect(r.issues.sorted().map(formatIssue)).toEqual(['site.yaml:2:18 runtime.board: expected one of pi4, pi5, jetson-orin-nano, generic, got "rock5" [SPATIA_CONFIG_VALUE]']);
  });

  it('state_dir: writable, creatable, or not', async () => {
    const tree = pi5Tree({ '/srv/spatia': { dir: true, mode: 0o755, uid: 0 }, '/var/lib/spatia': { dir: true, mode: 0o750, uid: 1000 } });
    const run = async (yaml: string) => (await runDoctor(fakeMachine(tree, { user: PI }), { profiles: PROFILES, model: model(yaml) })).at(-1);
    expect(await run(MOCK_ONLY)).toEqual({ status: 'ok', subject: 'state_dir', message: '/home/pi/.spatia does not exist yet; it will be created (in /home/pi)' });
    expect(await run(`runtime: {state_dir: /var/lib/spatia}\n${MOCK_ONLY}`)).toMatchObject({ status: 'ok', message: '/var/lib/spatia is writable' });
    const denied = await run(`runtime: {state_dir: /srv/spatia/state}\n${MOCK_ONLY}`);
    expect(denied).toMatchObject({ status: 'fail', message: '/srv/spatia/state does not exist and pi cannot create it in /srv/spatia' });
    expect(denied?.fix).toMatch(/^sudo install -d -o pi \/srv\/spatia\/state/);
  });

  it('state_dir defaults to $STATE_DIRECTORY, then ./.spatia', () => {
    const m = model(MOCK_ONLY);
    expect(stateDirOf(m, fakeMachine({}, { stateDirectory: '/var/lib/spatia:/var/lib/other' }))).toBe('/var/lib/spatia');
    expect(stateDirOf(m, fakeMachine({}))).toBe('/home/pi/.spatia');
  });
});

describe('the report', () => {
  it('prints fixes after FAIL lines and one JSON object with --json', () => {
    const results = [
      { status: 'ok', subject: 'node', message: 'v20.19.0' },
      { status: 'fail', subject: '/dev/i2c-1', message: 'missing', fix: 'sudo raspi-config nonint do_i2c 0', code: 'SPATIA_I2C_BUS' },
    ] as const;
    expect(formatReport(results)).toEqual([
      'ok   node: v20.19.0',
      'FAIL /dev/i2c-1: missing -> fix: sudo raspi-config nonint do_i2c 0',
      'spatia doctor: 1 ok, 0 warnings, 1 failed: fix the FAIL lines above',
    ]);
    expect(JSON.parse(formatReportJson(results))).toEqual({ ok: false, counts: { ok: 1, warn: 0, fail: 1 }, checks: results });
  });
});
