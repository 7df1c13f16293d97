import type { DeploymentModel } from '../config/model.js';
import { GPIO_DEVICE, R, W, accessCheck } from './access.js';
import { type CheckResult, fail, ok } from './check-result.js';
import type { DoctorContext } from './doctor-context.js';
import { describeChips, findChip, type GpioChip } from './gpio-chips.js';

/** A GPIO line the deployment reads (a gpio sensor) or drives (a gpio action). */
export interface GpioUse {
  readonly subject: string;
  readonly pin: number;
  /** `chip:` as written; undefined means the board's header chip. */
  readonly chip: string | undefined;
}

/** Every gpio sensor and gpio action of the deployment, in declaration order. */
export function gpioUses(model: DeploymentModel): GpioUse[] {
  const uses: GpioUse[] = [];
  for (const s of model.sensors) {
    if (s.kind !== 'gpio') continue;
    const pin = s.hardware['pin'];
    const chip = s.hardware['chip'];
    if (typeof pin === 'number') uses.push({ subject: `sensor ${s.id}`, pin, chip: typeof chip === 'string' ? chip : undefined });
  }
  for (const c of model.conditions) {
    for (const a of [...c.actions, ...c.onFalling]) {
      if (a.kind !== 'gpio') continue;
      const subject = `condition ${c.id} gpio pin ${a.pin}`;
      if (!uses.some((u) => u.subject === subject && u.chip === a.chip)) uses.push({ subject, pin: a.pin, chip: a.chip });
    }
  }
  return uses;
}

/** The chip a use means, or the failed check saying why there is none. */
function chipOf(ctx: DoctorContext, chips: readonly GpioChip[], use: GpioUse): GpioChip | CheckResult {
  const here = `chips here: ${describeChips(chips)}`;
  if (use.chip !== undefined) {
    return findChip(chips, use.chip) ?? fail(use.subject, `chip "${use.chip}" not found (${here})`, 'set chip: to one of the labels above', 'SPATIA_GPIO_CHIP');
  }
  const board = ctx.board.profile;
  const header = board.gpio.headerChips;
  if (header.length === 0) {
    return fail(use.subject, `no chip: given and board ${board.id} has no header chip (${here})`, 'add chip: with one of the labels above, or set runtime.board', 'SPATIA_GPIO_CHIP');
  }
  for (const label of header) {
    const chip = chips.find((c) => c.label === label);
    if (chip !== undefined) return chip;
  }
  return fail(use.subject, `header chip ${header.join(' or ')} of board ${board.id} not found (${here})`, 'check runtime.board (spatia doctor shows the detected board), or set chip:', 'SPATIA_GPIO_CHIP');
}

/**
 * For deployments with GPIO: sysfs GPIO is there, the gpio group may export lines, and each
 * pin exists on its chip. A line that is already exported must be readable and writable.
 */
export async function gpioChecks(ctx: DoctorContext, uses: readonly GpioUse[]): Promise<CheckResult[]> {
  if (uses.length === 0) return [];
  const { env, groups, chips } = ctx;
  const needers = uses.map((u) => u.subject).join(', ');
  if (chips === undefined) {
    return [fail('gpio', `/sys/class/gpio is absent (needed by ${needers})`, ctx.board.profile.gpio.noSysfsFix, 'SPATIA_GPIO_NO_SYSFS')];
  }
  const out: CheckResult[] = [];
  const exportPath = '/sys/class/gpio/export';
  const exportStat = await env.fs.stat(exportPath);
  out.push(
    exportStat === undefined
      ? fail('gpio', `${exportPath} is missing`, ctx.board.profile.gpio.noSysfsFix, 'SPATIA_GPIO_NO_SYSFS')
      : accessCheck('gpio', exportPath, exportStat, W, GPIO_DEVICE, env.user, groups),
  );
  for (const use of uses) {
    const chip = chipOf(ctx, chips, use);
    if ('status' in chip) {
      out.push(chip);
      continue;
    }
    if (use.pin >= chip.ngpio) {
      out.push(fail(use.subject, `pin ${use.pin} is beyond ${chip.label} (${chip.ngpio} lines, 0..${chip.ngpio - 1})`, 'pin is the line offset on the chip (the BCM number on a Raspberry Pi)', 'SPATIA_GPIO_CHIP'));
      continue;
    }
    const line = `/sys/class/gpio/gpio${chip.base + use.pin}`;
    const where = `pin ${use.pin} = ${chip.label} line ${use.pin} = ${line}`;
    const valueStat = await env.fs.stat(`${line}/value`);
    if (valueStat === undefined) {
      out.push(ok(use.subject, where));
    } else {
      const access = accessCheck(use.subject, `${line}/value`, valueStat, R | W, GPIO_DEVICE, env.user, groups);
      out.push(access.status === 'ok' ? ok(use.subject, `${where} (exported already, accessible)`) : access);
    }
  }
  return out;
}
