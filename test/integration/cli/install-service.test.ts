/**
 * `spatia install-service`, through the real CLI (bin/spatia.js over dist/, built by `npm test`):
 * --root writes the files under a temp folder (modes, contents, the unit as installed), --dry-run
 * changes nothing and prints one line per step. The system-wide steps (useradd, chown,
 * systemctl) are checked as the dry run prints them, and with a fake machine in-process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { installServiceCommand, type InstallServiceDeps } from '../../../src/cli/install-service-command.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TEMPLATE = readFileSync(join(ROOT, 'systemd', 'spatia.service'), 'utf8');
const STARTER = readFileSync(join(ROOT, 'systemd', 'spatia.yaml'), 'utf8');
const EXEC_START = `ExecStart=${process.execPath} ${realpathSync(join(ROOT, 'bin', 'spatia.js'))} run /etc/spatia/spatia.yaml`;

function spatia(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['bin/spatia.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(4, '0');

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spatia-install-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const SITE = `version: 1
runtime:
  tick_rate: 10 Hz
  state_dir: ./state
sensors:
  - {id: t, kind: mock, signal: {constant: 21}}
conditions:
  - {id: warm, when: t > 20}
`;

describe('spatia install-service --root DIR', () => {
  it('installs the config (with secrets.yaml), the state directory and the unit, with their modes', () => {
    const site = join(dir, 'site');
    mkdirSync(site);
    writeFileSync(join(site, 'site.yaml'), SITE);
    writeFileSync(join(site, 'secrets.yaml'), 'mqtt_password: hunter2\n');
    const img = join(dir, 'img');
    const r = spatia('install-service', '--root', img, '--config', join(site, 'site.yaml'));
    expect(r.code, r.err).toBe(0);

    expect(r.out.trim().split('\n')).toEqual([
      `mkdir 0750 ${img}/etc/spatia`,
      `write 0640 ${img}/etc/spatia/spatia.yaml (from ${site}/site.yaml)`,
      `write 0640 ${img}/etc/spatia/secrets.yaml (from ${site}/secrets.yaml)`,
      `mkdir 0750 ${img}/var/lib/spatia`,
      `write 0644 ${img}/etc/systemd/system/spatia.service (from ${ROOT}/systemd/spatia.service)`,
    ]);
    expect(readFileSync(join(img, 'etc/spatia/spatia.yaml'), 'utf8')).toBe(SITE);
    expect(readFileSync(join(img, 'etc/spatia/secrets.yaml'), 'utf8')).toBe('mqtt_password: hunter2\n');
    expect(mode(join(img, 'etc/spatia'))).toBe('0750');
    expect(mode(join(img, 'etc/spatia/spatia.yaml'))).toBe('0640');
    expect(mode(join(img, 'etc/spatia/secrets.yaml'))).toBe('0640');
    expect(mode(join(img, 'var/lib/spatia'))).toBe('0750');
    expect(mode(join(img, 'etc/systemd/system/spatia.service'))).toBe('0644');
    // Parents it had to create are ordinary folders, not private ones.
    expect(mode(join(img, 'var/lib'))).toBe('0755');

    // The unit is the template with ExecStart naming this node and this spatia; nothing else
    // changes (no /etc/group in the image: the groups stay as shipped).
    const unit = readFileSync(join(img, 'etc/systemd/system/spatia.service'), 'utf8');
    expect(unit).toBe(TEMPLATE.replace(/^ExecStart=.*$/m, EXEC_START));

    // --root touches no user and runs no systemctl, and says what is left to do.
    expect(r.out).not.toMatch(/^\$ /m);
    expect(r.err).toMatch(/--root: no user, ownership or systemctl/);
    expect(r.err).toMatch(/spatia-realtime\.conf \/etc\/systemd\/system\/spatia\.service\.d\/realtime\.conf/);
    // state_dir ./state would land in /etc/spatia, read-only for the service.
    expect(r.err).toMatch(/warning: runtime\.state_dir becomes \/etc\/spatia\/state .*ProtectSystem=strict/);
  });

  it('writes the starter config without --config, keeps an existing one on a second run, and the starter is valid', () => {
    const img = join(dir, 'img');
    const first = spatia('install-service', '--root', img);
    expect(first.code, first.err).toBe(0);
    const config = join(img, 'etc/spatia/spatia.yaml');
    expect(readFileSync(config, 'utf8')).toBe(STARTER);
    expect(spatia('validate', config).code).toBe(0);

    writeFileSync(config, SITE);
    const again = spatia('install-service', '--root', img);
    expect(again.code, again.err).toBe(0);
    expect(readFileSync(config, 'utf8')).toBe(SITE);
    expect(again.err).toContain(`keeping ${config} (--config FILE replaces it)`);
    expect(again.out).not.toContain('spatia.yaml');
  });

  it('lists only the device groups the image has in SupplementaryGroups=', () => {
    const img = join(dir, 'img');
    mkdirSync(join(img, 'etc'), { recursive: true });
    writeFileSync(join(img, 'etc/group'), 'root:x:0:\ndialout:x:20:\ngpio:x:997:\n');
    expect(spatia('install-service', '--root', img).code).toBe(0);
    const unit = readFileSync(join(img, 'etc/systemd/system/spatia.service'), 'utf8');
    expect(unit).toMatch(/^SupplementaryGroups=gpio dialout$/m);
  });

  it('refuses an invalid --config with its errors, exit 78, and writes nothing', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\nsensors:\n  - {id: t, kind: mock, signal: {constant: 1}}\nconditions:\n  - {id: c, when: "tt > 1"}\n');
    const img = join(dir, 'img');
    const r = spatia('install-service', '--root', img, '--config', bad);
    expect(r.code).toBe(78);
    expect(r.err).toContain(`${bad}:5:20 conditions[0].when: unknown id "tt"`);
    expect(r.err).toContain('nothing was installed');
    expect(existsSync(img)).toBe(false);
  });

  it('names the path that failed and what to do', () => {
    const img = join(dir, 'img');
    mkdirSync(join(img, 'etc'), { recursive: true });
    writeFileSync(join(img, 'etc/spatia'), 'a file where the folder belongs');
    const r = spatia('install-service', '--root', img);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(new RegExp(`spatia install-service: mkdir ${img}/etc/spatia failed: .*; check the path`));
  });

  it('exits 2 on bad usage', () => {
    expect(spatia('install-service', '--frobnicate').code).toBe(2);
    expect(spatia('install-service', 'extra').code).toBe(2);
    expect(spatia('install-service', '--user', 'Bad Name', '--dry-run').code).toBe(2);
    expect(spatia('--help').out).toContain('spatia install-service [--config FILE]');
  });
});

describe('spatia install-service --dry-run', () => {
  it('changes nothing under --root and prints what it would write', () => {
    const img = join(dir, 'img');
    const r = spatia('install-service', '--dry-run', '--root', img);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(img)).toBe(false);
    expect(r.out.trim().split('\n')).toEqual([
      `mkdir 0750 ${img}/etc/spatia`,
      `write 0640 ${img}/etc/spatia/spatia.yaml (from ${ROOT}/systemd/spatia.yaml (a starter: edit it))`,
      `mkdir 0750 ${img}/var/lib/spatia`,
      `write 0644 ${img}/etc/systemd/system/spatia.service (from ${ROOT}/systemd/spatia.service)`,
    ]);
    expect(r.err).toMatch(/dry run: nothing is changed/);
  });

  it('prints the system-wide steps, user and systemctl included, and changes nothing', () => {
    const before = ['/etc/spatia', '/var/lib/spatia', '/etc/systemd/system/spatia.service'].map(existsSync);
    const r = spatia('install-service', '--dry-run');
    expect(r.code, r.err).toBe(0);
    expect(['/etc/spatia', '/var/lib/spatia', '/etc/systemd/system/spatia.service'].map(existsSync)).toEqual(before);
    const lines = r.out.trim().split('\n');
    const userExists = spawnSync('getent', ['passwd', 'spatia']).status === 0;
    if (!userExists) expect(lines[0]).toMatch(/^\$ useradd --system --no-create-home --home-dir \/var\/lib\/spatia --shell \/usr\/sbin\/nologin (--user-group|--gid spatia) spatia$/);
    expect(lines).toContain('mkdir 0750 /etc/spatia');
    expect(lines).toContain('mkdir 0750 /var/lib/spatia');
    expect(lines).toContain(`write 0644 /etc/systemd/system/spatia.service (from ${ROOT}/systemd/spatia.service)`);
    expect(lines).toContain('$ chown spatia:spatia /var/lib/spatia');
    expect(lines.slice(-2)).toEqual(['$ systemctl daemon-reload', '$ systemctl enable --now spatia']);
    const noEnable = spatia('install-service', '--dry-run', '--no-enable');
    expect(noEnable.out).toContain('$ systemctl daemon-reload');
    expect(noEnable.out).not.toContain('enable --now');
    expect(noEnable.err).toContain('start it with: sudo systemctl enable --now spatia');
  });
});

describe('installServiceCommand on a fake machine', () => {
  function io(): { out: string[]; err: string[]; io: { out: (l: string) => void; err: (l: string) => void } } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (l) => out.push(l), err: (l) => err.push(l) } };
  }

  it('refuses to run without root, saying how to run it, and runs nothing', () => {
    const ran: string[][] = [];
    const t = io();
    const deps: InstallServiceDeps = { getuid: () => 1000, run: (argv) => (ran.push([...argv]), { status: 0, stderr: '' }) };
    expect(installServiceCommand([], t.io, deps)).toBe(1);
    expect(t.err.join('\n')).toMatch(/must run as root.*sudo.*--dry-run/s);
    expect(t.out).toEqual([]);
    expect(ran).toEqual([]);
    // A dry run needs no root.
    expect(installServiceCommand(['--dry-run'], io().io, { ...deps, exists: () => false })).toBe(0);
    expect(ran).toEqual([]);
  });

  it('adds an existing user to the device groups that exist, with its own login group', () => {
    const t = io();
    const groups = new Set(['i2c', 'dialout']);
    const deps: InstallServiceDeps = {
      getuid: () => 1000,
      exists: (db, name) => (db === 'passwd' ? name === 'pi' : groups.has(name)),
      primaryGroup: () => 'pi',
    };
    expect(installServiceCommand(['--dry-run', '--user', 'pi'], t.io, deps)).toBe(0);
    expect(t.out.filter((l) => l.startsWith('$ '))).toEqual([
      '$ usermod -aG i2c,dialout pi',
      '$ chown -R root:pi /etc/spatia',
      '$ chown pi:pi /var/lib/spatia',
      '$ systemctl daemon-reload',
      '$ systemctl enable --now spatia',
    ]);
  });

  it('creates the user into an existing group of its name', () => {
    const t = io();
    const deps: InstallServiceDeps = { getuid: () => 0, exists: (db, name) => db === 'group' && name === 'spatia' };
    expect(installServiceCommand(['--dry-run'], t.io, deps)).toBe(0);
    expect(t.out[0]).toBe('$ useradd --system --no-create-home --home-dir /var/lib/spatia --shell /usr/sbin/nologin --gid spatia spatia');
    expect(t.out.some((l) => l.startsWith('$ usermod'))).toBe(false);
  });

  it('warns when node lives where ProtectHome=yes hides it', () => {
    const t = io();
    const img = join(dir, 'img');
    expect(installServiceCommand(['--root', img], t.io, { nodePath: '/home/pi/.nvm/versions/node/v20/bin/node' })).toBe(0);
    expect(t.err.join('\n')).toMatch(/warning: \/home\/pi\/\.nvm\/.*\(ProtectHome=yes\).*203\/EXEC/);
    expect(readFileSync(join(img, 'etc/systemd/system/spatia.service'), 'utf8')).toMatch(/^ExecStart=\/home\/pi\/\.nvm\/versions\/node\/v20\/bin\/node /m);
    expect(readdirSync(join(img, 'etc/spatia'))).toEqual(['spatia.yaml']);
  });
});
