import { createWriteStream, existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { simulateAction } from '../actions/sim-executor.js';
import { buildEngine } from '../core/build-graph.js';
import { formatRecord } from '../core/event-record.js';
import { JournalReader } from '../persistence/journal/journal-reader.js';
import { replayFrames, sensorMapper } from '../persistence/journal/replay-frames.js';
import type { CliIo } from './cli-io.js';
import { EXIT } from './exit-codes.js';
import { loadOrReport } from './load-or-report.js';

export const REPLAY_USAGE = 'usage: spatia replay STATE_DIR|JOURNAL_DIR --config CONFIG [--out FILE]';

/** Records are written in chunks of this many ticks. */
const CHUNK_TICKS = 1000;

/** `STATE_DIR` (holding `journal/`), the journal directory itself, or one of its segments. */
function journalDirOf(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  if (statSync(path).isFile()) return dirname(path);
  return existsSync(join(path, 'journal')) ? join(path, 'journal') : path;
}

/**
 * `spatia replay STATE_DIR --config CONFIG` (SPEC §6): runs the recorded sensor input of a
 * journal through CONFIG (the one that recorded it, or a changed one) on the simulated clock and
 * prints the event log. Deterministic: the same journal and config give the same log; with the
 * recording config it is the log of the recorded run (actions are recorded as in `sim`). Sensors
 * are matched by id: a sensor the journal does not know stays unknown, and recorded sensors the
 * config dropped are ignored. Damage in the journal and input it does not reach back to are
 * reported on stderr; the replay covers what is readable.
 */
export async function replayCommand(args: readonly string[], io: CliIo): Promise<number> {
  let source: string;
  let config: string;
  let out: string | undefined;
  try {
    const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { config: { type: 'string' }, out: { type: 'string' } } });
    if (positionals.length !== 1) throw new Error('expected exactly one STATE_DIR or journal directory');
    if (values.config === undefined) throw new Error('--config CONFIG is required');
    source = positionals[0] as string;
    config = values.config;
    out = values.out;
  } catch (err) {
    io.err(`spatia replay: ${err instanceof Error ? err.message : String(err)}`);
    io.err(REPLAY_USAGE);
    return EXIT.usage;
  }
  const dir = journalDirOf(source);
  if (dir === undefined) {
    io.err(`spatia replay: ${source} does not exist`);
    return EXIT.failure;
  }
  const loaded = loadOrReport(config, io.err);
  if (loaded === undefined) return EXIT.config;
  const { engine, issues } = buildEngine(loaded.model);
  if (engine === undefined) {
    for (const i of issues.sorted()) io.err(i.message);
    return EXIT.config;
  }
  const reader = new JournalReader(dir);
  if (reader.segments().length === 0) {
    io.err(`spatia replay: no journal segments in ${dir}`);
    return EXIT.failure;
  }
  const sink: Writable = out === undefined ? process.stdout : createWriteStream(out);
  const ids = loaded.model.sensors.map((s) => s.id);
  let chunk = '';
  let ticks = 0;
  let edges = 0;
  for (const { tick, frame } of replayFrames(reader.records(0), { size: ids.length, mapFor: sensorMapper(reader, ids) })) {
    const { records, actions } = engine.step(frame, tick);
    for (const r of records) {
      if (r.type === 'edge') edges++;
      chunk += formatRecord(r);
    }
    for (const a of actions) chunk += formatRecord(simulateAction(a));
    if (++ticks % CHUNK_TICKS === 0 && chunk.length > 0) {
      if (!sink.write(chunk)) await new Promise((res) => sink.once('drain', res));
      chunk = '';
    }
  }
  if (chunk.length > 0) sink.write(chunk);
  if (sink !== process.stdout) await new Promise<void>((res) => sink.end(res));
  const o = reader.outcome;
  if (o.coversFrom !== undefined && o.coversFrom > 0) {
    io.err(`spatia replay: the journal starts at tick ${o.coversFrom} (older segments were deleted once checkpoints covered them); state before it is not replayed`);
  }
  for (const g of o.gaps) io.err(`spatia replay: gap: ${g.message} (${g.file})`);
  if (o.damage !== undefined) io.err(`spatia replay: damaged journal: ${o.damage.message}; replayed up to the last good record`);
  io.err(`spatia replay: ${ticks} ticks (up to tick ${o.lastTick}) from ${dir} through ${config}: ${edges} edges`);
  return EXIT.ok;
}
