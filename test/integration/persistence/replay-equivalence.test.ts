/**
 * The journal and checkpoints against the real evaluation core, on real files:
 * - replay: a deployment simulated with its input journaled, then the journal alone run through
 *   a fresh engine, gives the same event log, byte for byte;
 * - recovery: an engine restored from a checkpoint taken mid-run, fed the journal after it,
 *   continues with the same log as the uninterrupted run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { simulateAction } from '../../../src/actions/sim-executor.js';
import { loadConfigText } from '../../../src/config/load.js';
import type { DeploymentModel } from '../../../src/config/model.js';
import { buildEngine } from '../../../src/core/build-graph.js';
import type { Engine } from '../../../src/core/engine.js';
import type { Frame } from '../../../src/core/frame.js';
import { CheckpointStore } from '../../../src/persistence/checkpoint/checkpoint-store.js';
import { hashConfig } from '../../../src/persistence/config-hash.js';
import { JournalReader } from '../../../src/persistence/journal/journal-reader.js';
import { JournalWriter } from '../../../src/persistence/journal/journal-writer.js';
import { replayFrames } from '../../../src/persistence/journal/replay-frames.js';
import { Simulation } from '../../../src/runtime/simulation.js';
import { ManualTimers, tempDirs } from '../../unit/persistence/helpers.js';

const dirs = tempDirs();
afterEach(() => dirs.cleanup());

function load(path: string): DeploymentModel {
  const { model, issues } = loadConfigText(readFileSync(path, 'utf8'), path);
  if (model === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  return model;
}

/** One tick through an engine, logged as `spatia sim` logs it. */
function step(engine: Engine, frame: Frame, tick: number, log: string[]): void {
  const { records, actions } = engine.step(frame, tick);
  for (const r of records) log.push(JSON.stringify(r));
  for (const a of actions) log.push(JSON.stringify(simulateAction(a)));
}

function freshEngine(model: DeploymentModel): Engine {
  const { engine } = buildEngine(model);
  if (engine === undefined) throw new Error('invalid model');
  return engine;
}

/** Simulates `ticks` ticks, journaling every frame and checkpointing after tick `at`. */
async function recordRun(model: DeploymentModel, ticks: number, at: number, stateDir: string): Promise<string[]> {
  const sim = new Simulation(model, { seed: 7 });
  const writer = await JournalWriter.open({ dir: join(stateDir, 'journal'), configHash: hashConfig(model), periodUs: sim.periodUs, sensors: model.sensors.map((s) => s.id), env: { timers: new ManualTimers() }, maxSegmentBytes: 2048 });
  const store = new CheckpointStore(join(stateDir, 'checkpoints'));
  const log: string[] = [];
  for (let k = 0; k < ticks; k++) {
    const frame = sim.sampler.sample(Math.round(k * sim.periodUs));
    step(sim.engine, frame, k, log);
    writer.append(k, frame);
    if (k === at) await store.write({ tick: k, configHash: hashConfig(model), formatVersion: 1, periodUs: sim.periodUs, parts: { engine: sim.engine.snapshot() } });
  }
  await writer.close();
  return log;
}

const DEPLOYMENTS: Array<[string, number]> = [
  ['test/golden/held-for.yaml', 400],
  ['test/golden/sensor-health.yaml', 400],
  ['test/golden/entities.yaml', 400],
  ['test/golden/units-hysteresis.yaml', 400],
];
/** Deployments with window aggregates (avg/min/max/sum/count/delta/rate). */
const WINDOWED: Array<[string, number]> = [
  ['config/demo.yaml', 6000],
  ['test/golden/seq-windows.yaml', 60],
];

describe('journal replay reproduces the event log', () => {
  it.each([...DEPLOYMENTS, ...WINDOWED])('%s', async (path, ticks) => {
    const model = load(path);
    const dir = dirs.make();
    const original = await recordRun(model, ticks, Math.floor(ticks / 2), dir);
    expect(original.length).toBeGreaterThan(0);
    const engine = freshEngine(model);
    const log: string[] = [];
    const reader = new JournalReader(join(dir, 'journal'));
    for (const { tick, frame } of replayFrames(reader.records(), { size: model.sensors.length, fromTick: 0, toTick: ticks - 1 })) step(engine, frame, tick, log);
    expect(reader.outcome.damage).toBeUndefined();
    expect(log).toEqual(original);
  });
});

describe('a checkpoint plus the journal after it continue the run exactly', () => {
  async function restoreAndContinue(path: string, ticks: number): Promise<void> {
    const model = load(path);
    const dir = dirs.make();
    const at = Math.floor(ticks / 3);
    const original = await recordRun(model, ticks, at, dir);
    const { checkpoint } = await new CheckpointStore(join(dir, 'checkpoints')).readLatestValid({ formatVersion: 1 });
    expect(checkpoint?.tick).toBe(at);
    const engine = freshEngine(model);
    engine.restore(checkpoint?.parts['engine']);
    const log: string[] = [];
    const from = at + 1;
    for (const { tick, frame } of replayFrames(new JournalReader(join(dir, 'journal')).records(from), { size: model.sensors.length, fromTick: from, toTick: ticks - 1 })) {
      step(engine, frame, tick, log);
    }
    expect(log).toEqual(original.filter((line) => (JSON.parse(line) as { tick: number }).tick > at));
  }

  // Windows included: each window operator's snapshot carries the series it reads.
  it.each([...DEPLOYMENTS, ...WINDOWED])('%s', restoreAndContinue);
});
