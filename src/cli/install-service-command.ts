import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../platform/board-profiles.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './exit-codes.js';
import { loadOrReport } from './load-or-report.js';

export const INSTALL_SERVICE_USAGE = 'usage: spatia install-service [--config FILE] [--user NAME] [--root DIR] [--dry-run] [--no-enable]';

/** Where the service finds its configuration; the unit's ExecStart= names it. */
export const SERVICE_CONFIG = '/etc/spatia/spatia.yaml';
const DEVICE_GROUPS = ['gpio', 'i2c', 'dialout'] as const;

/** The machine as the command sees it; tests pass fakes, the defaults are the real ones. */
export interface InstallServiceDeps {
  readonly getuid?: () => number;
  /** Runs a command to completion (status null: it could not be started). */
  readonly run?: (argv: readonly string[]) => { status: number | null; stderr: string };
  /** Whether a user or group exists (getent, so LDAP and friends count). */
  readonly exists?: (db: 'passwd' | 'group', name: string) => boolean;
  /** The login group of an existing user. */
  readonly primaryGroup?: (user: string) => string | undefined;
  /** This package: systemd/ templates and bin/spatia.js. */
  readonly packageDir?: string;
  readonly nodePath?: string;
}

/** One step of the installation: printed as one line, then carried out (unless --dry-run). */
type Step =
  | { readonly kind: 'run'; readonly argv: readonly string[]; readonly fix: string }
  | { readonly kind: 'mkdir'; readonly path: string; readonly mode: number }
  | { readonly kind: 'write'; readonly path: string; readonly mode: number; readonly content: string | Buffer; readonly from: string };

interface Options {
  config: string | undefined;
  user: string;
  root: string | undefined;
  dryRun: boolean;
  enable: boolean;
}

/**
 * `spatia install-service`: creates the service user, /etc/spatia with the configuration,
 * /var/lib/spatia, installs systemd/spatia.service and enables it (systemd/README.md). Exit 0,
 * 1 when a step fails (the message names the step and the fix), 2 on bad usage, 78 for an
 * invalid --config (nothing is changed then).
 */
export function installServiceCommand(args: readonly string[], io: CliIo, deps: InstallServiceDeps = {}): number {
  let o: Options;
  try {
    o = parseOptions(args);
  } catch (err) {
    io.err(`spatia install-service: ${err instanceof Error ? err.message : String(err)}`);
    io.err(INSTALL_SERVICE_USAGE);
    return EXIT.usage;
  }
  if (!o.dryRun && o.root === undefined && (deps.getuid ?? (() => process.getuid?.() ?? -1))() !== 0) {
    io.err(
      'spatia install-service: must run as root: it creates a system user and writes /etc/spatia, /var/lib/spatia and /etc/systemd/system. ' +
        'Run it with sudo; --dry-run prints the steps without root, --root DIR writes the files under DIR.',
    );
    return EXIT.failure;
  }
  if (o.config !== undefined) {
    const loaded = loadOrReport(o.config, io.err);
    if (loaded === undefined) {
      io.err(`spatia install-service: ${o.config} is not a valid deployment: nothing was installed; fix it (spatia validate ${o.config}) and run again`);
      return EXIT.config;
    }
    warnStateDir(o.config, loaded.model.runtime.stateDir, io);
  }
  let steps: Step[];
  try {
    steps = plan(o, deps, io);
  } catch (err) {
    io.err(`spatia install-service: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.failure;
  }
  if (o.dryRun) io.err('spatia install-service: dry run: nothing is changed');
  for (const step of steps) {
    io.out(describe(step));
    if (o.dryRun) continue;
    const failure = carryOut(step, deps);
    if (failure !== undefined) {
      io.err(`spatia install-service: ${failure}`);
      return EXIT.failure;
    }
  }
  for (const line of nextSteps(o, deps)) io.err(line);
  return EXIT.ok;
}

function parseOptions(args: readonly string[]): Options {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      user: { type: 'string', default: 'spatia' },
      root: { type: 'string' },
      'dry-run': { type: 'boolean' },
      'no-enable': { type: 'boolean' },
    },
  });
  if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0] ?? ''}"`);
  if (!/^[a-z_][a-z0-9_-]*$/.test(values.user)) throw new Error(`--user "${values.user}" is not a valid user name (lower case letters, digits, _ and -)`);
  return {
    config: values.config === undefined ? undefined : resolve(values.config),
    user: values.user,
    root: values.root === undefined ? undefined : resolve(values.root),
    dryRun: values['dry-run'] === true,
    enable: values['no-enable'] !== true,
  };
}

/** Every step, decided before anything changes, so a dry run prints exactly what a real run does. */
function plan(o: Options, deps: InstallServiceDeps, io: CliIo): Step[] {
  const pkg = deps.packageDir ?? packageRoot();
  const at = (path: string): string => (o.root === undefined ? path : join(o.root, path));
  const exists = deps.exists ?? getentExists;
  const steps: Step[] = [];
  const system = o.root === undefined;
  const userExists = system && exists('passwd', o.user);
  const group = (userExists ? (deps.primaryGroup ?? primaryGroupOf)(o.user) : undefined) ?? o.user;
  const groups = system ? DEVICE_GROUPS.filter((g) => exists('group', g)) : groupsInImage(o.root as string);
  if (system && !userExists) {
    const ownGroup = exists('group', o.user) ? ['--gid', o.user] : ['--user-group'];
    steps.push(run(['useradd', '--system', '--no-create-home', '--home-dir', '/var/lib/spatia', '--shell', '/usr/sbin/nologin', ...ownGroup, o.user], 'check that the name is free and useradd is installed (package passwd)'));
  }
  if (system && groups.length > 0) steps.push(run(['usermod', '-aG', groups.join(','), o.user], 'check that the groups exist (getent group gpio i2c dialout)'));

  steps.push({ kind: 'mkdir', path: at('/etc/spatia'), mode: 0o750 });
  const configPath = at(SERVICE_CONFIG);
  if (o.config !== undefined) {
    steps.push({ kind: 'write', path: configPath, mode: 0o640, content: readFileSync(o.config), from: o.config });
    const secrets = join(dirname(o.config), 'secrets.yaml');
    if (existsSync(secrets)) steps.push({ kind: 'write', path: at('/etc/spatia/secrets.yaml'), mode: 0o640, content: readFileSync(secrets), from: secrets });
  } else if (!existsSync(configPath)) {
    const starter = join(pkg, 'systemd', 'spatia.yaml');
    steps.push({ kind: 'write', path: configPath, mode: 0o640, content: readFileSync(starter), from: `${starter} (a starter: edit it)` });
  } else {
    io.err(`spatia install-service: keeping ${configPath} (--config FILE replaces it)`);
  }
  if (system) steps.push(run(['chown', '-R', `root:${group}`, '/etc/spatia'], `check that the group ${group} exists`));
  steps.push({ kind: 'mkdir', path: at('/var/lib/spatia'), mode: 0o750 });
  if (system) steps.push(run(['chown', `${o.user}:${group}`, '/var/lib/spatia'], `check that the user ${o.user} exists`));

  const unitPath = at('/etc/systemd/system/spatia.service');
  const reinstall = existsSync(unitPath);
  const template = join(pkg, 'systemd', 'spatia.service');
  steps.push({ kind: 'write', path: unitPath, mode: 0o644, content: renderUnit(readFileSync(template, 'utf8'), unitSettings(o, deps, pkg, group, groups, io)), from: template });
  if (system) {
    const fix = 'is this machine running systemd? The files are in place: start the service by hand once it is';
    steps.push(run(['systemctl', 'daemon-reload'], fix));
    // try-restart first: a running service picks up the new unit and configuration; a stopped
    // one is started by enable --now.
    if (o.enable && reinstall) steps.push(run(['systemctl', 'try-restart', 'spatia'], 'see journalctl -u spatia'));
    if (o.enable) steps.push(run(['systemctl', 'enable', '--now', 'spatia'], 'see systemctl status spatia and journalctl -u spatia'));
  }
  return steps;
}

/** What the installed unit changes in the template. */
export interface UnitSettings {
  readonly execStart: string;
  readonly user: string;
  readonly group: string;
  readonly supplementaryGroups: readonly string[];
}

/** The template with ExecStart=, User=, Group= and SupplementaryGroups= replaced. */
export function renderUnit(template: string, s: UnitSettings): string {
  const set = (text: string, key: string, value: string): string => {
    const re = new RegExp(`^${key}=.*$`, 'm');
    if (!re.test(text)) throw new Error(`the unit template has no ${key}= line`);
    return text.replace(re, () => `${key}=${value}`);
  };
  let unit = set(template, 'ExecStart', s.execStart);
  unit = set(unit, 'User', s.user);
  unit = set(unit, 'Group', s.group);
  return set(unit, 'SupplementaryGroups', s.supplementaryGroups.join(' '));
}

/** `ExecStart=` arguments: a path as systemd reads it (quoted when needed, `%` doubled). */
export function unitArg(arg: string): string {
  const escaped = arg.replace(/%/g, '%%');
  return /^[A-Za-z0-9_./:@+=,-]+$/.test(escaped) ? escaped : `"${escaped.replace(/(["\\])/g, '\\$1')}"`;
}

function unitSettings(o: Options, deps: InstallServiceDeps, pkg: string, group: string, groups: readonly string[], io: CliIo): UnitSettings {
  // node itself, not the #!/usr/bin/env node of bin/spatia.js: systemd's PATH may find another
  // node, or none (nvm).
  const node = deps.nodePath ?? process.execPath;
  const bin = realpathOr(join(pkg, 'bin', 'spatia.js'));
  for (const path of [node, bin]) {
    if (/^\/(home|root|run\/user)\//.test(path)) {
      io.err(
        `spatia install-service: warning: ${path} is under /home, /root or /run/user, which the unit hides (ProtectHome=yes): the service would fail with 203/EXEC. ` +
          'Install node and spatia system-wide (sudo npm install -g), or add ProtectHome=read-only with systemctl edit spatia',
      );
    }
  }
  return { execStart: [node, bin, 'run', SERVICE_CONFIG].map(unitArg).join(' '), user: o.user, group, supplementaryGroups: groups };
}

/**
 * A state_dir the service cannot write: relative paths resolve against /etc/spatia once the file
 * is installed there, and everything outside /var/lib/spatia is read-only (ProtectSystem=strict).
 */
function warnStateDir(config: string, stateDir: string | undefined, io: CliIo): void {
  if (stateDir === undefined) return;
  // The model holds the resolved path; one inside the config's folder was (most likely) written
  // relative to it and moves with the file.
  const rel = relative(dirname(config), stateDir);
  const installed = rel.startsWith('..') || isAbsolute(rel) ? stateDir : resolve(dirname(SERVICE_CONFIG), rel);
  if (installed === '/var/lib/spatia' || installed.startsWith('/var/lib/spatia/')) return;
  io.err(
    `spatia install-service: warning: runtime.state_dir becomes ${installed} under the service, which it cannot write (ProtectSystem=strict): ` +
      'remove state_dir to use /var/lib/spatia, or add ReadWritePaths= with systemctl edit spatia',
  );
}

function describe(step: Step): string {
  switch (step.kind) {
    case 'run':
      return `$ ${step.argv.join(' ')}`;
    case 'mkdir':
      return `mkdir ${mode(step.mode)} ${step.path}`;
    case 'write':
      return `write ${mode(step.mode)} ${step.path} (from ${step.from})`;
  }
}

/** Carries out one step; returns what failed and how to fix it, or undefined. */
function carryOut(step: Step, deps: InstallServiceDeps): string | undefined {
  try {
    switch (step.kind) {
      case 'run': {
        const r = (deps.run ?? runCommand)(step.argv);
        if (r.status === 0) return undefined;
        const why = r.status === null ? 'could not be started' : `exited with ${r.status}`;
        return `${step.argv.join(' ')} ${why}${r.stderr.trim() === '' ? '' : `: ${r.stderr.trim()}`}; ${step.fix}`;
      }
      case 'mkdir':
        // Missing parents get the usual 0755: only the directory itself is private.
        mkdirSync(dirname(step.path), { recursive: true });
        mkdirSync(step.path, { recursive: true });
        chmodSync(step.path, step.mode);
        return undefined;
      case 'write':
        mkdirSync(dirname(step.path), { recursive: true });
        writeFileSync(step.path, step.content, { mode: step.mode });
        chmodSync(step.path, step.mode);
        return undefined;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const fix = e.code === 'EACCES' || e.code === 'EPERM' ? 'run as root' : e.code === 'EROFS' ? 'the file system is read-only: remount it read-write' : 'check the path';
    return `${step.kind} ${step.kind === 'run' ? step.argv.join(' ') : step.path} failed: ${e.message}; ${fix}`;
  }
}

function nextSteps(o: Options, deps: InstallServiceDeps): string[] {
  const pkg = deps.packageDir ?? packageRoot();
  const lines = [`spatia install-service: ${o.dryRun ? 'would install' : 'installed'} ${o.root === undefined ? '' : `under ${o.root} `}the spatia service.`];
  if (o.root !== undefined) {
    lines.push(
      `  --root: no user, ownership or systemctl. In the image: useradd --system --no-create-home --shell /usr/sbin/nologin --user-group ${o.user}; ` +
        `chown -R root:${o.user} /etc/spatia; chown ${o.user}:${o.user} /var/lib/spatia; systemctl enable spatia`,
    );
  } else if (!o.enable) {
    lines.push('  start it with: sudo systemctl enable --now spatia');
  }
  lines.push('  logs: journalctl -u spatia -f    check as the service: sudo -u spatia spatia doctor /etc/spatia/spatia.yaml');
  lines.push(
    `  100 Hz and faster under load: sudo install -D -m 0644 ${join(pkg, 'systemd', 'spatia-realtime.conf')} /etc/systemd/system/spatia.service.d/realtime.conf ` +
      '&& sudo systemctl daemon-reload && sudo systemctl restart spatia',
  );
  return lines;
}

function run(argv: readonly string[], fix: string): Step {
  return { kind: 'run', argv, fix };
}

function mode(m: number): string {
  return `0${m.toString(8)}`;
}

function runCommand(argv: readonly string[]): { status: number | null; stderr: string } {
  const r = spawnSync(argv[0] as string, argv.slice(1), { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  return { status: r.error === undefined ? r.status : null, stderr: r.error?.message ?? r.stderr };
}

function getentExists(db: 'passwd' | 'group', name: string): boolean {
  return spawnSync('getent', [db, name], { stdio: 'ignore' }).status === 0;
}

function primaryGroupOf(user: string): string | undefined {
  const r = spawnSync('id', ['-gn', user], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** The device groups of an image's /etc/group; all of them when the image has none yet. */
function groupsInImage(root: string): string[] {
  let text: string;
  try {
    text = readFileSync(join(root, 'etc', 'group'), 'utf8');
  } catch {
    return [...DEVICE_GROUPS];
  }
  const names = new Set(text.split('\n').map((l) => l.split(':')[0]));
  return DEVICE_GROUPS.filter((g) => names.has(g));
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
