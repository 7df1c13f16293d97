import type { DeploymentModel } from '../config/model.js';
import type { BoardProfile } from '../platform/board-profile.js';
import type { CheckResult } from './check-result.js';
import { createDoctorContext } from './doctor-context.js';
import type { DoctorEnv } from './doctor-env.js';
import { gpioChecks, gpioUses } from './gpio-checks.js';
import { i2cBuses, i2cChecks } from './i2c-checks.js';
import { boardCheck, gpioOverview, groupCheck, i2cOverview, nodeCheck, uartOverview, userCheck } from './machine-checks.js';
import { mqttChecks, mqttEndpoints, MQTT_PROBE_TIMEOUT_MS } from './mqtt-checks.js';
import { serialChecks, serialPaths } from './serial-checks.js';
import { stateDirCheck } from './state-dir-check.js';

export interface DoctorOptions {
  /** The validated deployment; without it only the machine-level checks run. */
  readonly model?: DeploymentModel | undefined;
  readonly profiles: readonly BoardProfile[];
  readonly mqttTimeoutMs?: number;
}

/**
 * Runs the doctor's checks against `env` and returns one result per line of the report, in a
 * fixed order: node, board, user, then GPIO, I2C, serial, MQTT and the state directory. With a
 * model, only what the deployment needs is checked; without one, an overview of the machine.
 * Never throws for what it finds: every finding is a result.
 */
export async function runDoctor(env: DoctorEnv, options: DoctorOptions): Promise<CheckResult[]> {
  const { model, profiles } = options;
  const ctx = await createDoctorContext(env, profiles, model?.runtime.board);
  const out: CheckResult[] = [nodeCheck(ctx), boardCheck(ctx), userCheck(ctx)];
  if (model === undefined) {
    out.push(groupCheck(ctx, 'gpio', 'gpio sensors and actions'));
    out.push(groupCheck(ctx, 'i2c', 'i2c sensors'));
    out.push(groupCheck(ctx, 'dialout', 'serial sensors'));
    out.push(...gpioOverview(ctx), ...(await i2cOverview(ctx)), ...(await uartOverview(ctx)));
    return out;
  }
  out.push(...(await gpioChecks(ctx, gpioUses(model))));
  out.push(...(await i2cChecks(ctx, i2cBuses(model))));
  out.push(...(await serialChecks(ctx, serialPaths(model))));
  out.push(...(await mqttChecks(ctx, mqttEndpoints(model), options.mqttTimeoutMs ?? MQTT_PROBE_TIMEOUT_MS)));
  out.push(await stateDirCheck(ctx, model));
  return out;
}
