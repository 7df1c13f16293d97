import { resolve } from 'node:path';
import type { DeploymentModel } from '../config/model.js';

/**
 * Where a run keeps its state (SPEC §2): `runtime.state_dir` (made absolute against the config
 * file by the loader), else systemd's `$STATE_DIRECTORY` (its first entry), else `./.spatia` in
 * the working directory. `spatia doctor` checks the same directory.
 */
export function stateDirOf(model: DeploymentModel, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const fromSystemd = env['STATE_DIRECTORY']?.split(':')[0];
  return model.runtime.stateDir ?? (fromSystemd !== undefined && fromSystemd !== '' ? fromSystemd : resolve(cwd, '.spatia'));
}
