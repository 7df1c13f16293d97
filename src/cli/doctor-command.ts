import { parseArgs } from 'node:util';
import { SpatiaError } from '../core/errors.js';
import { countChecks } from '../doctor/check-result.js';
import type { DoctorEnv } from '../doctor/doctor-env.js';
import { formatReport, formatReportJson } from '../doctor/format-report.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { systemDoctorEnv } from '../doctor/system-doctor-env.js';
import { loadBoardProfiles } from '../platform/board-profiles.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './exit-codes.js';
import { loadOrReport } from './load-or-report.js';

export const DOCTOR_USAGE = 'usage: spatia doctor [CONFIG] [--json]';

/** What the command reads the machine through; tests pass a fake machine. */
export interface DoctorCommandDeps {
  readonly env?: DoctorEnv;
  /** Folder of the board profiles. Default: hardware/boards of this package. */
  readonly profilesDir?: string;
  readonly mqttTimeoutMs?: number;
}

/**
 * `spatia doctor [CONFIG] [--json]`: checks this machine for what CONFIG needs (without CONFIG,
 * an overview of the machine) and prints one line per check with the fix for each failure.
 * Exit 0 when nothing failed, 1 when something did, 78 for an invalid CONFIG, 2 for bad usage.
 */
export async function doctorCommand(args: readonly string[], io: CliIo, deps: DoctorCommandDeps = {}): Promise<number> {
  let json: boolean;
  let config: string | undefined;
  try {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { json: { type: 'boolean' } } });
    if (positionals.length > 1) throw new Error('expected at most one CONFIG');
    json = values.json === true;
    config = positionals[0];
  } catch (err) {
    io.err(`spatia doctor: ${err instanceof Error ? err.message : String(err)}`);
    io.err(DOCTOR_USAGE);
    return EXIT.usage;
  }
  let model;
  if (config !== undefined) {
    const loaded = loadOrReport(config, io.err);
    if (loaded === undefined) return EXIT.config;
    model = loaded.model;
  }
  let profiles;
  try {
    profiles = loadBoardProfiles(deps.profilesDir);
  } catch (err) {
    if (!(err instanceof SpatiaError)) throw err;
    io.err(`spatia doctor: ${err.code}: ${err.message}`);
    return EXIT.failure;
  }
  const results = await runDoctor(deps.env ?? systemDoctorEnv(), { model, profiles, ...(deps.mqttTimeoutMs === undefined ? {} : { mqttTimeoutMs: deps.mqttTimeoutMs }) });
  if (json) io.out(formatReportJson(results));
  else for (const line of formatReport(results)) io.out(line);
  return countChecks(results).fail > 0 ? EXIT.failure : EXIT.ok;
}
