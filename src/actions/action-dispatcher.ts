import type { ActionMode, ActionModel, JsonValue } from '../config/model.js';
import type { ActionRequest } from '../core/engine.js';
import type { EventRecord } from '../core/event-record.js';
import type { ActionCommand, ActionJob, ActionOutcome, ActionRunner } from './action-runner.js';
import { type PendingRun, pendingRunOf, type ResolveAction, runJobsOf } from './pending-runs.js';

/** Runs pending behind the running one (queued) or beside it (parallel), per condition. */
export const MAX_PENDING_RUNS = 10;

/** One edge's actions of one condition, run in order. */
interface Run {
  readonly condition: string;
  readonly edge: 'rising' | 'falling';
  readonly tick: number;
  readonly jobs: readonly ActionJob[];
  readonly abort: AbortController;
  /** Index of the first job not yet finished (what a restart still owes). */
  next: number;
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
  /** Hears each action's latency (from its start to its outcome, µs) and result (the profiler). */
  readonly observe?: { readonly nowUs: () => number; action(kind: string, us: number, ok: boolean): void };
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
  /** Counters for /status: runs submitted, actions that failed. */
  private submittedRuns = 0;
  private failedActions = 0;
  /** Closing with `keep`: runs not done are kept for pendingRuns() instead of dropped. */
  private keeping = false;

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
      this.enqueue({ condition: first.condition, edge: first.edge, tick: first.tick, jobs, abort: new AbortController(), next: 0 });
    }
  }

  /**
   * The runs still owed, for a checkpoint: the waiting ones whole, and of the running ones the
   * actions not yet finished (the one in progress included: at least once). Plain JSON.
   */
  pendingRuns(): PendingRun[] {
    const out: PendingRun[] = [];
    for (const s of this.conditions.values()) {
      for (const r of s.running) if (r.next < r.jobs.length) out.push(pendingRunOf(r.jobs.slice(r.next), r.edge, r.tick));
      for (const r of s.queue) out.push(pendingRunOf(r.jobs, r.edge, r.tick));
    }
    return out;
  }

  /**
   * Takes up the runs a checkpoint owed (after a restart), in their order, under the current
   * `action_mode`s. An action that no longer exists or whose definition changed is not run: it
   * is logged as a dropped `dispatch` record.
   */
  resume(runs: readonly PendingRun[], resolve: ResolveAction): void {
    for (const p of runs) {
      const r = runJobsOf(p, resolve);
      for (const reason of r.dropped) this.done.push({ type: 'dispatch', condition: p.condition, edge: p.edge, edge_tick: p.tick, status: 'dropped', reason, code: 'SPATIA_ACTION_FAILED' });
      if (r.jobs.length > 0) this.enqueue({ condition: p.condition, edge: p.edge, tick: p.tick, jobs: r.jobs, abort: new AbortController(), next: 0 });
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
    this.submittedRuns++;
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
      // Kept at shutdown: pendingRuns() still owes what it did not finish.
      if (this.keeping && run.next < run.jobs.length) return;
      s.running = s.running.filter((r) => r !== run);
      if (this.closed) return;
      const next = s.queue.shift();
      if (next !== undefined) this.start(s, next);
    });
    this.active.add(p);
  }

  private async execute(run: Run): Promise<void> {
    for (let k = 0; k < run.jobs.length; k++) {
      const job = run.jobs[k] as ActionJob;
      const m = job.request.action.model;
      if (run.abort.signal.aborted) {
        // Aborted by shutdown: owed to the next start (pendingRuns), not failed.
        if (this.keeping) return;
        this.record(job, { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'aborted', error: 'not started: the run was aborted (action_mode restart, or shutdown)' });
        continue;
      }
      const runner = this.opts.runners[m.kind];
      const startUs = this.opts.observe?.nowUs() ?? 0;
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
      const observe = this.opts.observe;
      if (observe !== undefined) observe.action(m.kind, observe.nowUs() - startUs, outcome.status === 'ok');
      // Cut short by shutdown: owed again to the next start (at least once).
      if (outcome.status !== 'ok' && run.abort.signal.aborted && this.keeping) return;
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
      run.next = k + 1;
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
    if (o.status !== 'ok') this.failedActions++;
    this.done.push(r);
  }

  /** The records of what finished since the last call, stamped with this tick. */
  takeRecords(t: number, tick: number): EventRecord[] {
    if (this.done.length === 0) return [];
    const out = this.done.map((r) => ({ t, tick, ...r }) as EventRecord);
    this.done = [];
    return out;
  }

  /** Runs submitted so far, running and waiting now, and actions that failed (/status). */
  stats(): { submitted: number; running: number; queued: number; failed: number } {
    let running = 0;
    let queued = 0;
    for (const s of this.conditions.values()) {
      running += s.running.length;
      queued += s.queue.length;
    }
    return { submitted: this.submittedRuns, running, queued, failed: this.failedActions };
  }

  /** Runs still going or waiting. */
  get pending(): number {
    let n = 0;
    for (const s of this.conditions.values()) n += s.running.length + s.queue.length;
    return n;
  }

  /**
   * Stops taking edges, lets running actions finish up to `graceMs`, then aborts them; closes
   * every runner. What waits is dropped (logged), or with `keep` (a final checkpoint follows)
   * kept, with the unfinished rest of aborted runs, for {@link pendingRuns}.
   */
  async close(graceMs: number, opts: { keep?: boolean } = {}): Promise<void> {
    this.closed = true;
    this.keeping = opts.keep === true;
    for (const s of this.conditions.values()) {
      if (this.keeping) continue;
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
