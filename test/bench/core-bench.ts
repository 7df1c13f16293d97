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
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getHeapStatistics } from 'node:v8';
import { stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import type { DeploymentModel, EvalMode } from '../../src/config/model.js';
import type { EventRecord } from '../../src/core/event-record.js';
import { Frame } from '../../src/core/frame.js';
import { tickTimeUs } from '../../src/conditions/temporal-op.js';
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
    const frame = sim.sampler.sample(tickTimeUs(k, periodUs));
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

/** Copies of `count` consecutive sampled frames, so the evaluation core can be measured alone. */
function recordFrames(sim: Simulation, count: number): Frame[] {
  const frames: Frame[] = [];
  for (let i = 0; i < count; i++) {
    const src = sim.sampler.sample(tickTimeUs(sim.tickIndex + i, sim.periodUs));
    const f = new Frame(src.size);
    f.status.set(src.status);
    f.num.set(src.num);
    for (let k = 0; k < src.size; k++) f.obj[k] = src.obj[k];
    frames.push(f);
  }
  return frames;
}

/** Heap growth and GCs while `run(ticks)` runs; the loop lives in the callee, optimised. */
function heapGrowth(run: (ticks: number) => number, ticks: number): { bytesPerTick: number; gcs: number; records: number } {
  let gcs = 0;
  const obs = new PerformanceObserver((list) => (gcs += list.getEntries().length));
  obs.observe({ entryTypes: ['gc'] });
  (globalThis as { gc?: () => void }).gc?.();
  const before = getHeapStatistics().used_heap_size;
  const records = run(ticks);
  const after = getHeapStatistics().used_heap_size;
  // GC entries are delivered asynchronously: collect the pending ones before disconnecting.
  gcs += obs.takeRecords().length;
  obs.disconnect();
  return { bytesPerTick: (after - before) / ticks, gcs, records };
}

function allocation(mode: EvalMode): void {
  const sim = new Simulation(model(true, mode), { seed: 1 });
  const out: EventRecord[] = [];
  for (let i = 0; i < 5000; i++) {
    sim.tick(out);
    out.length = 0;
  }
  // 1. The evaluation core alone, fed 600 recorded frames in a loop (every sensor changes).
  const frames = recordFrames(sim, 600);
  const step = (ticks: number): number => {
    let records = 0;
    for (let i = 0; i < ticks; i++) {
      const k = sim.tickIndex++;
      records += sim.engine.step(frames[i % frames.length] as Frame, k).records.length;
    }
    return records;
  };
  step(20_000);
  const core = heapGrowth(step, 100_000);
  // 2. The whole simulated tick: mock signals sampled, then evaluated.
  const whole = heapGrowth((ticks) => {
    let records = 0;
    for (let i = 0; i < ticks; i++) {
      const k = sim.tickIndex++;
      records += sim.engine.step(sim.sampler.sample(tickTimeUs(k, sim.periodUs)), k).records.length;
    }
    return records;
  }, 100_000);
  const show = (r: { bytesPerTick: number; gcs: number; records: number }): string =>
    `${r.bytesPerTick.toFixed(2)} bytes/tick, ${r.gcs} GC${r.gcs === 1 ? '' : 's'}, ${r.records} records`;
  console.log(`  ${mode.padEnd(5)}  evaluation core (Engine.step): ${show(core)}   sampling + evaluation: ${show(whole)}`);
}

/** Steady-state garbage of the evaluation core per kind of condition (1,000 of one kind). */
function allocationByKind(): void {
  const kinds: Array<[string, (s: string) => string]> = [
    ['threshold', (s) => `${s} > 1000 degC`],
    ['held', (s) => `held(${s} > 1000 degC, 10s)`],
    ['within', (s) => `within(${s} > 1000 degC, 30s)`],
    ['1 min avg', (s) => `avg(${s}, 1min) > 1000 degC`],
    ['1 min max', (s) => `max(${s}, 1min) > 1000 degC`],
    ['1 min rate', (s) => `rate(${s}, 1min) > 1000 degC/s`],
  ];
  const parts: string[] = [];
  for (const [name, when] of kinds) {
    const spec = benchDeployment(true);
    spec['conditions'] = Array.from({ length: CONDITIONS }, (_, i) => ({ id: `c${i}`, when: when(`s${i % SENSORS}`) }));
    const { model: m } = loadConfigText(stringify(spec), '<bench>');
    if (m === undefined) throw new Error('bench model is invalid');
    const sim = new Simulation(m, { seed: 1 });
    const frames = recordFrames(sim, 600);
    const step = (ticks: number): number => {
      for (let i = 0; i < ticks; i++) sim.engine.step(frames[i % frames.length] as Frame, sim.tickIndex++);
      return 0;
    };
    step(20_000);
    const g = heapGrowth(step, 100_000);
    parts.push(`${name} ${g.bytesPerTick.toFixed(2)} (${g.gcs} GCs)`);
  }
  console.log(`  by condition kind (bytes/tick, 1,000 conditions, poll): ${parts.join(', ')}`);
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

/**
 * Each figure is measured in a fresh process: closures of one literal share V8's feedback, so a
 * second deployment compiled in the same process runs on code already specialised for the first.
 */
function inChild(args: string[]): void {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8' });
  process.stdout.write(out);
}

export function main(argv: readonly string[]): void {
  const [flag, what, mode] = argv;
  if (flag === '--one') {
    if (what === 'cost') evaluationCost(mode as EvalMode);
    else if (what === 'alloc') allocation(mode as EvalMode);
    else if (what === 'kinds') allocationByKind();
    return;
  }
  console.log(`1. ${SENSORS} mock sensors read every tick, ${CONDITIONS} conditions (threshold / held / within / 1 min avg), 10 Hz:`);
  for (const m of ['poll', 'event', 'auto']) inChild(['--one', 'cost', m]);
  console.log('2. Steady-state allocation over 100,000 ticks (thresholds out of reach: no edges; every sensor changes every tick):');
  for (const m of ['poll', 'event']) inChild(['--one', 'alloc', m]);
  inChild(['--one', 'kinds']);
  console.log('3. Validation:');
  validateTime();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
