/**
 * `node dist-bench/test/bench/callback-bench.js` (issue 5, Speed): callback dispatch to a worker
 * and back, with a trivial callback that returns one log command.
 * - latency: one call at a time, p50/p99/max in µs (target p50 <= 100 µs, p99 <= 1 ms);
 * - sustained: calls issued at a fixed 20,000/s for BENCH_CB_S seconds (default 5) in 1 ms
 *   batches, with the latency of each and whether the pool kept up (target: it does);
 * - saturated: as many calls per second as the pool completes with 64 in flight.
 * Every call gets its own AbortController, as the dispatcher gives each run one.
 * Prints figures (`--json`: also one JSON line of them, last); asserts nothing. BENCH_CB_WORKERS
 * sets the pool size (default: the runner's); BENCH_QUICK=1 makes every part shorter.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ActionJob, ActionOutcome } from '../../src/actions/action-runner.js';
import { type CallbackRunner, createCallbackRunner } from '../../src/actions/callbacks/callback-runner.js';
import { LiveStats } from '../../src/runtime/live-stats.js';
import { emitFigures, type Figure, figureGroup, sized } from './bench-figure.js';

const SECONDS = Number(process.env['BENCH_CB_S'] ?? sized(5, 1));
const LATENCY_CALLS = sized(20_000, 4_000);
const RATE = 20_000;

function job(module: string, tick: number): ActionJob {
  const inputs = { 'lobby_env.avg': 28.5, 'door.open': true };
  return {
    request: {
      t: tick / 10,
      tick,
      condition: 'lobby_hot',
      edge: 'rising',
      index: 0,
      action: { model: { kind: 'callback', module, exportName: 'onHot', timeoutUs: 2_000_000, pos: { file: 'bench.yaml', line: 1, col: 1, path: 'x' } }, message: undefined, payload: undefined },
      message: undefined,
      payload: undefined,
    },
    edge: { t: tick / 10, tick, type: 'edge', id: 'lobby_hot', edge: 'rising', inputs },
    inputs,
  };
}

const fmt = (h: LiveStats['duration']): string => {
  const p = LiveStats.percentiles(h);
  return `p50 ${Math.round(p.p50Ms * 1000)} µs, p90 ${Math.round(p.p90Ms * 1000)} µs, p99 ${Math.round(p.p99Ms * 1000)} µs, max ${Math.round(p.maxMs * 1000)} µs`;
};

async function latency(runner: CallbackRunner, module: string, n: number): Promise<LiveStats> {
  const stats = new LiveStats();
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const o = await runner.run(job(module, i), new AbortController().signal);
    stats.recordDuration((performance.now() - start) * 1000);
    if (o.status !== 'ok') throw new Error(JSON.stringify(o));
  }
  return stats;
}

/** Issues RATE calls per second, in batches every millisecond, without waiting for them. */
async function sustained(runner: CallbackRunner, module: string): Promise<{ stats: LiveStats; issued: number; failed: number; elapsedS: number; maxInFlight: number }> {
  const stats = new LiveStats();
  let issued = 0;
  let failed = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  let allDone: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (allDone = resolve));
  const t0 = performance.now();
  const total = RATE * SECONDS;
  const finish = (start: number, o: ActionOutcome): void => {
    inFlight--;
    stats.recordDuration((performance.now() - start) * 1000);
    if (o.status !== 'ok') failed++;
    if (inFlight === 0 && issued === total) allDone();
  };
  while (issued < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * RATE));
    for (; issued < due; issued++) {
      const start = performance.now();
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      void runner.run(job(module, issued), new AbortController().signal).then((o) => finish(start, o));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  if (inFlight > 0) await done;
  return { stats, issued, failed, elapsedS: (performance.now() - t0) / 1000, maxInFlight };
}

async function saturated(runner: CallbackRunner, module: string, inFlight: number): Promise<number> {
  const t0 = performance.now();
  const endMs = t0 + SECONDS * 1000;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (performance.now() < endMs) {
      await runner.run(job(module, done), new AbortController().signal);
      done++;
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return done / ((performance.now() - t0) / 1000);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'spatia-cb-bench-'));
  const module = join(dir, 'trivial.mjs');
  writeFileSync(module, 'export function onHot(e) { return [{ log: { message: `hot at ${e.t}` } }]; }\n');
  const workers = process.env['BENCH_CB_WORKERS'];
  const runner = createCallbackRunner({ baseDir: dir, ...(workers === undefined ? {} : { maxWorkers: Number(workers) }) });
  runner.warm();
  await latency(runner, module, sized(5_000, 2_000)); // warm up: workers started, module loaded, JIT
  const workerCount = runner.stats().workers;
  console.log(`callback dispatch, trivial callback, ${workerCount} workers:`);
  const one = await latency(runner, module, LATENCY_CALLS);
  console.log(`  one at a time (${LATENCY_CALLS.toLocaleString('en-US')} calls): ${fmt(one.duration)} (target p50 <= 100 µs, p99 <= 1000 µs)`);
  const s = await sustained(runner, module);
  console.log(
    `  sustained ${RATE.toLocaleString('en')}/s for ${SECONDS} s: ${s.issued} issued, ${Math.round(s.issued / s.elapsedS).toLocaleString('en')}/s completed, ${s.failed} failed, at most ${s.maxInFlight} in flight; latency ${fmt(s.stats.duration)}`,
  );
  const rate = await saturated(runner, module, 64);
  console.log(`  saturated, 64 in flight for ${SECONDS} s: ${Math.round(rate).toLocaleString('en')} calls/s (target >= 20,000/s sustained)`);
  await runner.close();
  const p = LiveStats.percentiles(one.duration);
  const figures: Figure[] = [];
  const add = figureGroup(`callback dispatch (a trivial callback in a worker and back; ${workerCount} workers)`, figures);
  add({ id: 'callback.p50', name: `one at a time, p50 (${LATENCY_CALLS.toLocaleString('en-US')} calls)`, value: p.p50Ms * 1000, unit: 'µs', target: { op: '<=', value: 100 } });
  add({ id: 'callback.p99', name: 'one at a time, p99', value: p.p99Ms * 1000, unit: 'µs', target: { op: '<=', value: 1000 } });
  add({ id: 'callback.max', name: 'one at a time, max', value: p.maxMs * 1000, unit: 'µs' });
  add({
    id: 'callback.sustained',
    name: `${RATE.toLocaleString('en-US')}/s offered for ${SECONDS} s, completed per second`,
    value: s.issued / s.elapsedS,
    unit: 'calls/s',
    note: `${s.failed} failed, at most ${s.maxInFlight} in flight`,
    ...(s.failed > 0 ? { failed: `${s.failed} calls failed` } : {}),
  });
  add({ id: 'callback.saturated', name: `saturated, 64 in flight for ${SECONDS} s`, value: rate, unit: 'calls/s', target: { op: '>=', value: 20_000 } });
  emitFigures(figures);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
