import type { ActionMode, ActionModel, JsonValue } from '../config/model.js';
import type { ActionRequest } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';
import type { ActionCommand, ActionJob, ActionOutcome, ActionRunner } from './action-runner.js';

/** Runs pending behind the running one (queued) or beside it (parallel), per condition. */
export const MAX_PENDING_RUNS = 10;

/** One edge's actions of one condition, run in order. */
interface Run {
  readonly condition: string;
  readonly edge: 'rising' | 'falling';
  readonly tick: number;
  readonly jobs: readonly ActionJob[];
  readonly abort: AbortController;
}

interface ConditionState {
  readonly mode: ActionMode;
  running: Run[];
  queue: Run[];
}

export interface DispatcherOptions {
  /** The runner of each action kind; a kind without one fails with the reason `unavailable`. */
  readonly runners: Partial<Record<ActionModel['kind'], ActionRunner>>;
  /** `action_mode` per condition id (default queued). */
  readonly modes: ReadonlyMap<string, ActionMode>;
  /** Carries out a callback's commands (publish, gpio, log); returns what became of each. */
  readonly command?: (c: ActionCommand, job: ActionJob) => Promise<ActionOutcome>;
}

/**
 * Dispatches the actions of edges without ever making the tick wait (SPEC §4.5): each edge of a
 * condition becomes a run of its actions, carried out in order by the runners of their kinds.
 * `action_mode` says what a new edge does while a run of the same condition is going:
 * - `single`: the new run is dropped;
 * - `queued` (default): it waits its turn, at most {@link MAX_PENDING_RUNS} waiting;
 * - `parallel`: it starts at once, at most {@link MAX_PENDING_RUNS} running;
 * - `restart`: the running one is aborted (its remaining actions are not started) and the new
 *   one starts.
 * Drops are logged as `dispatch` records. What each action did becomes an `action` record when it
 * finishes, collected by `takeRecords` at the next tick (the log stays in tick order, and
 * carries `edge_tick`, the tick of the edge that caused it).
 */
export class ActionDispatcher {
  private readonly conditions = new Map<string, ConditionState>();
  private done: Array<Omit<EventRecord, 't' | 'tick'>> = [];
  private readonly active = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: DispatcherOptions) {}

  /**
   * Hands one tick's action requests (in engine order) to their runs. `edges` are that tick's edge
   * records by condition id: callbacks receive them, with their `inputs`.
   */
  submit(requests: readonly ActionRequest[], edges: ReadonlyMap<string, EventRecord>): void {
    if (this.closed) return;
    let i = 0;
    while (i < requests.length) {
      const first = requests[i] as ActionRequest;
      const jobs: ActionJob[] = [];
      const edge = edges.get(first.condition) ?? { t: first.t, tick: first.tick, type: 'edge', id: first.condition, edge: first.edge };
      const inputs = (edge['inputs'] ?? {}) as Readonly<Record<string, JsonValue>>;
      while (i < requests.length && (requests[i] as ActionRequest).condition === first.condition) {
        jobs.push({ request: requests[i] as ActionRequest, edge, inputs });
        i++;
      }
      this.enqueue({ condition: first.condition, edge: first.edge, tick: first.tick, jobs, abort: new AbortController() });
    }
  }

  private stateOf(condition: string): ConditionState {
    let s = this.conditions.get(condition);
    if (s === undefined) {
      s = { mode: this.opts.modes.get(condition) ?? 'queued', running: [], queue: [] };
      this.conditions.set(condition, s);
    }
    return s;
  }

  private enqueue(run: Run): void {
    const s = this.stateOf(run.condition);
    const busy = s.running.length > 0;
    switch (s.mode) {
      case 'single':
        if (busy) return this.drop(run, 'action_mode single: the previous run is still going');
        break;
      case 'queued':
        if (busy) {
          if (s.queue.length >= MAX_PENDING_RUNS) return this.drop(run, `action_mode queued: ${MAX_PENDING_RUNS} runs are already waiting`);
          s.queue.push(run);
          return;
        }
        break;
      case 'parallel':
        if (s.running.length >= MAX_PENDING_RUNS) return this.drop(run, `action_mode parallel: ${MAX_PENDING_RUNS} runs are already going`);
        break;
      case 'restart':
        for (const r of s.running) r.abort.abort();
        break;
    }
    this.start(s, run);
  }

  private drop(run: Run, reason: string): void {
    this.done.push({ type: 'dispatch', condition: run.condition, edge: run.edge, edge_tick: run.tick, status: 'dropped', reason, code: 'SPATIA_ACTION_FAILED' });
  }

  private start(s: ConditionState, run: Run): void {
    s.running.push(run);
    const p = this.execute(run).finally(() => {
      this.active.delete(p);
      s.running = s.running.filter((r) => r !== run);
      const next = s.queue.shift();
      if (next !== undefined && !this.closed) this.start(s, next);
    });
    this.active.add(p);
  }

  private async execute(run: Run): Promise<void> {
    for (const job of run.jobs) {
      const m = job.request.action.model;
      if (run.abort.signal.aborted) {
        this.record(job, { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'aborted', error: 'not started: the run was aborted (action_mode restart, or shutdown)' });
        continue;
      }
      const runner = this.opts.runners[m.kind];
      let outcome: ActionOutcome;
      if (runner === undefined) {
        outcome = { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'unavailable', error: `${m.kind} actions are not available in this run` };
      } else {
        try {
          outcome = await runner.run(job, run.abort.signal);
        } catch (err) {
          // Runners must not reject; one that does is a failed action, never a crashed loop.
          outcome = { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'threw', error: err instanceof Error ? err.message : String(err) };
        }
      }
      this.record(job, outcome);
      if (outcome.status === 'ok' && outcome.commands !== undefined && this.opts.command !== undefined) {
        for (const c of outcome.commands) {
          const r = await this.opts.command(c, job).catch((err: unknown): ActionOutcome => ({
            status: 'failed',
            code: 'SPATIA_ACTION_FAILED',
            reason: 'threw',
            error: err instanceof Error ? err.message : String(err),
          }));
          this.record(job, r, Object.keys(c)[0]);
        }
      }
    }
  }

  private record(job: ActionJob, o: ActionOutcome, command?: string): void {
    const q = job.request;
    const r: Omit<EventRecord, 't' | 'tick'> = {
      type: 'action',
      condition: q.condition,
      edge: q.edge,
      index: q.index,
      action: q.action.model.kind,
      status: o.status,
      edge_tick: q.tick,
    };
    if (command !== undefined) r['command'] = command;
    if (o.status !== 'ok') {
      r['code'] = o.code;
      r['reason'] = o.reason;
      r['error'] = o.error;
    }
    if (o.detail !== undefined) Object.assign(r, o.detail);
    this.done.push(r);
  }

  /** The records of what finished since the last call, stamped with this tick. */
  takeRecords(t: number, tick: number): EventRecord[] {
    if (this.done.length === 0) return [];
    const out = this.done.map((r) => ({ t, tick, ...r }) as EventRecord);
    this.done = [];
    return out;
  }

  /** Runs still going or waiting. */
  get pending(): number {
    let n = 0;
    for (const s of this.conditions.values()) n += s.running.length + s.queue.length;
    return n;
  }

  /**
   * Stops taking edges, drops what waits, lets running actions finish up to `graceMs`, then aborts
   * them; closes every runner.
   */
  async close(graceMs: number): Promise<void> {
    this.closed = true;
    for (const s of this.conditions.values()) {
      for (const run of s.queue) this.drop(run, 'shutdown: the run had not started');
      s.queue = [];
    }
    const all = Promise.all([...this.active]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
    for (const s of this.conditions.values()) for (const r of s.running) r.abort.abort();
    await all;
    await Promise.all(Object.values(this.opts.runners).map((r) => r.close().catch(() => undefined)));
  }
}
