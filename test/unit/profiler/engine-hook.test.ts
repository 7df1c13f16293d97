import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tickTimeUs } from '../../../src/conditions/temporal-op.js';
import { parseDuration } from '../../../src/config/durations.js';
import { loadConfigFile } from '../../../src/config/load.js';
import type { DeploymentModel, EvalMode } from '../../../src/config/model.js';
import { type EngineProfiler, StepPhase } from '../../../src/core/engine.js';
import { formatRecord, type EventRecord } from '../../../src/core/event-record.js';
import { profileSimulation } from '../../../src/profiler/profiled-simulation.js';
import { ZERO_COSTS } from '../../../src/profiler/unit-costs.js';
import { Simulation } from '../../../src/runtime/simulation.js';
import { modelOf, withMode } from '../../helpers/simulate.js';

const golden = join(dirname(fileURLToPath(import.meta.url)), '../../golden');

/** Duration and seed from a golden file's `# sim:` line (as test/golden does). */
function simOptions(yaml: string): { durationUs: number; seed: number } {
  const line = /^# sim:(.*)$/m.exec(yaml)?.[1] ?? '';
  const d = parseDuration(/--duration (\S+)/.exec(line)?.[1] ?? '10s');
  if ('error' in d) throw new Error(d.error);
  return { durationUs: d.us, seed: Number(/--seed (\S+)/.exec(line)?.[1] ?? '1') };
}

async function profiledLog(model: DeploymentModel, o: { durationUs: number; seed: number; baseDir: string }, strides: { tickStride?: number; nodeStride?: number }): Promise<string> {
  const records: EventRecord[] = [];
  await profileSimulation(model, { ...o, journalDir: undefined, costs: ZERO_COSTS, records, warmupTicks: 50, ...strides });
  return records.map(formatRecord).join('');
}

/** Records every mark the engine makes. */
class RecordingProfiler implements EngineProfiler {
  readonly marks: Array<[number, number]> = [];
  constructor(readonly timeNodes: boolean) {}
  mark(phase: StepPhase, node: number): void {
    this.marks.push([phase, node]);
  }
}

describe('the engine under the profiler', () => {
  const cases = readdirSync(golden).filter((f) => f.endsWith('.yaml'));
  for (const file of cases) {
    for (const mode of ['poll', 'event'] as EvalMode[]) {
      it(`writes the golden log of ${file} (${mode}), every tick and every node timed or sampled`, async () => {
        const yaml = readFileSync(join(golden, file), 'utf8');
        const model = withMode(modelOf(yaml), mode);
        const o = { ...simOptions(yaml), baseDir: golden };
        const expected = readFileSync(join(golden, file.replace(/\.yaml$/, '.expected.jsonl')), 'utf8');
        expect(await profiledLog(model, o, { tickStride: 1, nodeStride: 2 })).toBe(expected);
        expect(await profiledLog(model, o, { tickStride: 7, nodeStride: 1 })).toBe(expected);
      });
    }
  }

  it('writes the same log as a plain simulation of the demo, after its warm-up, with the strides the budget picks', async () => {
    const { model } = loadConfigFile('config/demo.yaml');
    if (model === undefined) throw new Error('demo is invalid');
    const o = { durationUs: 30 * 60e6, seed: 3, baseDir: 'config' };
    const sim = new Simulation(model, o);
    const plain = sim.runFor(o.durationUs).map(formatRecord).join('');
    const records: EventRecord[] = [];
    // The warm-up runs 1000 ticks and rewinds: neither the log nor the counts may show it.
    const run = await profileSimulation(model, { ...o, journalDir: undefined, records, warmupTicks: 1000 });
    expect(run.warmupTicks).toBe(1000);
    expect(records.map(formatRecord).join('')).toBe(plain);
    expect(run.counts.evaluations).toBe(sim.engine.evaluations);
    expect(run.profiler.ticks).toBe(sim.tickIndex);
  });

  it('marks its phases in order, and every evaluated node once when asked to', () => {
    const yaml = readFileSync(join(golden, 'entities.yaml'), 'utf8');
    const sim = new Simulation(modelOf(yaml), { seed: 1, baseDir: golden });
    const nodes = sim.engine.nodes;
    for (const [k, timeNodes] of [[0, false], [1, true]] as const) {
      const p = new RecordingProfiler(timeNodes);
      const before = sim.engine.evaluations;
      sim.engine.stepProfiled(sim.sampler.sample(tickTimeUs(k, sim.periodUs)), k, p);
      const evaluated = sim.engine.evaluations - before;
      expect(p.marks[0]).toEqual([StepPhase.Sensors, -1]);
      expect(p.marks[1]).toEqual([StepPhase.Spatial, -1]);
      const rest = p.marks.slice(2);
      if (timeNodes) {
        expect(rest).toHaveLength(evaluated);
        for (const [phase, node] of rest) expect(phase).toBe(nodes[node]?.kind === 'condition' ? StepPhase.Conditions : StepPhase.Patterns);
        expect(new Set(rest.map(([, node]) => node)).size).toBe(evaluated);
      } else {
        expect(rest.every(([phase, node]) => node === -1 && (phase === StepPhase.Patterns || phase === StepPhase.Conditions))).toBe(true);
        expect(rest.at(-1)?.[0]).toBe(nodes.at(-1)?.kind === 'condition' ? StepPhase.Conditions : StepPhase.Patterns);
      }
    }
  });
});
