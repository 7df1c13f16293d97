import { availableParallelism } from 'node:os';
import type { ActionJob, ActionOutcome, ActionRunner } from '../action-runner.js';
import { bootFailure, callbackLabel, endedOutcome, failed, replyOutcome, timedOut } from './callback-outcomes.js';
import { type CallbackTask, type CallbackTimers, createTask, NODE_TIMERS } from './callback-task.js';
import { CallbackThread, type ThreadEnd, type ThreadListener, type ThreadOptions } from './callback-thread.js';
import { idleThread, pickThread, stealable, workersToStart } from './pool-scheduling.js';
import { TaskQueue } from './task-queue.js';

export type { CallbackTimers } from './callback-task.js';

export interface CallbackRunnerOptions {
  /** The config file's directory: `./x.mjs` and package names are resolved from it. */
  readonly baseDir: string;
  /** Worker threads at most. Default: one less than the cores, at least 2 and at most 4. */
  readonly maxWorkers?: number;
  /** Heap limit of each worker (V8 old generation), in MB. Default 128. */
  readonly memoryLimitMb?: number;
  /** Time a worker may take to import a callback's module the first time, in ms. Default 10 s. */
  readonly loadTimeoutMs?: number;
  /** Largest result a callback may return, as JSON text, in bytes. Default 1 MiB. */
  readonly maxResultBytes?: number;
  readonly timers?: CallbackTimers;
}

type Task = CallbackTask;
type Thread = CallbackThread<Task>;

/** Figures for the profiler and tests. */
export interface CallbackPoolStats {
  readonly workers: number;
  /** Workers with a task running or posted. */
  readonly busy: number;
  readonly queued: number;
  /** Workers started to replace one that ended or was terminated. */
  readonly replaced: number;
}

/**
 * Runs `callback` actions on a pool of worker threads, never on the tick thread. A call goes to
 * an idle worker; when none is idle, it is posted behind the shortest line (at most
 * PIPELINE_DEPTH per worker), and a worker that falls idle takes back tasks still waiting behind
 * a busy one. The worker imports the module once, calls the export with `{edge, inputs,
 * condition, t, tick}` and sends back its result, which is validated here. A callback that
 * throws, returns garbage, runs past its timeout, calls `process.exit`, or exhausts its worker's
 * heap becomes a failed outcome; its worker is then terminated if need be and replaced, and the
 * tasks that were waiting on it are queued again (the pool heals; nothing waiting is lost).
 *
 * Hand-rolled rather than piscina. Measured on the 2-core dev machine (trivial callback, 2 workers,
 * a fresh AbortController per call, load ~5 from other work): piscina 5 with the per-task
 * AbortSignal that timeouts need, p50 ~30 µs one at a time and 21,000-25,000 calls/s with many
 * in flight (15,000-19,000/s with `atomics: 'async'`, which a callback's own timers and console
 * output need); this pool p50 ~38 µs, p99 ~100-200 µs, 25,000-35,000 calls/s, and it keeps up
 * with 20,000/s sustained (test/bench/callback-bench.ts).
 */
export class CallbackRunner implements ActionRunner, ThreadListener<Task> {
  private readonly threads = new Set<Thread>();
  private readonly ending = new Set<Promise<void>>();
  private readonly queue = new TaskQueue<Task>();
  private nextId = 1;
  private replaced = 0;
  private closed = false;
  private readonly maxWorkers: number;
  private readonly memoryLimitMb: number;
  private readonly loadTimeoutMs: number;
  private readonly timers: CallbackTimers;
  private readonly threadOptions: ThreadOptions;

  constructor(opts: CallbackRunnerOptions) {
    this.maxWorkers = Math.max(1, opts.maxWorkers ?? Math.max(2, Math.min(4, availableParallelism() - 1)));
    this.memoryLimitMb = opts.memoryLimitMb ?? 128;
    this.loadTimeoutMs = opts.loadTimeoutMs ?? 10_000;
    this.timers = opts.timers ?? NODE_TIMERS;
    this.threadOptions = { baseDir: opts.baseDir, memoryLimitMb: this.memoryLimitMb, maxResultBytes: opts.maxResultBytes ?? 1 << 20 };
  }

  run(job: ActionJob, signal: AbortSignal): Promise<ActionOutcome> {
    const model = job.request.action.model;
    if (model.kind !== 'callback') {
      return Promise.resolve({ status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'unavailable', error: `the callback runner cannot run a ${model.kind} action` });
    }
    const label = callbackLabel(model.module, model.exportName);
    if (this.closed) return Promise.resolve(failed(label, 'aborted', 'was not run: the callback pool is closed'));
    if (signal.aborted) return Promise.resolve(failed(label, 'aborted', 'was aborted before it started'));
    const id = this.nextId++;
    return new Promise<ActionOutcome>((resolve) => {
      const task = createTask(id, model, job, label, signal, resolve, () => this.abort(task));
      signal.addEventListener('abort', task.onAbort, { once: true });
      this.queue.push(task);
      this.pump();
    });
  }

  /** Starts every worker now (a run's start-up), so the first callbacks do not wait for one. */
  warm(): void {
    while (!this.closed && this.threads.size < this.maxWorkers) this.spawn();
  }

  stats(): CallbackPoolStats {
    const busy = [...this.threads].filter((t) => t.posted.length > 0).length;
    return { workers: this.threads.size, busy, queued: this.queue.length, replaced: this.replaced };
  }

  /** Fails what is queued or running (`aborted`) and terminates every worker. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const task of this.queue.drain()) this.settle(task, failed(task.label, 'aborted', 'was not run: the callback pool closed'));
      for (const thread of [...this.threads]) {
        for (const p of thread.posted) if (!p.ghost) this.settle(p.task, failed(p.task.label, 'aborted', 'was stopped: the callback pool closed'));
        this.kill(thread);
      }
    }
    await Promise.all([...this.ending]);
  }

  /** ThreadListener: `ready`, `loaded` and replies, in the order the worker sent them. */
  message(thread: Thread, m: unknown): void {
    if (m === null || typeof m !== 'object') return;
    const msg = m as Readonly<Record<string, unknown>>;
    if (msg['type'] === 'ready') {
      thread.ready = true;
      thread.setBusy(thread.posted.length > 0);
      this.pump();
      return;
    }
    const head = thread.posted[0];
    // Replies come in posting order: anything else is stale or forged.
    if (head === undefined || msg['id'] !== head.task.id) return;
    const task = head.task;
    if (msg['type'] === 'loaded') {
      thread.loaded.add(task.key);
      if (!head.ghost) this.arm(task, task.timeoutMs);
      return;
    }
    thread.posted.shift();
    if (!head.ghost) this.settle(task, replyOutcome(task.label, msg));
    this.armHead(thread);
    if (thread.posted.length === 0) thread.setBusy(false);
    this.pump();
  }

  /** ThreadListener: a worker ended on its own (exit, out of memory, uncaught error). */
  end(thread: Thread, end: ThreadEnd): void {
    const head = thread.posted[0];
    // The task it was running takes the blame; one it had not started goes back in the queue.
    if (head !== undefined && !head.ghost && thread.started(head)) this.settle(head.task, endedOutcome(head.task.label, end, this.memoryLimitMb));
    this.retire(thread);
    if (!thread.ready) this.failBoot(end);
    else if (!this.closed) {
      this.replaced++;
      this.spawn();
    }
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    for (let thread = pickThread(this.threads); thread !== undefined && this.queue.length > 0; thread = pickThread(this.threads)) {
      this.start(this.queue.shift() as Task, thread);
    }
    for (let idle = idleThread(this.threads); idle !== undefined; idle = idleThread(this.threads)) {
      const victim = stealable(this.threads, (task) => task.settled);
      // A failed take-back means that worker has moved on: the next reply pumps again.
      if (victim === undefined || !victim.from.cancel(victim.posted)) break;
      this.start(victim.posted.task, idle);
    }
    for (let n = workersToStart(this.threads, this.queue.length, this.maxWorkers); n > 0; n--) this.spawn();
  }

  private start(task: Task, thread: Thread): void {
    try {
      task.at = thread.post(task, task.message);
    } catch (err) {
      this.settle(task, failed(task.label, 'garbage', `could not be sent its event: ${String(err)}`));
      return;
    }
    task.thread = thread;
    thread.setBusy(true);
    if (thread.posted.length === 1) this.armHead(thread);
  }

  /** The task at the head of a worker's line is running: its deadline starts now. */
  private armHead(thread: Thread): void {
    const head = thread.posted[0];
    if (head === undefined || head.ghost) return;
    // A worker's first task for a module also imports it: that gets its own, longer deadline.
    this.arm(head.task, thread.loaded.has(head.task.key) ? head.task.timeoutMs : this.loadTimeoutMs);
  }

  private arm(task: Task, ms: number): void {
    if (task.timer !== undefined) this.timers.clearTimeout(task.timer);
    task.timer = this.timers.setTimeout(() => this.deadline(task), ms);
  }

  private deadline(task: Task): void {
    task.timer = undefined;
    const { thread, at } = task;
    if (task.settled || thread === undefined || at === undefined || thread.posted[0] !== at) return;
    thread.drain(); // its reply may be waiting behind this timer
    if (task.settled) return;
    // Not started: the worker is stuck in something else (a loop left behind in a timer); the
    // task goes back in the queue with the others when the worker is replaced.
    if (thread.started(at)) {
      const loading = !thread.loaded.has(task.key);
      const why = `cannot run: its module did not load within ${this.loadTimeoutMs} ms; its worker was terminated`;
      this.settle(task, loading ? failed(task.label, 'load', why) : timedOut(task.label, task.timeoutMs));
    }
    this.replace(thread);
  }

  private abort(task: Task): void {
    if (task.settled) return;
    const { thread, at } = task;
    if (thread === undefined || at === undefined) {
      this.queue.remove(task);
      this.settle(task, failed(task.label, 'aborted', 'was aborted before it started'));
      return;
    }
    thread.drain();
    if (task.settled) return;
    if (thread.cancel(at)) {
      this.settle(task, failed(task.label, 'aborted', 'was aborted before it started'));
      this.pump();
      return;
    }
    this.settle(task, failed(task.label, 'aborted', 'was aborted; its worker was terminated and replaced'));
    this.replace(thread);
  }

  private settle(task: Task, outcome: ActionOutcome): void {
    if (task.settled) return;
    task.settled = true;
    if (task.timer !== undefined) this.timers.clearTimeout(task.timer);
    task.timer = undefined;
    task.signal.removeEventListener('abort', task.onAbort);
    task.resolve(outcome);
  }

  /** Terminates a worker that cannot be trusted any more and starts another in its place. */
  private replace(thread: Thread): void {
    this.kill(thread);
    if (this.closed) return;
    this.replaced++;
    this.spawn();
    this.pump();
  }

  private kill(thread: Thread): void {
    this.retire(thread);
    // terminate() may reject if the worker is already gone: close() must not.
    const p: Promise<void> = thread.terminate().then(
      () => void this.ending.delete(p),
      () => void this.ending.delete(p),
    );
    this.ending.add(p);
  }

  /** Forgets a worker; what was posted to it and is still owed an outcome goes back in front. */
  private retire(thread: Thread): void {
    this.threads.delete(thread);
    const again: Task[] = [];
    for (const p of thread.posted) {
      if (p.ghost || p.task.settled) continue;
      if (p.task.timer !== undefined) this.timers.clearTimeout(p.task.timer);
      p.task.timer = undefined;
      p.task.thread = undefined;
      p.task.at = undefined;
      again.push(p.task);
    }
    thread.posted.length = 0;
    this.queue.unshift(again);
  }

  private spawn(): void {
    this.threads.add(new CallbackThread<Task>(this.threadOptions, this));
  }

  /**
   * A worker that died before it was ready (a memory limit too small to start, a broken
   * install) fails the oldest waiting call instead of being restarted in a loop: each waiting call
   * costs at most one more attempt.
   */
  private failBoot(end: ThreadEnd): void {
    const task = this.queue.shift();
    if (task !== undefined) this.settle(task, bootFailure(task.label, end));
  }
}

/** Creates the runner of `callback` actions (see {@link CallbackRunner}). */
export function createCallbackRunner(opts: CallbackRunnerOptions): CallbackRunner {
  return new CallbackRunner(opts);
}
