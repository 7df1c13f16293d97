/**
 * `npm run bench`: the runtime core's figures (issue "runtime core", Speed; issue 7):
 * 1. Evaluation cost per tick (Engine.step; the sampler outside the timing) with 1,000 mock
 *    sensors and 1,000 or 10,000 conditions (thresholds, held, within, 1-minute windows) at
 *    10 Hz, in poll and event modes, with every sensor changing every tick and with 1% of them
 *    changing per tick; the speed-up of event mode over poll there.
 * 2. Allocation in steady state: heap growth and garbage collections over 100,000 ticks.
 * 3. `spatia validate config/demo.yaml` wall time.
 * Prints figures (`--json`: also one JSON line of them, last); asserts nothing (tests never time
 * things). BENCH_QUICK=1 runs fewer ticks.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import type { EvalMode } from '../../src/config/model.js';
import type { EventRecord } from '../../src/core/event-record.js';
import type { Frame } from '../../src/core/frame.js';
import { tickTimeUs } from '../../src/conditions/temporal-op.js';
import { Simulation } from '../../src/runtime/simulation.js';
import { emitFigures, type Figure, type FigureLine, QUICK, sized } from './bench-figure.js';
import { benchDeployment, loadSpec, model, recordFrames, SENSORS } from './bench-deployment.js';
import { evaluationCost } from './eval-cost.js';

const EVAL_GROUP = 'evaluation per tick (Engine.step; 1,000 mock sensors, 10 Hz)';
const ALLOC_GROUP = 'allocation per tick, steady state (< 1 B/tick means none: anything allocated every tick is >= 16 B)';
const ALLOC_TICKS = sized(50_000, 5_000);
/** Per kind of condition, half as long: six kinds, and 1 B/tick is still 50 kB to see. */
const KIND_TICKS = sized(50_000, 5_000);
/** Steps run before measuring allocation, so TurboFan has optimised the compiled closures. */
const ALLOC_WARMUP_TICKS = sized(20_000, 2_000);

const sizeKey = (n: number): string => (n >= 1000 ? `${n / 1000}k` : String(n));
const changingKey = (c: number): string => (c >= 1 ? 'all' : `${c * 100}pct`);
const changingText = (c: number): string => (c >= 1 ? 'every sensor changing' : `${c * 100}% of sensors changing`);

function costChild(mode: EvalMode, conditions: number, changing: number, closures = false): Figure[] {
  const big = conditions > 1000;
  const r = evaluationCost({ mode, conditions, changing, closures, warmupTicks: big ? sized(1000, 100) : sized(2000, 1000), ticks: big ? sized(2500, 200) : sized(12_000, 3000) });
  const on = closures ? ' (closures)' : '';
  console.log(
    `  ${mode.padEnd(5)}  ${String(conditions).padStart(5)} conditions, ${changingText(changing).padEnd(24)} evaluation ${r.stepUs.toFixed(1).padStart(7)} µs/tick${on}` +
      (r.sampleUs > 0 ? `   sampling ${r.sampleUs.toFixed(1).padStart(6)} µs/tick` : '') +
      `   (median of 50-tick batches; mean ${r.meanUs.toFixed(1)} µs; ${r.ticks} ticks, ${r.records} records, ${r.evaluationsPerTick.toFixed(0)} evaluations/tick)`,
  );
  if (closures) {
    // Context, no target: the same run with no node on a flat program.
    return [{ id: `eval.${sizeKey(conditions)}.${mode}.${changingKey(changing)}.closures`, group: EVAL_GROUP, name: `${conditions.toLocaleString('en-US')} conditions, ${mode}, ${changingText(changing)}, on closures (no flat programs)`, value: r.stepUs, unit: 'µs/tick' }];
  }
  const figures: Figure[] = [
    {
      id: `eval.${sizeKey(conditions)}.${mode}.${changingKey(changing)}`,
      group: EVAL_GROUP,
      name: `${conditions.toLocaleString('en-US')} conditions, ${mode}, ${changingText(changing)}`,
      value: r.stepUs,
      unit: 'µs/tick',
      target: { op: '<=', value: conditions * 0.1 },
      note: `median of 50-tick batches (mean ${r.meanUs.toFixed(1)}); ${r.evaluationsPerTick.toFixed(0)} evaluations/tick`,
    },
  ];
  if (r.sampleUs > 0 && mode === 'poll' && conditions === 1000) {
    figures.push({ id: 'eval.sampling', group: EVAL_GROUP, name: `sampling ${SENSORS.toLocaleString('en-US')} mock sensors`, value: r.sampleUs, unit: 'µs/tick' });
  }
  return figures;
}

/** Processes per mode for the 1% figures: their median is the figure. */
const SPEEDUP_PROCESSES = 3;

/**
 * Poll and event cost at 1% of sensors changing, and their ratio. Each from SPEEDUP_PROCESSES
 * processes, poll and event alternating: one process's event figure varies by up to half with
 * how V8 happened to optimise it (7 to 11 µs/tick at 1,000 conditions on the same host; polling
 * varies far less), so the median process is the figure and the spread is printed beside it.
 */
function speedupAt1pct(conditions: number): Figure[] {
  const runs: Record<'poll' | 'event', Figure[]> = { poll: [], event: [] };
  for (let i = 0; i < SPEEDUP_PROCESSES; i++) {
    for (const mode of ['poll', 'event'] as const) runs[mode].push(...inChild(['--one', 'cost', mode, String(conditions), '0.01']));
  }
  const median = (fs: Figure[]): Figure => {
    const sorted = [...fs].sort((a, b) => (a.value ?? NaN) - (b.value ?? NaN));
    const m = sorted[Math.floor(sorted.length / 2)] as Figure;
    const all = fs.map((f) => (f.value ?? NaN).toFixed(1)).join(', ');
    return { ...m, note: `${m.note ?? ''}; median of ${fs.length} processes (${all})` };
  };
  const poll = median(runs.poll);
  const event = median(runs.event);
  const k = sizeKey(conditions);
  const ratio = (poll.value ?? NaN) / (event.value ?? NaN);
  console.log(`  ${conditions} conditions, 1% of sensors changing: event mode ${ratio.toFixed(1)}x cheaper than poll (target >= 5x)`);
  return [
    poll,
    event,
    { id: `eval.${k}.event_speedup_1pct`, group: EVAL_GROUP, name: `${conditions.toLocaleString('en-US')} conditions, 1% changing: poll cost / event cost`, value: ratio, unit: 'x', target: { op: '>=', value: 5 }, note: 'of the two medians above' },
  ];
}

/**
 * Bytes allocated per tick while `run(ticks)` runs (the loop lives in the callee, optimised), the
 * least of WINDOWS windows: the heap's growth plus what each GC in between freed, from V8's GC
 * profiler. The GC count is
 * the profiler's too: PerformanceObserver delivers GC entries asynchronously, so a synchronous
 * run saw none of them (earlier versions of this bench said "0 GCs" while V8 scavenged).
 */
function heapGrowth(run: (ticks: number) => number, ticks: number): { bytesPerTick: number; gcs: number; records: number; windows: string } {
  const all = Array.from({ length: WINDOWS }, () => heapGrowthOnce(run, ticks));
  const least = all.reduce((a, b) => (b.bytesPerTick < a.bytesPerTick ? b : a));
  return { ...least, windows: all.map((g) => g.bytesPerTick.toFixed(2)).join(', ') };
}

/**
 * Windows measured per figure: the least is the figure. What a tick allocates shows in every
 * window; what V8 allocates once in a while (code for a function it recompiled, feedback) lands
 * in one, 100-250 KB at a time, which over 50,000 ticks reads as 2-5 B/tick.
 */
const WINDOWS = 3;

function heapGrowthOnce(run: (ticks: number) => number, ticks: number): { bytesPerTick: number; gcs: number; records: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const profiler = new GCProfiler();
  profiler.start();
  const before = getHeapStatistics().used_heap_size;
  const records = run(ticks);
  const after = getHeapStatistics().used_heap_size;
  const gcs = profiler.stop()?.statistics ?? [];
  let freed = 0;
  for (const g of gcs) freed += g.beforeGC.heapStatistics.usedHeapSize - g.afterGC.heapStatistics.usedHeapSize;
  return { bytesPerTick: (after - before + freed) / ticks, gcs: gcs.length, records };
}

/**
 * Runs `run` until its code is optimised, then once more after a full GC: a GC deoptimises code
 * that embedded objects which have since died (the set-up's, an earlier simulation's), and the
 * code runs unoptimised, boxing doubles, until TurboFan has compiled it again (56 B/tick for a
 * while after one at 1,000 `max` conditions, seen with the sampling heap profiler). The window
 * measured next starts with a GC too (heapGrowth): it then finds nothing more to deoptimise.
 */
function warmUp(run: (ticks: number) => number): void {
  run(ALLOC_WARMUP_TICKS);
  (globalThis as { gc?: () => void }).gc?.();
  run(ALLOC_WARMUP_TICKS);
}

type Growth = ReturnType<typeof heapGrowth>;
const gcNote = (g: Growth): string => `${g.gcs} GC${g.gcs === 1 ? '' : 's'}, ${g.records} records; least of ${WINDOWS} windows (${g.windows})`;

function allocFigure(id: string, name: string, g: Growth): Figure {
  // Until TurboFan has optimised the compiled closures, the interpreter boxes doubles.
  const note = QUICK ? `${gcNote(g)}; BENCH_QUICK: warm-up too short to judge` : gcNote(g);
  return { id, group: ALLOC_GROUP, name, value: g.bytesPerTick, unit: 'B/tick', target: { op: '<', value: 1 }, note };
}

function allocChild(mode: EvalMode): Figure[] {
  const sim = new Simulation(model(true, mode), { seed: 1 });
  const out: EventRecord[] = [];
  for (let i = 0; i < sized(5000, 1000); i++) {
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
  warmUp(step);
  const core = heapGrowth(step, ALLOC_TICKS);
  // 2. The whole simulated tick: mock signals sampled, then evaluated. Warmed up like the first,
  // so that compiling this loop is not counted as what a tick allocates.
  const sampledStep = (ticks: number): number => {
    let records = 0;
    for (let i = 0; i < ticks; i++) {
      const k = sim.tickIndex++;
      records += sim.engine.step(sim.sampler.sample(tickTimeUs(k, sim.periodUs)), k).records.length;
    }
    return records;
  };
  warmUp(sampledStep);
  const whole = heapGrowth(sampledStep, ALLOC_TICKS);
  const show = (r: Growth): string => `${r.bytesPerTick.toFixed(2)} bytes/tick, ${gcNote(r)}`;
  console.log(`  ${mode.padEnd(5)}  evaluation core (Engine.step): ${show(core)}   sampling + evaluation: ${show(whole)}`);
  return [allocFigure(`alloc.core.${mode}`, `Engine.step, 1,000 conditions, ${mode}`, core), allocFigure(`alloc.tick.${mode}`, `sampling + Engine.step, ${mode}`, whole)];
}

/** Steady-state garbage of the evaluation core per kind of condition (1,000 of one kind). */
function kindsChild(): Figure[] {
  const kinds: Array<[string, string, (s: string) => string]> = [
    ['threshold', 'threshold', (s) => `${s} > 1000 degC`],
    ['held', 'held', (s) => `held(${s} > 1000 degC, 10s)`],
    ['within', 'within', (s) => `within(${s} > 1000 degC, 30s)`],
    ['avg', '1 min avg', (s) => `avg(${s}, 1min) > 1000 degC`],
    ['max', '1 min max', (s) => `max(${s}, 1min) > 1000 degC`],
    ['rate', '1 min rate', (s) => `rate(${s}, 1min) > 1000 degC/s`],
  ];
  const parts: string[] = [];
  const figures: Figure[] = [];
  for (const [key, name, when] of kinds) {
    const spec = benchDeployment(true);
    spec['conditions'] = Array.from({ length: 1000 }, (_, i) => ({ id: `c${i}`, when: when(`s${i % SENSORS}`) }));
    const sim = new Simulation(loadSpec(spec), { seed: 1 });
    const frames = recordFrames(sim, 600);
    const step = (ticks: number): number => {
      for (let i = 0; i < ticks; i++) sim.engine.step(frames[i % frames.length] as Frame, sim.tickIndex++);
      return 0;
    };
    warmUp(step);
    const g = heapGrowth(step, KIND_TICKS);
    parts.push(`${name} ${g.bytesPerTick.toFixed(2)} (${g.gcs} GCs)`);
    figures.push(allocFigure(`alloc.kind.${key}`, `Engine.step, 1,000 ${name} conditions, poll`, g));
  }
  console.log(`  by condition kind (bytes/tick over ${KIND_TICKS.toLocaleString('en-US')} ticks, 1,000 conditions, poll): ${parts.join(', ')}`);
  return figures;
}

function validateTime(): Figure {
  const runs: number[] = [];
  const n = sized(5, 3);
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, ['bin/spatia.js', 'validate', 'config/demo.yaml'], { stdio: 'ignore' });
    runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  runs.sort((a, b) => a - b);
  const median = runs[Math.floor(n / 2)] ?? NaN;
  console.log(`  spatia validate config/demo.yaml: median ${median.toFixed(0)} ms, max ${runs[n - 1]?.toFixed(0)} ms (${n} runs, whole process)`);
  return { id: 'validate.demo', group: 'startup', name: `spatia validate config/demo.yaml, whole process (median of ${n})`, value: median, unit: 'ms' };
}

/**
 * Each figure is measured in a fresh process: closures of one literal share V8's feedback, so a
 * second deployment compiled in the same process runs on code already specialised for the first.
 * The child prints its lines, then its figures as the last line.
 */
function inChild(args: string[]): Figure[] {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const lines = out.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  if (lines.length > 0) console.log(lines.join('\n'));
  return [...(JSON.parse(last) as FigureLine).figures];
}

function child(argv: readonly string[]): Figure[] {
  const [what, mode, conditions, changing, closures] = argv;
  if (what === 'cost') return costChild(mode as EvalMode, Number(conditions), Number(changing), closures === 'closures');
  if (what === 'alloc') return allocChild(mode as EvalMode);
  if (what === 'kinds') return kindsChild();
  throw new Error(`unknown child ${what}`);
}

export function main(argv: readonly string[]): void {
  if (argv[0] === '--one') {
    process.stdout.write(`${JSON.stringify({ figures: child(argv.slice(1)) })}\n`);
    return;
  }
  const figures: Figure[] = [];
  console.log(`1. Evaluation per tick (Engine.step), ${SENSORS} mock sensors, conditions (threshold / held / within / 1 min avg), 10 Hz:`);
  for (const conditions of [1000, 10_000]) {
    const runs: Array<[EvalMode, number]> = [['poll', 1], ['event', 1], ...(conditions === 1000 ? [['auto', 1] as [EvalMode, number]] : [])];
    for (const [mode, changing] of runs) figures.push(...inChild(['--one', 'cost', mode, String(conditions), String(changing)]));
    figures.push(...inChild(['--one', 'cost', 'poll', String(conditions), '1', 'closures']));
    figures.push(...speedupAt1pct(conditions));
  }
  console.log(`2. Steady-state allocation over ${ALLOC_TICKS.toLocaleString('en-US')} ticks (thresholds out of reach: no edges; every sensor changes every tick):`);
  for (const m of ['poll', 'event']) figures.push(...inChild(['--one', 'alloc', m]));
  figures.push(...inChild(['--one', 'kinds']));
  console.log('3. Validation:');
  figures.push(validateTime());
  emitFigures(figures, argv);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
