import type { DeploymentModel } from '../config/model.js';
import { I2C_DEVICE, R, W, accessCheck } from './access.js';
import { type CheckResult, fail } from './check-result.js';
import type { DoctorContext } from './doctor-context.js';

/** The I2C buses the deployment uses, each with the ids of the sensors on it. */
export function i2cBuses(model: DeploymentModel): Map<number, string[]> {
  const buses = new Map<number, string[]>();
  for (const s of model.sensors) {
    const bus = s.hardware['bus'];
    if (s.kind !== 'i2c' || typeof bus !== 'number') continue;
    buses.set(bus, [...(buses.get(bus) ?? []), s.id]);
  }
  return buses;
}

const I2C_DEV_FIX = 'sudo modprobe i2c-dev; to load it at every boot: echo i2c-dev | sudo tee /etc/modules-load.d/i2c-dev.conf';

/** Why /dev/i2c-N is missing, and the fix: module not loaded, bus not enabled, or no such bus. */
async function missingBus(ctx: DoctorContext, bus: number, users: string): Promise<CheckResult> {
  const dev = `/dev/i2c-${bus}`;
  if ((await ctx.env.fs.stat(`/sys/class/i2c-adapter/i2c-${bus}`)) !== undefined) {
    return fail(dev, `the bus exists but its device file does not: the i2c-dev module is not loaded (${users})`, I2C_DEV_FIX, 'SPATIA_I2C_BUS');
  }
  const header = ctx.board.profile.i2c.find((b) => b.bus === bus);
  if (header !== undefined) {
    return fail(dev, `missing: I2C is not enabled on ${header.pins} (${users})`, header.enable, 'SPATIA_I2C_BUS');
  }
  const here = ((await ctx.env.fs.readdir('/dev')) ?? []).filter((n) => /^i2c-\d+$/.test(n));
  const known = here.length === 0 ? 'none' : here.map((n) => `/dev/${n}`).join(', ');
  return fail(dev, `missing; buses here: ${known} (${users})`, `check bus: in the config; if the bus should exist: ${I2C_DEV_FIX}`, 'SPATIA_I2C_BUS');
}

/** Each bus the deployment uses exists as /dev/i2c-N and may be read and written. */
export async function i2cChecks(ctx: DoctorContext, buses: ReadonlyMap<number, readonly string[]>): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  for (const [bus, ids] of buses) {
    const dev = `/dev/i2c-${bus}`;
    const users = `used by ${ids.map((id) => `sensor ${id}`).join(', ')}`;
    const st = await ctx.env.fs.stat(dev);
    out.push(st === undefined ? await missingBus(ctx, bus, users) : accessCheck(dev, dev, st, R | W, I2C_DEVICE, ctx.env.user, ctx.groups));
  }
  return out;
}
