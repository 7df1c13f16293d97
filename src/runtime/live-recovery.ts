import { statSync } from 'node:fs';
import type { Engine } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';
import { JournalReader } from '../persistence/journal/journal-reader.js';
import type { JournalWriter } from '../persistence/journal/journal-writer.js';
import { replayFrames, sensorMapper } from '../persistence/journal/replay-frames.js';
import { carryEngineState, type CarriedState } from './carry-state.js';
import type { LiveParts, LivePersistenceOptions, LiveRecovery, PersistedRun } from './live-persistence.js';

/** The newest valid checkpoint of a live run, as recovery needs it. */
export interface FoundCheckpoint extends LiveParts {
  readonly file: string;
  readonly tick: number;
  readonly configHash: string;
  readonly writtenAtMs: number;
}

/** Restores the checkpoint (carried over when the configuration changed) and replays the journal. */
export function recover(run: PersistedRun, cp: FoundCheckpoint | undefined, journal: JournalWriter, journalDir: string, opts: LivePersistenceOptions, nowMs: number): LiveRecovery {
  const engine = run.engine;
  const reader = new JournalReader(journalDir);
  let segments: ReturnType<JournalReader['segments']> = [];
  try {
    segments = reader.segments();
  } catch {
    // Unreadable: the writer has reported it (onHealth); there is nothing to replay.
  }
  const lastJournaled = journal.lastAppendedTick;
  const lastTick = Math.max(cp?.tick ?? -1, lastJournaled);
  const base = { checkpointTick: -1, checkpointFile: undefined, replayedTicks: 0, carried: undefined, resumedRuns: 0, records: [] as EventRecord[] };
  if (lastTick < 0) return { ...base, outcome: 'new', reason: undefined, nextTick: 0, downtimeS: undefined };

  // When the previous run last wrote: its newest journal segment or checkpoint.
  let lastWriteMs = cp?.writtenAtMs ?? 0;
  const newest = segments[segments.length - 1];
  if (newest !== undefined) lastWriteMs = Math.max(lastWriteMs, statSync(newest.path).mtimeMs);
  const downtimeS = Math.max(0, (nowMs - lastWriteMs) / 1000);
  const nextTick = lastTick + 1;
  const maxGapS = engine.model.runtime.resumeMaxGapUs / 1e6;
  if (downtimeS > maxGapS) {
    const reason = `the previous run stopped ${downtimeS.toFixed(1)} s ago, more than resume_max_gap (${maxGapS} s): temporal state starts fresh`;
    if (cp !== undefined && cp.actions.length > 0) opts.report(`${cp.actions.length} action runs owed by the previous run are not run: ${reason}`);
    return { ...base, outcome: 'fresh', reason, nextTick, downtimeS };
  }

  let carried: CarriedState | undefined;
  let from = segments[0]?.firstTick ?? nextTick;
  if (cp !== undefined) {
    if (cp.configHash === opts.configHash) {
      engine.restore(cp.engine);
    } else {
      carried = carryEngineState(cp.engine, cp.layout, engine);
      engine.restore(carried.state);
    }
    from = cp.tick + 1;
  }
  if (cp === undefined && from > 0) {
    // No checkpoint, and the journal does not reach back to tick 0: the state it would rebuild
    // from is gone.
    const reason = `no valid checkpoint, and the journal starts at tick ${from}: the state before it is gone; temporal state starts fresh`;
    return { ...base, outcome: 'fresh', reason, nextTick, downtimeS };
  }
  const replayed = segments.length === 0 ? { ticks: 0, lastTick: from - 1, records: [], hole: undefined } : replay(engine, reader, from, opts);
  let resumedRuns = 0;
  if (cp !== undefined && cp.actions.length > 0) {
    run.dispatcher.resume(cp.actions, (condition, edge, index) => {
      const node = engine.nodes.find((n) => n.id === condition);
      return (edge === 'rising' ? node?.actions : node?.onFalling)?.[index];
    });
    resumedRuns = cp.actions.length;
  }
  let reason: string | undefined;
  if (replayed.lastTick < lastJournaled || replayed.hole !== undefined) reason = replayed.hole ?? `journal replay stopped at tick ${replayed.lastTick}`;
  return {
    outcome: 'resumed',
    reason,
    checkpointTick: cp?.tick ?? -1,
    checkpointFile: cp?.file,
    replayedTicks: replayed.ticks,
    // After damage, the ticks past the replayed ones are lost input: live ticks still continue
    // after the newest tick on disk, so tick numbers never repeat.
    nextTick,
    downtimeS,
    carried,
    resumedRuns,
    records: replayed.records,
  };
}

/** Runs journaled input from `from` on through the engine; actions are not dispatched again. */
function replay(engine: Engine, reader: JournalReader, from: number, opts: LivePersistenceOptions): { ticks: number; lastTick: number; records: EventRecord[]; hole: string | undefined } {
  const records: EventRecord[] = [];
  const ids = engine.model.sensors.map((s) => s.id);
  let ticks = 0;
  let lastTick = from - 1;
  let hole: string | undefined;
  const logAfter = opts.logThroughTick ?? Infinity;
  for (const { tick, frame } of replayFrames(reader.records(from), { size: ids.length, fromTick: from, mapFor: sensorMapper(reader, ids) })) {
    if (ticks === 0 && (reader.outcome.coversFrom ?? from) > from) {
      hole = `the journal starts at tick ${reader.outcome.coversFrom}, after the checkpoint's tick ${from - 1}: the input in between is gone`;
      opts.report(hole);
    }
    const out = engine.step(frame, tick);
    if (tick > logAfter) for (const r of out.records) records.push(r);
    ticks++;
    lastTick = tick;
  }
  const damage = reader.outcome.damage;
  if (damage !== undefined) opts.report(damage.message);
  for (const gap of reader.outcome.gaps) opts.report(gap.message);
  return { ticks, lastTick, records, hole };
}
