/**
 * The deployment the core benches run: 1,000 mock sensors (sine, random walk, square: every one
 * changes nearly every tick) and N conditions mixing thresholds, held, within and 1-minute
 * averages, at 10 Hz.
 */
import { stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import type { DeploymentModel, EvalMode } from '../../src/config/model.js';
import { Frame } from '../../src/core/frame.js';
import { tickTimeUs } from '../../src/conditions/temporal-op.js';
import type { Simulation } from '../../src/runtime/simulation.js';

export const SENSORS = 1000;

/** The benchmark deployment. `quiet` puts every threshold out of reach: no edges, steady state. */
export function benchDeployment(quiet: boolean, conditionCount = 1000): Record<string, unknown> {
  const sensors = [];
  for (let i = 0; i < SENSORS; i++) {
    const signal =
      i % 3 === 0
        ? { sine: { mean: 50, amplitude: 40, period: `${20 + (i % 50)}s`, phase: `${i % 7}s` } }
        : i % 3 === 1
          ? { random_walk: { start: 50, step: 2, min: 0, max: 100 } }
          : { square: { low: 10, high: 90, period: `${10 + (i % 30)}s`, duty: 0.3 } };
    sensors.push({ id: `s${i}`, kind: 'mock', unit: 'degC', signal });
  }
  const conditions = [];
  for (let i = 0; i < conditionCount; i++) {
    const a = `s${i % SENSORS}`;
    const b = `s${(i * 7 + 3) % SENSORS}`;
    const x = quiet ? 1000 : 60 + (i % 30);
    const when =
      i % 4 === 0
        ? `${a} > ${x} degC and ${b} < 95 degC`
        : i % 4 === 1
          ? `held(${a} > ${x} degC, 10s)`
          : i % 4 === 2
            ? `within(${a} > ${x} degC, 30s) or ${b} > ${x + 5} degC`
            : `avg(${a}, 1min) > ${x - 15} degC`;
    conditions.push({ id: `c${i}`, when, actions: [{ log: `c${i} fired` }] });
  }
  return { version: 1, runtime: { tick_rate: '10 Hz' }, sensors, conditions };
}

/** Loads a deployment given as a plain object (or YAML text); throws on any config issue. */
export function loadSpec(spec: unknown, file = '<bench>'): DeploymentModel {
  const { model, issues } = loadConfigText(typeof spec === 'string' ? spec : stringify(spec), file);
  if (model === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  return model;
}

export function model(quiet: boolean, mode: EvalMode, conditionCount = 1000): DeploymentModel {
  const spec = benchDeployment(quiet, conditionCount);
  (spec['runtime'] as Record<string, unknown>)['mode'] = mode;
  return loadSpec(spec);
}

/** A copy of a frame, so the evaluation core can be fed without the sampler. */
export function copyFrame(src: Frame): Frame {
  const f = new Frame(src.size);
  f.status.set(src.status);
  f.num.set(src.num);
  for (let k = 0; k < src.size; k++) {
    f.obj[k] = src.obj[k];
    f.error[k] = src.error[k];
  }
  return f;
}

/** Copies of `count` consecutive sampled frames. */
export function recordFrames(sim: Simulation, count: number): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) frames.push(copyFrame(sim.sampler.sample(tickTimeUs(sim.tickIndex + i, sim.periodUs))));
  return frames;
}
