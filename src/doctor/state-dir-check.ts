import { dirname } from 'node:path';
import type { DeploymentModel } from '../config/model.js';
import { stateDirOf as runStateDirOf } from '../runtime/state-dir.js';
import { W, X, permits } from './access.js';
import { type CheckResult, fail, ok } from './check-result.js';
import type { DoctorContext } from './doctor-context.js';
import type { DoctorEnv } from './doctor-env.js';

/**
 * The state directory `run` would use: `runtime.state_dir` (already absolute in the model), else
 * the first entry of $STATE_DIRECTORY (systemd's StateDirectory=), else ./.spatia.
 */
export function stateDirOf(model: DeploymentModel, env: DoctorEnv): string {
  return runStateDirOf(model, env.stateDirectory === undefined ? {} : { STATE_DIRECTORY: env.stateDirectory }, env.cwd);
}

/** The state directory is writable, or can be created. */
export async function stateDirCheck(ctx: DoctorContext, model: DeploymentModel): Promise<CheckResult> {
  const { fs, user } = ctx.env;
  const path = stateDirOf(model, ctx.env);
  const fix = `sudo install -d -o ${user.name} ${path} (under systemd, StateDirectory=spatia does this), or set runtime.state_dir`;
  const st = await fs.stat(path);
  if (st !== undefined) {
    if (!st.isDirectory) return fail('state_dir', `${path} is not a directory`, 'set runtime.state_dir to a directory');
    return permits(st, user, W | X) ? ok('state_dir', `${path} is writable`) : fail('state_dir', `${path} is not writable by ${user.name}`, fix);
  }
  // Missing: run creates it, so the nearest existing ancestor must let us.
  let parent = dirname(path);
  let parentStat = await fs.stat(parent);
  while (parentStat === undefined && dirname(parent) !== parent) {
    parent = dirname(parent);
    parentStat = await fs.stat(parent);
  }
  if (parentStat !== undefined && parentStat.isDirectory && permits(parentStat, user, W | X)) {
    return ok('state_dir', `${path} does not exist yet; it will be created (in ${parent})`);
  }
  return fail('state_dir', `${path} does not exist and ${user.name} cannot create it in ${parent}`, fix);
}
