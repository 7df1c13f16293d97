import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../../src/cli/cli-io.js';
import { doctorCommand } from '../../../src/cli/doctor-command.js';
import { main } from '../../../src/cli/main.js';
import { PI_IN_GROUPS, fakeMachine, pi5Tree } from './fake-machine.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function recordingIo(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

/** A config file in a fresh folder; its state_dir lives in that folder too. */
function configFile(body: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'spatia-doctor-'));
  temps.push(dir);
  const path = join(dir, 'site.yaml');
  writeFileSync(path, `version: 1\nruntime: {state_dir: ./state}\n${body}`);
  return path;
}

const MOCK_ONLY = 'sensors: [{id: a, kind: mock, signal: {constant: 1}}]\n';
const pi5 = () => fakeMachine(pi5Tree(), { user: PI_IN_GROUPS });

describe('spatia doctor (command)', () => {
  it('exits 2 on bad usage, from main too', async () => {
    const io = recordingIo();
    expect(await main(['doctor', '--frobnicate'], io)).toBe(2);
    expect(io.stderr.at(-1)).toBe('usage: spatia doctor [CONFIG] [--json]');
    expect(await doctorCommand(['a.yaml', 'b.yaml'], recordingIo())).toBe(2);
  });

  it('exits 78 on an invalid config, printing its problems', async () => {
    const io = recordingIo();
    expect(await doctorCommand([configFile('sensors: [{id: a, kind: lazer}]\n')], io, { env: pi5() })).toBe(78);
    expect(io.stderr.join('\n')).toMatch(/SPATIA_CONFIG/);
  });

  it('exits 0 when nothing failed, with one line per check and a summary', async () => {
    const io = recordingIo();
    const config = configFile(MOCK_ONLY);
    // The fake machine has the config's folder, owned by pi, so the state directory can be made.
    const env = fakeMachine(pi5Tree({ [dirname(config)]: { dir: true, uid: 1000 } }), { user: PI_IN_GROUPS });
    expect(await doctorCommand([config], io, { env })).toBe(0);
    expect(io.stdout[0]).toBe('ok   node: v20.19.0');
    expect(io.stdout.at(-1)).toBe('spatia doctor: 4 ok, 0 warnings, 0 failed: ready');
  });

  it('exits 1 when something failed; --json prints one object', async () => {
    const io = recordingIo();
    const config = configFile('sensors: [{id: t, kind: i2c, bus: 4, device: tmp102}]\n');
    expect(await doctorCommand([config, '--json'], io, { env: pi5() })).toBe(1);
    expect(io.stdout).toHaveLength(1);
    const report = JSON.parse(io.stdout[0] ?? '') as { ok: boolean; checks: Array<{ subject: string; status: string; code?: string }> };
    expect(report.ok).toBe(false);
    expect(report.checks.find((c) => c.subject === '/dev/i2c-4')).toMatchObject({ status: 'fail', code: 'SPATIA_I2C_BUS' });
  });

  it('without CONFIG checks the machine only', async () => {
    const io = recordingIo();
    expect(await doctorCommand([], io, { env: pi5() })).toBe(0);
    expect(io.stdout).toContain('ok   gpio: header chip pinctrl-rp1 is gpiochip571 (base 571, 54 lines)');
  });

  // The installed CLI runs the compiled files: this needs `npm run build` (npm test does it first).
  it.skipIf(!existsSync('dist/cli/doctor-command.js'))('runs as `node bin/spatia.js doctor CONFIG --json` on this machine', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/spatia.js', 'doctor', configFile(MOCK_ONLY), '--json']);
    const report = JSON.parse(stdout) as { ok: boolean; checks: Array<{ subject: string }> };
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.subject)).toEqual(['node', 'board', 'user', 'state_dir']);
  });
});
