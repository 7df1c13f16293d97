/**
 * `npm run bench` (issue "real sensors and the live run", Speed): the live tick loop at 100 Hz
 * with 1,000 mock sensors and 1,000 conditions on the real monotonic clock: tick lateness
 * p50/p99/max, tick duration and overruns over BENCH_LIVE_S seconds (default 60; 10 under
 * BENCH_QUICK=1). Prints figures (`--json`: also one JSON line of them, last); asserts nothing.
 */
import { stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import { MonotonicClock } from '../../src/platform/monotonic-clock.js';
import { LiveRun } from '../../src/runtime/live-run.js';
import { formatSummary } from '../../src/cli/run-command.js';
import { benchDeployment } from './bench-deployment.js';
import { emitFigures, type Figure, figureGroup, sized } from './bench-figure.js';

async function main(): Promise<void> {
  const seconds = Number(process.env['BENCH_LIVE_S'] ?? sized(60, 10));
  const spec = benchDeployment(false);
  spec['runtime'] = { tick_rate: '100 Hz' };
  const { model, issues } = loadConfigText(stringify(spec), '<live-bench>');
  if (model === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  let bytes = 0;
  const run = new LiveRun(model, {
    clock: new MonotonicClock(),
    sourceFor: () => undefined,
    write: (chunk) => {
      bytes += chunk.length;
    },
  });
  await run.run(seconds * 100);
  await run.close();
  const s = run.summary();
  console.log(`live tick loop, 100 Hz, 1000 sensors, 1000 conditions, ${seconds} s:`);
  console.log(`  ${formatSummary(s)}`);
  console.log(`  lateness p99 ${s.lateness.p99Ms} ms (target <= 1 ms); tick duration p50 ${s.tickDuration.p50Ms} ms, p99 ${s.tickDuration.p99Ms} ms; ${(bytes / 1024).toFixed(0)} KiB of log`);
  const figures: Figure[] = [];
  const add = figureGroup(`live tick loop (spatia run; 100 Hz, 1,000 mock sensors, 1,000 conditions, ${seconds} s)`, figures);
  add({ id: 'live.lateness.p99', name: 'tick lateness p99', value: s.lateness.p99Ms, unit: 'ms', target: { op: '<=', value: 1 } });
  add({ id: 'live.lateness.p50', name: 'tick lateness p50', value: s.lateness.p50Ms, unit: 'ms' });
  add({ id: 'live.lateness.max', name: 'tick lateness max', value: s.lateness.maxMs, unit: 'ms' });
  add({ id: 'live.duration.p99', name: 'tick duration p99', value: s.tickDuration.p99Ms, unit: 'ms' });
  add({ id: 'live.rate', name: 'tick rate achieved', value: s.rateHz, unit: 'Hz' });
  add({ id: 'live.overruns', name: 'overruns', value: s.overruns, unit: 'ticks' });
  emitFigures(figures);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
