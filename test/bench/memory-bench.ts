/**
 * Memory figures (issue 7): what one `held` / `within` / `hysteresis` condition costs beyond a
 * plain threshold, what one buffered window sample costs, and the peak RSS of the demo
 * deployment. Run with --expose-gc: every figure is a difference of live memory (V8 heap plus
 * ArrayBuffer backing stores, after full GCs) between two whole deployments that differ only in
 * the thing measured, each built and run for a while, so it counts everything the runtime keeps
 * for it (operator objects, typed arrays, closures, feedback), not a model of it.
 * Prints figures (`--json`: also one JSON line of them, last); asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeldOp } from '../../src/conditions/held-op.js';
import { HysteresisOp } from '../../src/conditions/hysteresis-op.js';
import type { TemporalOp } from '../../src/conditions/temporal-op.js';
import { WithinOp } from '../../src/conditions/within-op.js';
import type { EventRecord } from '../../src/core/event-record.js';
import { Simulation } from '../../src/runtime/simulation.js';
import { emitFigures, type Figure, figureGroup, sized } from './bench-figure.js';
import { benchDeployment, loadSpec, SENSORS } from './bench-deployment.js';

/** Written by rss-reporter.ts, preloaded into the measured child. */
const RSS_MARK = 'spatia-bench-rss ';
const gc = (globalThis as { gc?: () => void }).gc;
/** Conditions per kind: enough that a byte per condition is well above the measurement noise. */
const N = sized(10_000, 2000);
const TICKS = 200;
/** Operator objects are small and cheap to make: many of them, so heap noise stays far below a byte each. */
const OPS = 100_000;
/**
 * What a measurement must keep alive until it is taken: a local no longer read is dead to the
 * optimiser, and the GC before the second reading would free it.
 */
const retained: unknown[] = [];
const SHORT_S = 60;
/**
 * Long enough that the live heap's noise between two whole deployments (about 100 KB from run to
 * run) is far below a hundredth of a byte a sample: the per-sample figure is the slope.
 */
const LONG_S = 3600;

function live(): number {
  gc?.();
  gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** The bench sensors with `count` conditions written by `when(sensor, i)`; thresholds out of reach (no edges). */
function spec(count: number, when: (s: string, i: number) => string): unknown {
  const base = benchDeployment(true, 0);
  base['conditions'] = Array.from({ length: count }, (_, i) => ({ id: `c${i}`, when: when(`s${i % SENSORS}`, i) }));
  return base;
}

const KINDS: ReadonlyArray<readonly [string, number, (s: string, i: number) => string]> = [
  ['empty', 0, () => ''],
  ['threshold', N, (s, i) => `${s} > ${1000 + i} degC`],
  ['held', N, (s, i) => `held(${s} > ${1000 + i} degC, 10s)`],
  ['within', N, (s, i) => `within(${s} > ${1000 + i} degC, 30s)`],
  ['hysteresis', N, (s, i) => `hysteresis(${s}, ${1000 + i} degC, ${2000 + i} degC)`],
  // One condition per sensor: each window series is its own buffer.
  ['window-short', SENSORS, (s) => `avg(${s}, ${SHORT_S}s) > 1000 degC`],
  ['window-long', SENSORS, (s) => `avg(${s}, ${LONG_S}s) > 1000 degC`],
];

function run(sim: Simulation): void {
  const out: EventRecord[] = [];
  for (let k = 0; k < TICKS; k++) {
    sim.tick(out);
    out.length = 0;
  }
}

function conditionFigures(add: (f: Omit<Figure, 'group'>) => void): void {
  const models = new Map(KINDS.map(([k, count, when]) => [k, loadSpec(spec(count, when))]));
  // Compile and run every kind once first, so code and shared tables are not charged to the first measured.
  for (const [, count, when] of KINDS) run(new Simulation(loadSpec(spec(Math.min(count, 20), when)), { seed: 1 }));
  const bytes = new Map<string, number>();
  for (const [k] of KINDS) {
    const m = models.get(k);
    if (m === undefined) throw new Error(`no model for ${k}`);
    const before = live();
    const sim = new Simulation(m, { seed: 1 });
    retained.push(sim);
    run(sim);
    bytes.set(k, live() - before);
  }
  const b = (k: string): number => bytes.get(k) ?? NaN;
  const perCondition = (b('threshold') - b('empty')) / N;
  console.log(`  ${N.toLocaleString('en-US')} conditions of each kind over ${SENSORS} mock sensors, ${TICKS} ticks run; live heap + array buffers after GC:`);
  console.log(`    threshold condition, whole node: ${perCondition.toFixed(1)} bytes each`);
  add({ id: 'mem.threshold', name: 'one threshold condition, the whole node (context)', value: perCondition, unit: 'B' });
  for (const k of ['held', 'within', 'hysteresis']) {
    const extra = (b(k) - b('threshold')) / N;
    console.log(`    ${k}: ${extra.toFixed(1)} bytes more than a threshold condition  [<= 64]`);
    add({ id: `mem.${k}`, name: `one ${k} condition, beyond a threshold condition`, value: extra, unit: 'B', target: { op: '<=', value: 64 } });
  }
  const samples = SENSORS * (LONG_S - SHORT_S) * 10;
  const perSample = (b('window-long') - b('window-short')) / samples;
  console.log(`    window sample (${SENSORS} avg windows of ${LONG_S} s vs ${SHORT_S} s at 10 Hz): ${perSample.toFixed(2)} bytes each  [<= 8]`);
  add({ id: 'mem.window_sample', name: 'one buffered window sample (avg, 10 Hz)', value: perSample, unit: 'B', target: { op: '<=', value: 8 } });
}

/** The operator objects alone (what snapshot() saves of them is one or two numbers). */
function operatorFigures(add: (f: Omit<Figure, 'group'>) => void): void {
  const ops: Array<[string, () => TemporalOp]> = [
    ['held', () => new HeldOp(100)],
    ['within', () => new WithinOp(300)],
    ['hysteresis', () => new HysteresisOp()],
  ];
  const parts: string[] = [];
  for (const [k, make] of ops) {
    const kept = new Array<TemporalOp | undefined>(OPS).fill(undefined);
    retained.push(kept);
    const before = live();
    for (let i = 0; i < OPS; i++) kept[i] = make();
    const each = (live() - before) / OPS;
    parts.push(`${k} ${each.toFixed(1)}`);
    add({ id: `mem.${k}_op`, name: `the ${k} operator object alone (context)`, value: each, unit: 'B' });
  }
  console.log(`  operator objects alone (bytes each): ${parts.join(', ')}`);
}

/** Peak RSS of `spatia sim config/demo.yaml` in a child, from getrusage at its exit. */
function demoRss(add: (f: Omit<Figure, 'group'>) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'spatia-rss-bench-'));
  const duration = sized('24h', '1h');
  try {
    const reporter = fileURLToPath(new URL('./rss-reporter.js', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', reporter, 'bin/spatia.js', 'sim', 'config/demo.yaml', '--duration', duration, '--out', join(dir, 'events.jsonl')], { encoding: 'utf8' });
    const line = r.stderr.split('\n').find((l) => l.startsWith(RSS_MARK));
    if (r.status !== 0 || line === undefined) throw new Error(`spatia sim failed (${r.status}): ${r.stderr.trim()}`);
    const { maxRssKiB } = JSON.parse(line.slice(RSS_MARK.length)) as { maxRssKiB: number };
    const mb = (maxRssKiB * 1024) / 1e6;
    console.log(`  spatia sim config/demo.yaml --duration ${duration}: peak RSS ${mb.toFixed(1)} MB  [< 80 MB]`);
    add({ id: 'mem.demo_rss', name: `RSS of the demo, peak (spatia sim config/demo.yaml --duration ${duration})`, value: mb, unit: 'MB', target: { op: '<', value: 80 } });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  if (gc === undefined) throw new Error('run with node --expose-gc');
  const figures: Figure[] = [];
  const add = figureGroup('memory', figures);
  console.log('Memory:');
  // The demo's RSS first, while this process is small: Linux carries the peak RSS of the process
  // that forked the child into the child's own (getrusage's maxrss survives the exec), and the
  // deployments measured below take this process well past the demo's 75 MB.
  demoRss(add);
  // The operator objects next, while their classes' shapes are as fresh as at a deployment's load.
  operatorFigures(add);
  conditionFigures(add);
  emitFigures(figures);
}

main();
