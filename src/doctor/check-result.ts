import type { ErrorCode } from '../core/errors.js';

/** `ok` passes; `warn` is worth knowing but does not fail the doctor; `fail` must be fixed. */
export type CheckStatus = 'ok' | 'warn' | 'fail';

/**
 * One line of the doctor's report. `subject` names what was checked (`node`, `board`,
 * `sensor door`, `/dev/i2c-1`, `mqtt://127.0.0.1:1883`), `message` what was found, `fix` the
 * command or change that repairs it, `code` the registered error code `spatia run` would report.
 */
export interface CheckResult {
  readonly status: CheckStatus;
  readonly subject: string;
  readonly message: string;
  readonly fix?: string | undefined;
  readonly code?: ErrorCode | undefined;
}

export function ok(subject: string, message: string): CheckResult {
  return { status: 'ok', subject, message };
}

export function warn(subject: string, message: string, fix?: string): CheckResult {
  return { status: 'warn', subject, message, fix };
}

export function fail(subject: string, message: string, fix: string, code?: ErrorCode): CheckResult {
  return { status: 'fail', subject, message, fix, code };
}

/** How many checks ended in each status. */
export function countChecks(results: readonly CheckResult[]): Record<CheckStatus, number> {
  const counts = { ok: 0, warn: 0, fail: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}
