import { SpatiaError } from '../core/errors.js';
import type { BoardProfile } from '../platform/board-profile.js';
import { type BoardChoice, boardFor, cleanModel } from '../platform/board-profiles.js';
import { type GroupEntry, parseGroupFile } from './access.js';
import type { DoctorEnv } from './doctor-env.js';
import { type GpioChip, listGpioChips } from './gpio-chips.js';

/** What every check may consult, read from the machine once per doctor run. */
export interface DoctorContext {
  readonly env: DoctorEnv;
  readonly groups: readonly GroupEntry[];
  readonly profiles: readonly BoardProfile[];
  /** The board used for hints: the configured or detected one, else generic. */
  readonly board: BoardChoice;
  /** Why `runtime.board` could not be used (an unknown id); the board then falls back. */
  readonly boardError: string | undefined;
  /** The sysfs GPIO chips; undefined when /sys/class/gpio is absent. */
  readonly chips: readonly GpioChip[] | undefined;
}

/** Reads groups, board model and GPIO chips through `env`. */
export async function createDoctorContext(
  env: DoctorEnv,
  profiles: readonly BoardProfile[],
  configuredBoard: string | undefined,
): Promise<DoctorContext> {
  const groups = parseGroupFile(await env.fs.readFile('/etc/group'));
  const rawModel = await env.fs.readFile('/proc/device-tree/model');
  const model = rawModel === undefined || cleanModel(rawModel) === '' ? undefined : cleanModel(rawModel);
  let board: BoardChoice;
  let boardError: string | undefined;
  try {
    board = boardFor(configuredBoard, model, profiles);
  } catch (err) {
    if (!(err instanceof SpatiaError)) throw err;
    boardError = err.message;
    board = boardFor(undefined, model, profiles);
  }
  return { env, groups, profiles, board, boardError, chips: await listGpioChips(env.fs) };
}
