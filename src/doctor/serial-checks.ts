import type { DeploymentModel } from '../config/model.js';
import { R, SERIAL_DEVICE, W, accessCheck } from './access.js';
import { type CheckResult, fail } from './check-result.js';
import type { DoctorContext } from './doctor-context.js';

/** The serial devices the deployment opens (serial sensors, entities from serial), with their users. */
export function serialPaths(model: DeploymentModel): Map<string, string[]> {
  const paths = new Map<string, string[]>();
  for (const s of model.sensors) {
    const path = s.hardware['path'];
    const fromSerial = s.kind === 'serial' || (s.kind === 'entities' && s.hardware['source'] === 'serial');
    if (!fromSerial || typeof path !== 'string') continue;
    paths.set(path, [...(paths.get(path) ?? []), s.id]);
  }
  return paths;
}

/** Serial devices present, for the message when the configured one is missing. */
async function serialDevicesHere(ctx: DoctorContext): Promise<string> {
  const byId = ((await ctx.env.fs.readdir('/dev/serial/by-id')) ?? []).map((n) => `/dev/serial/by-id/${n}`);
  const ttys = ((await ctx.env.fs.readdir('/dev')) ?? []).filter((n) => /^tty(USB|ACM|AMA|THS)\d+$/.test(n)).map((n) => `/dev/${n}`);
  const all = [...byId, ...ttys];
  return all.length === 0 ? 'none' : all.join(', ');
}

/** The real device of each `console=` on the kernel command line (`serial0` resolved). */
async function consoleDevices(ctx: DoctorContext): Promise<Map<string, string>> {
  const cmdline = (await ctx.env.fs.readFile('/proc/cmdline')) ?? '';
  const consoles = new Map<string, string>();
  for (const m of cmdline.matchAll(/(?:^|\s)console=([^,\s]+)/g)) {
    const name = m[1];
    if (name === undefined) continue;
    const real = await ctx.env.fs.realpath(`/dev/${name}`);
    if (real !== undefined) consoles.set(real, name);
  }
  return consoles;
}

/**
 * Each serial device exists (a by-id link resolves), may be read and written, and is not the
 * kernel console (a console UART is shared with the kernel and getty, which garble readings).
 */
export async function serialChecks(ctx: DoctorContext, paths: ReadonlyMap<string, readonly string[]>): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  if (paths.size === 0) return out;
  const consoles = await consoleDevices(ctx);
  for (const [path, ids] of paths) {
    const users = `used by ${ids.map((id) => `sensor ${id}`).join(', ')}`;
    const st = await ctx.env.fs.stat(path);
    if (st === undefined) {
      const uart = ctx.board.profile.uarts.find((u) => u.device === path);
      const fix = uart?.enable ?? 'plug the device in, or correct path: (prefer a stable /dev/serial/by-id/... link for USB adapters)';
      out.push(fail(path, `missing (${users}); serial devices here: ${await serialDevicesHere(ctx)}`, fix, 'SPATIA_SERIAL_OPEN'));
      continue;
    }
    const real = (await ctx.env.fs.realpath(path)) ?? path;
    const access = accessCheck(path, real === path ? path : `${path} -> ${real}`, st, R | W, SERIAL_DEVICE, ctx.env.user, ctx.groups);
    const consoleName = consoles.get(real);
    if (consoleName !== undefined) {
      out.push(fail(path, `${real === path ? '' : `${real} `}carries the kernel console (console=${consoleName} in /proc/cmdline) (${users})`, ctx.board.profile.consoleFix, 'SPATIA_SERIAL_OPEN'));
    }
    out.push(access);
  }
  return out;
}
