import { formatRecord } from '../core/event-record.js';
import { hashConfig } from '../persistence/config-hash.js';
import type { PersistenceHealth } from '../persistence/persistence-health.js';
import { LivePersistence, type LiveRecovery } from './live-persistence.js';
import type { LiveRun } from './live-run.js';
import type { LogPosition } from './sim-log-resume.js';

export interface OpenPersistenceOptions {
  /** The state directory. */
  readonly dir: string;
  /** Where `--out` stands (its last complete tick); undefined for stdout. */
  readonly logPosition: LogPosition | undefined;
  /** Writes to the event log directly (records of replayed ticks the log lacks). */
  readonly writeLog: (chunk: string) => void;
  /** One diagnostic line (stderr). */
  readonly err: (line: string) => void;
}

/**
 * Opens the persistence of a live run and reports what recovery did: diagnostic lines, the
 * records of replayed ticks that `--out` lacks, and one `recovery` record at the first live tick
 * saying how the run resumed (or why its temporal state starts fresh, and which conditions and
 * patterns a changed configuration kept). Health events of the journal and checkpoints become
 * `persistence` records and loud diagnostic lines; the run goes on in memory meanwhile.
 */
export async function openPersistence(run: LiveRun, opts: OpenPersistenceOptions): Promise<{ persistence: LivePersistence; nextTick: number } | { error: string }> {
  const onHealth = (h: PersistenceHealth): void => {
    opts.err(`${h.status === 'ok' ? '' : 'WARNING: '}${h.message}`);
    const r: Record<string, unknown> & { type: string } = { type: 'persistence', component: h.component, status: h.status, error: h.message };
    if (h.code !== undefined) r['code'] = h.code;
    if (h.errno !== undefined) r['errno'] = h.errno;
    run.note(r);
  };
  const opened = await LivePersistence.open(run, {
    dir: opts.dir,
    configHash: hashConfig(run.model),
    onHealth,
    report: opts.err,
    ...(opts.logPosition === undefined ? {} : { logThroughTick: opts.logPosition.tick }),
  });
  if ('error' in opened) return opened;
  const { persistence, recovery } = opened;
  persistence.setLogSink(opts.writeLog);
  if (recovery.records.length > 0) opts.writeLog(recovery.records.map(formatRecord).join(''));
  opts.err(describeRecovery(recovery, opts.dir));
  if (recovery.outcome !== 'new') run.note(recoveryRecord(recovery));
  return { persistence, nextTick: recovery.nextTick };
}

/** One line for stderr. */
export function describeRecovery(r: LiveRecovery, dir: string): string {
  if (r.outcome === 'new') return `state in ${dir}: none yet; starting at tick 0`;
  const down = r.downtimeS === undefined ? '' : ` after ${r.downtimeS.toFixed(1)} s down`;
  if (r.outcome === 'fresh') return `state in ${dir}: ${r.reason ?? 'starting fresh'}; continuing at tick ${r.nextTick}`;
  const from = r.checkpointTick >= 0 ? `checkpoint of tick ${r.checkpointTick}` : 'no checkpoint';
  let line = `resumed from ${dir}${down}: ${from}, ${r.replayedTicks} journaled ticks replayed; continuing at tick ${r.nextTick}`;
  if (r.resumedRuns > 0) line += `; ${r.resumedRuns} owed action runs taken up again`;
  if (r.reason !== undefined) line += ` (${r.reason})`;
  const c = r.carried;
  if (c !== undefined) {
    line += `; the configuration changed: state kept for ${c.kept.length} conditions and patterns, started fresh for ${c.fresh.length}`;
    if (c.fresh.length > 0) line += ` (${c.fresh.join(', ')})`;
    if (c.removed.length > 0) line += `; no longer configured: ${c.removed.join(', ')}`;
  }
  return line;
}

/** The `recovery` record of the log (fields in snake_case like every record). */
function recoveryRecord(r: LiveRecovery): Record<string, unknown> & { type: string } {
  const out: Record<string, unknown> & { type: string } = { type: 'recovery', status: r.outcome };
  if (r.reason !== undefined) out['reason'] = r.reason;
  if (r.downtimeS !== undefined) out['downtime_s'] = Math.round(r.downtimeS * 1000) / 1000;
  out['checkpoint_tick'] = r.checkpointTick;
  out['replayed_ticks'] = r.replayedTicks;
  if (r.resumedRuns > 0) out['owed_runs'] = r.resumedRuns;
  const c = r.carried;
  if (c !== undefined) {
    out['config_changed'] = true;
    out['kept'] = c.kept.length;
    out['fresh'] = c.fresh;
    if (c.removed.length > 0) out['removed'] = c.removed;
    if (!c.spatialKept) out['entities_fresh'] = true;
  }
  return out;
}
