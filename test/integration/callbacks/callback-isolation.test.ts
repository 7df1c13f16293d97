import { afterEach, describe, expect, it } from 'vitest';
import type { ActionOutcome } from '../../../src/actions/action-runner.js';
import { type CallbackRunner, createCallbackRunner } from '../../../src/actions/callbacks/callback-runner.js';
import { MonotonicClock } from '../../../src/platform/monotonic-clock.js';
import { TickLoop } from '../../../src/runtime/tick-loop.js';
import { callbackJob, FIXTURES_DIR } from '../../fixtures/callbacks/callback-job.js';

/**
 * Callback isolation (issue 5): a real 100 Hz tick loop on the monotonic clock starts, every
 * tick, a healthy callback and a misbehaving one on the same real worker pool. The loop never
 * awaits them. The log the test keeps (edge records per tick, action records as runs finish)
 * must show every tick, in order, at t = k * 10 ms, and every healthy run finished ok with its
 * own tick's event, while each bad run failed with the right reason. No wall-clock asserts: the
 * one bound is that the loop never fell a whole second behind (it would rebase and skip).
 */
const PERIOD_US = 10_000;
const TICKS = 25;

interface Bad {
  readonly exports: readonly string[];
  readonly status: 'failed' | 'timeout';
  readonly reason: string;
  /** Whether each bad run costs its worker. */
  readonly killsWorker: boolean;
}

const BAD: Record<string, Bad> = {
  throws: { exports: ['throws', 'rejects'], status: 'failed', reason: 'threw', killsWorker: false },
  'loops forever': { exports: ['spins'], status: 'timeout', reason: 'timeout', killsWorker: true },
  'exits the process': { exports: ['exits'], status: 'failed', reason: 'exit', killsWorker: true },
  'allocates without bound': { exports: ['hoards'], status: 'failed', reason: 'memory', killsWorker: true },
  'returns garbage': { exports: ['returnsFunction', 'returnsString', 'returnsBadCommand', 'returnsCycle'], status: 'failed', reason: 'garbage', killsWorker: false },
};

type LogRecord =
  | { readonly t: number; readonly tick: number; readonly type: 'edge'; readonly id: string }
  | { readonly t: number; readonly tick: number; readonly type: 'action'; readonly condition: string; readonly edge_tick: number; readonly outcome: ActionOutcome };

let runner: CallbackRunner | undefined;
afterEach(async () => {
  await runner?.close();
  runner = undefined;
});

describe.each(Object.entries(BAD))('a callback that %s, beside a healthy condition', (_name, bad) => {
  it('leaves every tick and every healthy edge on time, and fails with its reason', async () => {
    runner = createCallbackRunner({ baseDir: FIXTURES_DIR, maxWorkers: 2, memoryLimitMb: 32 });
    const pool = runner;
    pool.warm();
    const log: LogRecord[] = [];
    const clock = new MonotonicClock();
    let currentTick = 0;
    const runs: Array<Promise<void>> = [];
    const start = (condition: string, exportName: string, tick: number, timeoutMs: number): void => {
      const job = callbackJob(exportName, { condition, tick, timeoutMs });
      runs.push(
        pool.run(job, new AbortController().signal).then((outcome) => {
          // Recorded at the tick in progress when the run finished, as the dispatcher does.
          log.push({ t: (currentTick * PERIOD_US) / 1e6, tick: currentTick, type: 'action', condition, edge_tick: tick, outcome });
        }),
      );
    };
    const loop = new TickLoop(clock, { periodUs: PERIOD_US }, ({ tick, tUs }) => {
      currentTick = tick;
      log.push({ t: tUs / 1e6, tick, type: 'edge', id: 'healthy' }, { t: tUs / 1e6, tick, type: 'edge', id: 'bad' });
      start('healthy', 'echo', tick, 60_000);
      start('bad', bad.exports[tick % bad.exports.length] as string, tick, bad.reason === 'timeout' ? 50 : 60_000);
    });
    await loop.run(TICKS);
    await Promise.all(runs);

    // The tick cadence, from the log: one healthy and one bad edge per tick, every tick, t = k * P.
    const edges = log.filter((r) => r.type === 'edge');
    expect(edges.filter((r) => r.id === 'healthy').map((r) => [r.tick, r.t])).toEqual([...Array(TICKS).keys()].map((k) => [k, (k * PERIOD_US) / 1e6]));
    expect(edges.filter((r) => r.id === 'bad').map((r) => r.tick)).toEqual([...Array(TICKS).keys()]);
    expect(loop.ticks).toBe(TICKS);
    expect(loop.skippedUs).toBe(0);

    const actions = log.filter((r) => r.type === 'action');
    const healthy = actions.filter((r) => r.condition === 'healthy');
    expect(healthy.map((r) => r.edge_tick).sort((a, b) => a - b)).toEqual([...Array(TICKS).keys()]);
    for (const r of healthy) {
      expect(r.outcome).toMatchObject({ status: 'ok', commands: [{ log: { message: expect.stringContaining(`"tick":${r.edge_tick}`) } }] });
    }
    const failures = actions.filter((r) => r.condition === 'bad');
    expect(failures).toHaveLength(TICKS);
    for (const r of failures) expect(r.outcome).toMatchObject({ status: bad.status, code: 'SPATIA_ACTION_FAILED', reason: bad.reason });
    expect(pool.stats().replaced).toBe(bad.killsWorker ? TICKS : 0);
  });
});
