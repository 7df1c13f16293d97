import { type CheckResult, fail, ok, warn } from './check-result.js';
import { joinGroupFix, membership } from './access.js';
import type { DoctorContext } from './doctor-context.js';
import { describeChips } from './gpio-chips.js';

/** The oldest Node.js major spatia supports (package.json engines). */
export const MIN_NODE_MAJOR = 20;

export function nodeCheck(ctx: DoctorContext): CheckResult {
  const version = ctx.env.nodeVersion;
  const major = Number(version.split('.')[0]);
  if (major >= MIN_NODE_MAJOR) return ok('node', `v${version}`);
  return fail('node', `v${version} is older than ${MIN_NODE_MAJOR}`, `install Node.js ${MIN_NODE_MAJOR} or newer (Debian: sudo apt install nodejs, or the NodeSource packages)`);
}

/** Which board profile applies, and whether runtime.board agrees with the machine. */
export function boardCheck(ctx: DoctorContext): CheckResult {
  const { board, boardError } = ctx;
  const known = ctx.profiles.map((p) => p.id).join(', ');
  const p = board.profile;
  if (boardError !== undefined) {
    return fail('board', boardError, `set runtime.board to one of ${known}, or remove it to detect the board`, 'SPATIA_BOARD');
  }
  const model = board.model === undefined ? undefined : `"${board.model}"`;
  if (board.source === 'configured') {
    if (board.detected !== undefined && board.detected.id !== p.id) {
      return warn('board', `runtime.board is ${p.id} but this machine is ${model} (${board.detected.id})`, `set runtime.board: ${board.detected.id}, or remove it to detect the board`);
    }
    return ok('board', `${p.id} (${p.name}), from runtime.board` + (model === undefined ? '' : `; model ${model}`));
  }
  if (board.source === 'detected') return ok('board', `${p.id} (${p.name}), detected from model ${model}`);
  if (model !== undefined) {
    return warn('board', `model ${model} has no profile: using generic (no header chip; gpio sensors and actions need chip:)`, `set runtime.board if this is one of ${known}`);
  }
  return ok('board', 'no /proc/device-tree/model (not a single-board computer): generic profile, no header chip');
}

/** Running as root proves nothing about the service user: say so once. */
export function userCheck(ctx: DoctorContext): CheckResult {
  const user = ctx.env.user;
  if (user.uid === 0) {
    return warn('user', 'running as root: every permission check passes; the service user may still lack access', 'run the doctor as the service user too: sudo -u USER spatia doctor CONFIG');
  }
  return ok('user', `${user.name} (uid ${user.uid})`);
}

/** Membership of a device group, with the command that fixes it. */
export function groupCheck(ctx: DoctorContext, name: string, purpose: string): CheckResult {
  const { env, groups } = ctx;
  const m = membership(groups, env.user, name);
  if (env.user.uid === 0 || m === 'session') return ok(`group ${name}`, `${env.user.name} has it (${purpose})`);
  const what = m === 'no-group' ? `group ${name} does not exist` : m === 'listed' ? `${env.user.name} was added to ${name} after this login` : `${env.user.name} is not in ${name}`;
  return warn(`group ${name}`, `${what} (needed for ${purpose})`, joinGroupFix(groups, env.user, name));
}

/** The GPIO chips of the machine and the board's header chip among them. */
export function gpioOverview(ctx: DoctorContext): CheckResult[] {
  const { chips, board } = ctx;
  if (chips === undefined) return [warn('gpio', '/sys/class/gpio is absent: gpio sensors and actions cannot work', board.profile.gpio.noSysfsFix)];
  const out: CheckResult[] = [ok('gpio', `chips: ${describeChips(chips)}`)];
  const header = board.profile.gpio.headerChips;
  if (header.length > 0) {
    const found = chips.find((c) => header.includes(c.label));
    out.push(
      found === undefined
        ? warn('gpio', `header chip ${header.join(' or ')} of ${board.profile.id} not found`, 'check runtime.board, or give gpio sensors an explicit chip:')
        : ok('gpio', `header chip ${found.label} is ${found.name} (base ${found.base}, ${found.ngpio} lines)`),
    );
  }
  return out;
}

/** Which I2C buses exist, and whether the board's header buses are among them. */
export async function i2cOverview(ctx: DoctorContext): Promise<CheckResult[]> {
  const buses = ((await ctx.env.fs.readdir('/dev')) ?? []).filter((n) => /^i2c-\d+$/.test(n));
  const out: CheckResult[] = [buses.length > 0 ? ok('i2c', `buses: ${buses.map((b) => `/dev/${b}`).join(', ')}`) : warn('i2c', 'no /dev/i2c-* buses', 'sudo modprobe i2c-dev, and enable the bus (see hardware/README.md)')];
  for (const bus of ctx.board.profile.i2c) {
    if (!buses.includes(`i2c-${bus.bus}`)) out.push(warn('i2c', `header bus ${bus.device} (${bus.pins}) is not there`, bus.enable));
  }
  return out;
}

/** Whether the board's header UARTs are there. */
export async function uartOverview(ctx: DoctorContext): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const uart of ctx.board.profile.uarts) {
    const st = await ctx.env.fs.stat(uart.device);
    out.push(st === undefined ? warn('serial', `header UART ${uart.device} (${uart.pins}) is not there`, uart.enable) : ok('serial', `header UART ${uart.device} (${uart.pins})`));
  }
  return out;
}
