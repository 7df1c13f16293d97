import { describe, expect, it } from 'vitest';
import { ActionDispatcher, MAX_PENDING_RUNS } from '../../../src/actions/action-dispatcher.js';
import type { ActionJob, ActionOutcome, ActionRunner } from '../../../src/actions/action-runner.js';
import type { ActionMode, ActionModel } from '../../../src/config/model.js';
import type { ActionRequest } from '../../../src/core/engine.js';
import type { EventRecord } from '../../../src/core/event-record.js';

const POS = { file: 't.yaml', line: 1, col: 1, path: 'x' };

/**
 * A callback that takes `ticks` ticks of the simulated clock: it finishes when the test's tick
 * counter reaches its start tick + ticks. Deterministic: nothing depends on wall time.
 */
class SlowRunner implements ActionRunner {
  private waiting: Array<{ until: number; resolve: (o: ActionOutcome) => void; label: string }> = [];
  started: string[] = [];
  now = 0;
  constructor(private readonly ticks: number) {}
  run(job: ActionJob, signal: AbortSignal): Promise<ActionOutcome> {
    const label = `${job.request.condition}@${job.request.tick}`;
    this.started.push(label);
    return new Promise((resolve) => {
      const w = { until: this.now + this.ticks, resolve, label };
      this.waiting.push(w);
      signal.addEventListener('abort', () => {
        this.waiting = this.waiting.filter((x) => x !== w);
        resolve({ status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'aborted', error: 'aborted' });
      });
    });
  }
  /** Moves the simulated clock to `tick`, finishing what is due. */
  advance(tick: number): void {
    this.now = tick;
    const due = this.waiting.filter((w) => w.until <= tick);
    this.waiting = this.waiting.filter((w) => w.until > tick);
    for (const w of due) w.resolve({ status: 'ok', detail: { ran: w.label } });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

const CALLBACK: ActionModel = { kind: 'callback', module: 'cb.mjs', exportName: 'f', timeoutUs: 1e6, pos: POS };

function request(condition: string, tick: number, index = 0): ActionRequest {
  return { t: tick / 10, tick, condition, edge: 'rising', index, action: { model: CALLBACK, message: undefined, payload: undefined }, message: undefined, payload: undefined };
}

/** Edges of condition c at the given ticks, each callback taking `slow` ticks; returns the log. */
async function simulate(mode: ActionMode, edgeTicks: readonly number[], slow: number, ticks = 60): Promise<EventRecord[]> {
  const runner = new SlowRunner(slow);
  const d = new ActionDispatcher({ runners: { callback: runner }, modes: new Map([['c', mode]]) });
  const log: EventRecord[] = [];
  for (let k = 0; k < ticks; k++) {
    runner.advance(k);
    // Let finished runs settle and the next queued ones start (microtasks only: no wall time).
    for (let i = 0; i < 10; i++) await Promise.resolve();
    log.push(...d.takeRecords(k / 10, k));
    if (edgeTicks.includes(k)) d.submit([request('c', k)], new Map());
  }
  await d.close(0);
  return log;
}

// Records of what happened during tick k's submit are collected at tick k + 1 (the log stays in
// tick order; a run's outcome is never awaited by the tick that started it).
const summary = (log: EventRecord[]): string[] =>
  log.map((r) => `${r.tick}: ${r.type} ${String(r['status'])} of ${String(r['edge_tick'])}${r['reason'] === undefined ? '' : ` (${String(r['reason'])})`}`);

describe('action_mode with callbacks that take 10 ticks, under the simulated clock', () => {
  it('queued (default): runs one after the other, in edge order', async () => {
    expect(summary(await simulate('queued', [0, 2, 4], 10))).toEqual([
      '10: action ok of 0',
      '20: action ok of 2',
      '30: action ok of 4',
    ]);
  });

  it('single: an edge during a run is dropped', async () => {
    expect(summary(await simulate('single', [0, 2, 15], 10))).toEqual([
      '3: dispatch dropped of 2 (action_mode single: the previous run is still going)',
      '10: action ok of 0',
      '25: action ok of 15',
    ]);
  });

  it('parallel: every edge runs at once', async () => {
    expect(summary(await simulate('parallel', [0, 2, 4], 10))).toEqual(['10: action ok of 0', '12: action ok of 2', '14: action ok of 4']);
  });

  it('restart: the running one is aborted, the new one runs', async () => {
    expect(summary(await simulate('restart', [0, 2, 4], 10))).toEqual([
      '3: action failed of 0 (aborted)',
      '5: action failed of 2 (aborted)',
      '14: action ok of 4',
    ]);
  });

  it(`queued keeps at most ${MAX_PENDING_RUNS} waiting; the rest are dropped and counted`, async () => {
    const edges = Array.from({ length: 13 }, (_, i) => i);
    const log = await simulate('queued', edges, 100, 20);
    expect(log.filter((r) => r.type === 'dispatch').map((r) => r['edge_tick'])).toEqual([11, 12]);
  });
});

describe('ActionDispatcher', () => {
  it('a kind without a runner fails as unavailable; a runner that rejects is a failed action', async () => {
    const bad: ActionRunner = { run: () => Promise.reject(new Error('boom')), close: () => Promise.resolve() };
    const d = new ActionDispatcher({ runners: { callback: bad }, modes: new Map() });
    const mqtt: ActionModel = { kind: 'mqtt', topic: 'a', payload: {}, qos: 1, retain: false, pos: POS };
    d.submit([request('c', 0), { ...request('m', 0), action: { model: mqtt, message: undefined, payload: undefined } }], new Map());
    await new Promise((r) => setTimeout(r, 0));
    const recs = d.takeRecords(0.1, 1);
    expect(recs.map((r) => [r['condition'], r['status'], r['reason']])).toEqual([
      ['m', 'failed', 'unavailable'],
      ['c', 'failed', 'threw'],
    ]);
    await d.close(0);
  });

  it("carries out a callback's commands and logs each", async () => {
    const cb: ActionRunner = {
      run: () => Promise.resolve({ status: 'ok', commands: [{ log: { message: 'hi' } }, { gpio: { pin: 4, value: 1 } }] }),
      close: () => Promise.resolve(),
    };
    const seen: string[] = [];
    const d = new ActionDispatcher({
      runners: { callback: cb },
      modes: new Map(),
      command: (c) => {
        seen.push(JSON.stringify(c));
        return Promise.resolve('gpio' in c ? { status: 'failed', code: 'SPATIA_GPIO_CHIP', reason: 'undeclared', error: 'pin 4 has no gpio action' } : { status: 'ok' });
      },
    });
    d.submit([request('c', 3)], new Map());
    await new Promise((r) => setTimeout(r, 0));
    expect(d.takeRecords(0.4, 4).map((r) => [r['action'], r['command'], r['status'], r['edge_tick']])).toEqual([
      ['callback', undefined, 'ok', 3],
      ['callback', 'log', 'ok', 3],
      ['callback', 'gpio', 'failed', 3],
    ]);
    expect(seen).toEqual(['{"log":{"message":"hi"}}', '{"gpio":{"pin":4,"value":1}}']);
    await d.close(0);
  });
});

describe('ActionDispatcher: runs owed across a restart', () => {
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };

  it('pendingRuns holds the waiting runs whole and the running one from its unfinished action on', async () => {
    const runner = new SlowRunner(5);
    const d = new ActionDispatcher({ runners: { callback: runner }, modes: new Map([['c', 'queued']]) });
    d.submit([request('c', 1, 0), request('c', 1, 1)], new Map());
    d.submit([request('c', 2, 0)], new Map());
    runner.advance(6);
    await settle();
    // The first action of the first run is done; its second is running; the second run waits.
    const owed = d.pendingRuns();
    expect(owed.map((r) => [r.tick, r.jobs.map((j) => j.index)])).toEqual([
      [1, [1]],
      [2, [0]],
    ]);
    expect(JSON.parse(JSON.stringify(owed))).toEqual(owed);
  });

  it('close with keep: waiting runs are kept, not dropped, and an action cut short is owed again', async () => {
    const runner = new SlowRunner(100);
    const d = new ActionDispatcher({ runners: { callback: runner }, modes: new Map([['c', 'queued']]) });
    d.submit([request('c', 1)], new Map());
    d.submit([request('c', 2)], new Map());
    await settle();
    await d.close(0, { keep: true });
    expect(d.pendingRuns().map((r) => r.tick)).toEqual([1, 2]);
    expect(d.takeRecords(0, 0).filter((r) => r['type'] === 'dispatch')).toEqual([]);
  });

  it('resume runs what was owed under the new dispatcher, and drops actions whose definition changed', async () => {
    const runner = new SlowRunner(0);
    const d = new ActionDispatcher({ runners: { callback: runner }, modes: new Map([['c', 'queued']]) });
    const owed = [
      { condition: 'c', edge: 'rising' as const, tick: 7, t: 0.7, edgeRecord: { type: 'edge', id: 'c' }, inputs: {}, jobs: [{ index: 0, definition: JSON.stringify({ exportName: 'f', kind: 'callback', module: 'cb.mjs', timeoutUs: 1e6 }), message: null, payload: null }] },
      { condition: 'c', edge: 'rising' as const, tick: 8, t: 0.8, edgeRecord: { type: 'edge', id: 'c' }, inputs: {}, jobs: [{ index: 0, definition: '{"changed":true}', message: null, payload: null }] },
    ];
    d.resume(owed, (condition, edge, index) => (condition === 'c' && edge === 'rising' && index === 0 ? { model: CALLBACK, message: undefined, payload: undefined } : undefined));
    runner.advance(1);
    await settle();
    const recs = d.takeRecords(1, 10);
    expect(recs.map((r) => [r['type'], r['status'], r['edge_tick']])).toEqual([
      ['dispatch', 'dropped', 8],
      ['action', 'ok', 7],
    ]);
    expect(runner.started).toEqual(['c@7']);
  });
});
