/** Exit codes (SPEC §1). 78 is EX_CONFIG from sysexits.h, which systemd also understands. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  config: 78,
} as const;

/** A command-line mistake: printed with the usage line, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
