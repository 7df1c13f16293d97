/**
 * `npm run bench`: the runtime core's figures (issue "runtime core", Speed):
 * 1. 1,000 mock sensors and 1,000 conditions (thresholds, held, within, 1-minute windows) at
 *    10 Hz, simulated as fast as possible: mean evaluation cost per tick (Engine.step), and the
 *    sampling cost beside it, in poll and event modes.
 * 2. Allocation in steady state: heap growth and garbage collections over 100,000 ticks.
 * 3. `spatia validate config/demo.yaml` wall time.
 * Prints figures; asserts nothing (tests never time things).
 */
import { execFileSync } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import type { DeploymentModel, EvalMode } from '../../src/config/model.js';
import type { EventRecord } from '../../src/core/event-record.js';
import { Simulation } from '../../src/runtime/simulation.js';

const SENSORS = 1000;
const CONDITIONS = 1000;

/** The benchmark deployment. `quiet` puts every threshold out of reach: no edges, steady state. */
export function benchDeployment(quiet: boolean): Record<string, unknown> {
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
  for (let i = 0; i < CONDITIONS; i++) {
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

export function model(quiet: boolean, mode: EvalMode): DeploymentModel {
  const spec = benchDeployment(quiet);
  (spec['runtime'] as Record<string, unknown>)['mode'] = mode;
  const { model: m, issues } = loadConfigText(stringify(spec), '<bench>');
  if (m === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  return m;
}

function evaluationCost(mode: EvalMode): void {
  const sim = new Simulation(model(false, mode), { seed: 1 });
  const out: EventRecord[] = [];
  for (let i = 0; i < 2000; i++) {
    sim.tick(out);
    out.length = 0;
  }
  const ticks = 12_000;
  let sampleNs = 0n;
  let stepNs = 0n;
  let edges = 0;
  const periodUs = sim.periodUs;
  for (let i = 0; i < ticks; i++) {
    const k = sim.tickIndex++;
    const t0 = process.hrtime.bigint();
    const frame = sim.sampler.sample(k * periodUs);
    const t1 = process.hrtime.bigint();
    const r = sim.engine.step(frame, k);
    const t2 = process.hrtime.bigint();
    edges += r.records.length;
    sampleNs += t1 - t0;
    stepNs += t2 - t1;
  }
  const perTick = (ns: bigint): string => (Number(ns) / ticks / 1000).toFixed(1);
  console.log(
    `  ${mode.padEnd(5)}  evaluation ${perTick(stepNs).padStart(6)} µs/tick   sampling ${perTick(sampleNs).padStart(6)} µs/tick   ` +
      `(${ticks} ticks, ${edges} records, ${(sim.engine.evaluations / (ticks + 2000)).toFixed(0)} evaluations/tick)`,
  );
}

function allocation(mode: EvalMode): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  const sim = new Simulation(model(true, mode), { seed: 1 });
  const out: EventRecord[] = [];
  for (let i = 0; i < 5000; i++) {
    sim.tick(out);
    out.length = 0;
  }
  let collections = 0;
  const obs = new PerformanceObserver((list) => (collections += list.getEntries().length));
  obs.observe({ entryTypes: ['gc'] });
  gc?.();
  const before = getHeapStatistics().used_heap_size;
  const ticks = 100_000;
  const periodUs = sim.periodUs;
  let records = 0;
  for (let i = 0; i < ticks; i++) {
    const k = sim.tickIndex++;
    records += sim.engine.step(sim.sampler.sample(k * periodUs), k).records.length;
  }
  const after = getHeapStatistics().used_heap_size;
  obs.disconnect();
  const grew = after - before;
  console.log(
    `  ${mode.padEnd(5)}  ${ticks} ticks: heap ${grew >= 0 ? '+' : ''}${(grew / 1024).toFixed(0)} KiB ` +
      `(${(grew / ticks).toFixed(2)} bytes/tick), ${collections} GC${collections === 1 ? '' : 's'} during the run, ${records} records` +
      (gc === undefined ? ' (run with --expose-gc for a clean baseline)' : ''),
  );
}

function validateTime(): void {
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, ['bin/spatia.js', 'validate', 'config/demo.yaml'], { stdio: 'ignore' });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  runs.sort((a, b) => a - b);
  console.log(`  spatia validate config/demo.yaml: median ${runs[2]?.toFixed(0)} ms, max ${runs[4]?.toFixed(0)} ms (5 runs, whole process)`);
}

export function main(): void {
  console.log(`1. ${SENSORS} mock sensors, ${CONDITIONS} conditions (threshold / held / within / 1 min avg), 10 Hz:`);
  evaluationCost('poll');
  evaluationCost('event');
  console.log('2. Steady-state allocation (thresholds out of reach: no edges), sampling + evaluation:');
  allocation('poll');
  allocation('event');
  console.log('3. Validation:');
  validateTime();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
