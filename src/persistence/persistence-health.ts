/** Codes of persistence health events (registered in src/core/errors.ts, meanings there). */
export type PersistenceCode =
  | 'SPATIA_JOURNAL_WRITE'
  | 'SPATIA_JOURNAL_LOST'
  | 'SPATIA_JOURNAL_DAMAGE'
  | 'SPATIA_CHECKPOINT_WRITE'
  | 'SPATIA_CHECKPOINT_REJECTED';

/**
 * A change in the health of the journal or the checkpoint store. Reported once per change (a
 * disk that stays full is one `degraded` event, then one `ok` event when writes succeed again),
 * never thrown: the tick loop goes on in memory and the runtime decides how loudly to log.
 */
export interface PersistenceHealth {
  readonly component: 'journal' | 'checkpoint';
  /** `degraded`: retrying, nothing lost yet. `lost`: data was dropped. `ok`: recovered. */
  readonly status: 'ok' | 'degraded' | 'lost';
  readonly code: PersistenceCode | undefined;
  /** errno code of the underlying failure (ENOSPC, EROFS, EACCES, ...) when there is one. */
  readonly errno: string | undefined;
  /** One line for the log, saying what happened, what it means and what is being done. */
  readonly message: string;
}

export type HealthListener = (event: PersistenceHealth) => void;
