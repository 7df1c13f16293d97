import { stateDirOf } from '../runtime/state-dir.js';
import { pidFileOf, runningPid } from '../runtime/pid-file.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './exit-codes.js';
import { loadOrReport } from './load-or-report.js';

export const RELOAD_USAGE = 'usage: spatia reload CONFIG';

/**
 * `spatia reload CONFIG`: checks CONFIG as `validate` does, then asks the `spatia run` of that
 * state directory to reload it (SIGHUP; under systemd, `systemctl reload spatia` does the same).
 * A config with errors is reported here and never sent: the running one stays.
 */
export function reloadCommand(args: readonly string[], io: CliIo): number {
  if (args.length !== 1 || args[0]?.startsWith('-') === true) {
    io.err(RELOAD_USAGE);
    return EXIT.usage;
  }
  const config = args[0] as string;
  const loaded = loadOrReport(config, io.err);
  if (loaded === undefined) {
    io.err(`spatia reload: ${config} is not valid; nothing was reloaded`);
    return EXIT.config;
  }
  const dir = stateDirOf(loaded.model);
  const pid = runningPid(dir);
  if (pid === undefined) {
    io.err(`spatia reload: no running spatia run found for ${dir} (${pidFileOf(dir)} is missing or stale)`);
    return EXIT.failure;
  }
  try {
    process.kill(pid, 'SIGHUP');
  } catch (err) {
    io.err(`spatia reload: cannot signal pid ${pid}: ${(err as Error).message}`);
    return EXIT.failure;
  }
  io.out(`spatia reload: asked pid ${pid} to reload ${config}; its log says whether the new configuration runs`);
  return EXIT.ok;
}
