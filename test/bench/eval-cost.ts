/**
 * Evaluation cost per tick (Engine.step alone, the sampler outside the timing), for one
 * deployment size and mode, with every sensor changing (the mock signals as sampled) or with
 * only a fraction of the sensors changing per tick (the others repeat their reading).
 */
import type { EvalMode } from '../../src/config/model.js';
import type { EventRecord } from '../../src/core/event-record.js';
import { ReadStatus } from '../../src/core/frame.js';
import { tickTimeUs } from '../../src/conditions/temporal-op.js';
import { Simulation } from '../../src/runtime/simulation.js';
import { copyFrame, model, SENSORS } from './bench-deployment.js';

export interface EvalCost {
  /** Median over batches of BATCH ticks of the batch's mean step time (see medianOfBatches). */
  readonly stepUs: number;
  /** Plain mean over all timed ticks. */
  readonly meanUs: number;
  readonly sampleUs: number;
  readonly records: number;
  readonly evaluationsPerTick: number;
  readonly ticks: number;
}

export interface EvalCostOptions {
  readonly mode: EvalMode;
  readonly conditions: number;
  /** 1: every sensor changes every tick (as sampled); 0.01: 1% of them, round robin. */
  readonly changing: number;
  readonly warmupTicks: number;
  readonly ticks: number;
  /** Every node on its closures instead of flat programs (what the programs gain). */
  readonly closures?: boolean;
}

export function evaluationCost(o: EvalCostOptions): EvalCost {
  const sim = new Simulation(model(false, o.mode, o.conditions), { seed: 1, closures: o.closures === true });
  const out: EventRecord[] = [];
  for (let i = 0; i < o.warmupTicks; i++) {
    sim.tick(out);
    out.length = 0;
  }
  return o.changing >= 1 ? sampled(sim, o.ticks) : partlyChanging(sim, o);
}

/** Ticks per timed batch. */
const BATCH = 50;

/**
 * The median of the batches' mean step times, in µs. The machines this runs on are shared VMs
 * whose neighbours steal whole milliseconds now and then: a median over batches of 50 ticks
 * reports what a tick costs, a mean also what the host took (both are printed).
 */
function medianOfBatches(stepNs: readonly number[]): number {
  const batches: number[] = [];
  for (let i = 0; i + BATCH <= stepNs.length; i += BATCH) {
    let sum = 0;
    for (let j = i; j < i + BATCH; j++) sum += stepNs[j] as number;
    batches.push(sum / BATCH);
  }
  if (batches.length === 0) return stepNs.reduce((a, b) => a + b, 0) / Math.max(1, stepNs.length) / 1000;
  batches.sort((a, b) => a - b);
  return (batches[Math.floor(batches.length / 2)] as number) / 1000;
}

function cost(stepNs: readonly number[], sampleNs: number, records: number, evaluations: number): EvalCost {
  const ticks = stepNs.length;
  return {
    stepUs: medianOfBatches(stepNs),
    meanUs: stepNs.reduce((a, b) => a + b, 0) / ticks / 1000,
    sampleUs: sampleNs / ticks / 1000,
    records,
    evaluationsPerTick: evaluations / ticks,
    ticks,
  };
}

/** Sampled mock signals: nearly every sensor has a new value every tick. */
function sampled(sim: Simulation, ticks: number): EvalCost {
  let sampleNs = 0;
  const stepNs: number[] = [];
  let records = 0;
  const evaluations0 = sim.engine.evaluations;
  for (let i = 0; i < ticks; i++) {
    const k = sim.tickIndex++;
    const t0 = process.hrtime.bigint();
    const frame = sim.sampler.sample(tickTimeUs(k, sim.periodUs));
    const t1 = process.hrtime.bigint();
    records += sim.engine.step(frame, k).records.length;
    const t2 = process.hrtime.bigint();
    sampleNs += Number(t1 - t0);
    stepNs.push(Number(t2 - t1));
  }
  return cost(stepNs, sampleNs, records, sim.engine.evaluations - evaluations0);
}

/**
 * Every sensor reads fine every tick, but only `changing x SENSORS` of them (a moving block) get
 * a new value; the rest repeat the last one, as a slow-moving site does between changes. The
 * values swing across the thresholds, so edges still happen.
 */
function partlyChanging(sim: Simulation, o: EvalCostOptions): EvalCost {
  const frame = copyFrame(sim.sampler.sample(tickTimeUs(sim.tickIndex, sim.periodUs)));
  frame.status.fill(ReadStatus.Ok);
  const n = Math.max(1, Math.round(SENSORS * o.changing));
  const change = (k: number): void => {
    for (let j = 0; j < n; j++) {
      const s = (k * n + j) % SENSORS;
      frame.num[s] = 50 + 45 * Math.sin(k * 0.05 + s);
    }
  };
  const run = (ticks: number, time: boolean): { ns: number[]; records: number } => {
    const ns: number[] = [];
    let records = 0;
    for (let i = 0; i < ticks; i++) {
      const k = sim.tickIndex++;
      change(k);
      const t0 = time ? process.hrtime.bigint() : 0n;
      records += sim.engine.step(frame, k).records.length;
      if (time) ns.push(Number(process.hrtime.bigint() - t0));
    }
    return { ns, records };
  };
  // Settle on the new input pattern first (event mode's wake lists, operators' due ticks).
  run(Math.min(o.warmupTicks, 1000), false);
  const evaluations0 = sim.engine.evaluations;
  const r = run(o.ticks, true);
  return cost(r.ns, 0, r.records, sim.engine.evaluations - evaluations0);
}
