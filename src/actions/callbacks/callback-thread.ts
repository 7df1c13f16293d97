import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { CALLBACK_WORKER_SOURCE } from './callback-worker-source.js';

/**
 * Tasks a worker may hold at once: one running, the rest posted ahead so that under load it goes
 * from one to the next without waiting a round trip for the main thread. Measured with
 * test/bench/callback-bench.ts on the 2-core dev machine (2 workers, other work keeping the load
 * near 6): depth 4 completes ~33,000 calls/s saturated and keeps up with 20,000/s; depth 1 does
 * ~18,700/s and falls behind. Few, because a task posted behind a slow one waits for it unless
 * an idle worker takes it back.
 */
export const PIPELINE_DEPTH = 4;

const PENDING = 1;
const STARTED = 2;
const CANCELLED = 3;

/** How a worker thread ended on its own (one that spatia terminated reports nothing). */
export type ThreadEnd =
  /** V8 hit `resourceLimits` (ERR_WORKER_OUT_OF_MEMORY). */
  | { readonly kind: 'memory'; readonly message: string }
  /** An exception nobody caught: thrown from a timer or a floating promise of user code. */
  | { readonly kind: 'crash'; readonly name: string; readonly message: string }
  /** `process.exit(code)` (in a worker it ends only that thread). */
  | { readonly kind: 'exit'; readonly code: number };

/** What a thread tells its pool. Called on the main thread, from the event loop. */
export interface ThreadListener<T> {
  /** A message from the worker: `{type: 'ready'}`, `{type: 'loaded', id}` or a task's reply. */
  message(thread: CallbackThread<T>, message: unknown): void;
  /** The worker ended on its own; called after the replies it had sent were delivered. */
  end(thread: CallbackThread<T>, end: ThreadEnd): void;
}

export interface ThreadOptions {
  readonly baseDir: string;
  readonly memoryLimitMb: number;
  readonly maxResultBytes: number;
}

/** A task handed to a worker: `ghost` once taken back (the worker will answer `skipped`). */
export interface Posted<T> {
  readonly task: T;
  readonly slot: number;
  ghost: boolean;
}

/**
 * One worker thread running CALLBACK_WORKER_SOURCE, with the tasks posted to it, oldest (the one
 * running or next to run) first. It is replaced, never repaired, when anything goes wrong. The
 * worker is unref'd while idle so an idle pool never keeps the process alive; nothing here ever
 * waits synchronously.
 */
export class CallbackThread<T> {
  /** `module\0export` keys this worker has imported (its first task for one also loads it). */
  readonly loaded = new Set<string>();
  readonly posted: Array<Posted<T>> = [];
  /** Set when the worker has posted `ready`. */
  ready = false;
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly wake = new Int32Array(new SharedArrayBuffer(8));
  private readonly slots = new Int32Array(new SharedArrayBuffer(4 * PIPELINE_DEPTH));
  private nextSlot = 0;
  private lastError: Error | undefined;
  private ended = false;
  private refd = true;

  constructor(
    opts: ThreadOptions,
    private readonly listener: ThreadListener<T>,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(CALLBACK_WORKER_SOURCE, {
      eval: true,
      workerData: { port: port2, wake: this.wake, slots: this.slots, baseDir: opts.baseDir, maxResultBytes: opts.maxResultBytes },
      transferList: [port2],
      // A worker's young generation is part of what it may use: keep it small beside the old.
      resourceLimits: { maxOldGenerationSizeMb: opts.memoryLimitMb, maxYoungGenerationSizeMb: Math.max(1, Math.min(16, opts.memoryLimitMb / 4)) },
    });
    this.port.on('message', (m: unknown) => {
      if (!this.ended) listener.message(this, m);
    });
    this.worker.on('error', (err) => {
      this.lastError = err;
    });
    this.worker.on('exit', (code) => {
      if (this.ended) return;
      this.drain(); // replies sent before the end still count
      if (this.ended) return;
      this.ended = true;
      this.port.close();
      listener.end(this, this.endOf(code));
    });
  }

  /** Whether another task may be posted. */
  get full(): boolean {
    return this.posted.length >= PIPELINE_DEPTH;
  }

  /**
   * Hands a task to the worker (after the ones already posted). Throws (DataCloneError) if the
   * message cannot be cloned; then nothing was posted.
   */
  post(task: T, message: { slot: number }): Posted<T> {
    const slot = this.nextSlot;
    message.slot = slot;
    Atomics.store(this.slots, slot, PENDING);
    this.port.postMessage(message);
    // Slots are reused round-robin: with at most PIPELINE_DEPTH posted, in order, the task that
    // last used this one has been answered.
    this.nextSlot = (slot + 1) % PIPELINE_DEPTH;
    Atomics.add(this.wake, 0, 1);
    if (Atomics.load(this.wake, 1) === 1) Atomics.notify(this.wake, 0);
    const p: Posted<T> = { task, slot, ghost: false };
    this.posted.push(p);
    return p;
  }

  /** Takes back a posted task the worker has not started; false if it has (or is gone). */
  cancel(p: Posted<T>): boolean {
    if (this.ended || Atomics.compareExchange(this.slots, p.slot, PENDING, CANCELLED) !== PENDING) return false;
    p.ghost = true;
    return true;
  }

  /** Whether the worker has started this task (it may since have finished). */
  started(p: Posted<T>): boolean {
    return Atomics.load(this.slots, p.slot) === STARTED;
  }

  /** Delivers replies that have arrived but not been dispatched yet (before declaring a timeout). */
  drain(): void {
    for (let m = receiveMessageOnPort(this.port); m !== undefined && !this.ended; m = receiveMessageOnPort(this.port)) {
      this.listener.message(this, m.message);
    }
  }

  /** Busy threads keep the process alive (their caller awaits them); idle ones do not. */
  setBusy(busy: boolean): void {
    if (busy === this.refd) return;
    this.refd = busy;
    if (busy) {
      this.worker.ref();
      this.port.ref();
    } else {
      this.worker.unref();
      this.port.unref();
    }
  }

  /** Stops the worker wherever it is (even in `while (true) {}`); reports no `end`. */
  async terminate(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      this.port.close();
    }
    await this.worker.terminate();
  }

  private endOf(code: number): ThreadEnd {
    const err = this.lastError as (Error & { code?: unknown }) | undefined;
    if (err === undefined) return { kind: 'exit', code };
    if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') return { kind: 'memory', message: String(err.message) };
    return { kind: 'crash', name: String(err.name), message: String(err.message) };
  }
}
