import type { CallbackThread, Posted } from './callback-thread.js';

/**
 * Where the pool sends work (callback-runner.ts). Kept apart from the runner so the policy reads
 * in one place: idle workers first, then the shortest line; idle workers take back work still
 * waiting behind a busy one; new workers only while work waits and none is idle.
 */

/** An idle worker, else the ready worker with the shortest line that is not full. */
export function pickThread<T>(threads: Iterable<CallbackThread<T>>): CallbackThread<T> | undefined {
  let best: CallbackThread<T> | undefined;
  for (const t of threads) {
    if (!t.ready || t.full) continue;
    if (t.posted.length === 0) return t;
    if (best === undefined || t.posted.length < best.posted.length) best = t;
  }
  return best;
}

/** A ready worker with nothing posted. */
export function idleThread<T>(threads: Iterable<CallbackThread<T>>): CallbackThread<T> | undefined {
  for (const t of threads) if (t.ready && t.posted.length === 0) return t;
  return undefined;
}

/**
 * The last task waiting (posted, not at the head) behind some worker's current one, which an
 * idle worker may try to take back; `settled` says which tasks no longer need running.
 */
export function stealable<T>(threads: Iterable<CallbackThread<T>>, settled: (task: T) => boolean): { from: CallbackThread<T>; posted: Posted<T> } | undefined {
  for (const t of threads) {
    for (let i = t.posted.length - 1; i >= 1; i--) {
      const p = t.posted[i] as Posted<T>;
      if (!p.ghost && !settled(p.task)) return { from: t, posted: p };
    }
  }
  return undefined;
}

/** How many workers to start: one per task waiting beyond those starting, while none is idle. */
export function workersToStart<T>(threads: ReadonlySet<CallbackThread<T>>, queued: number, maxWorkers: number): number {
  let starting = 0;
  let waiting = queued;
  for (const t of threads) {
    if (!t.ready) starting++;
    else if (t.posted.length === 0) return 0;
    else waiting += t.posted.length - 1;
  }
  return Math.max(0, Math.min(waiting - starting, maxWorkers - threads.size));
}
