/**
 * The program each callback worker thread runs, as JavaScript source handed to
 * `new Worker(source, {eval: true})`.
 *
 * Why a string and not a worker file: the same code must start from the TypeScript sources
 * (vitest), from dist/ (the package) and from dist-bench/, and tsc copies no .js files. Keep it
 * small and plain; the main thread trusts nothing it sends back (callback-outcomes.ts validates).
 *
 * Protocol. Tasks run one at a time, in the order posted; up to PIPELINE_DEPTH may be posted
 * ahead (callback-thread.ts). Shared memory, all Int32: `wake[0]` is bumped after every post
 * and `wake[1]` is 1 while the worker waits for one; `slots[task.slot]` is 1 (pending) when
 * posted, and a task runs only if the worker turns it to 2 (started) — the main thread can take
 * a pending task back by turning it to 3 (cancelled) first, and always knows which one ran.
 * - main → worker, on the transferred `port`: `{id, slot, module, exportName, event}`.
 * - worker → main: `{type: 'ready'}` once; `{type: 'loaded', id}` after a module was imported and
 *   its export found for the first time on this thread (the callback's own timeout starts then);
 *   then exactly one reply per task, in order: `{id, ok: true, json?}` (json = the result as JSON
 *   text, absent for undefined/null), `{id, ok: false, kind: 'threw' | 'load' | 'garbage', name,
 *   message, stack?}`, or `{id, ok: false, kind: 'skipped'}` for a cancelled task.
 *
 * Waiting for the next task uses `Atomics.waitAsync` rather than `port.on('message')`:
 * measured on the 2-core dev machine, it halves the round trip (p50 ~33 µs against ~75 µs), and
 * unlike a blocking `Atomics.wait` it leaves the worker's event loop running between tasks, so a
 * callback's console output is flushed and timers it left behind still fire. A ref'd interval
 * keeps the loop alive because a pending waitAsync does not.
 */
export const CALLBACK_WORKER_SOURCE = String.raw`'use strict';
(() => {
  const threads = require('node:worker_threads');
  const { createRequire } = require('node:module');
  const { isAbsolute, join, resolve } = require('node:path');
  const { pathToFileURL } = require('node:url');
  const { port, wake, slots, baseDir, maxResultBytes } = threads.workerData;
  // User code can reach workerData: do not leave it our channel to forge replies on.
  threads.workerData.port = undefined;
  threads.workerData.wake = undefined;
  threads.workerData.slots = undefined;
  // 'spatia run' may write its event log to stdout: a callback's console output goes to stderr.
  // (Not through Worker's 'stdout: true' and a pipe: a piped worker stdout keeps the process alive.)
  Object.defineProperty(process, 'stdout', { value: process.stderr, configurable: true });
  globalThis.console = new (require('node:console').Console)({ stdout: process.stderr, stderr: process.stderr });
  setInterval(() => {}, 1 << 30);
  const loaded = new Map();

  const clip = (v, max) => {
    let s;
    try { s = String(v); } catch { s = '<unprintable value>'; }
    return s.length > max ? s.slice(0, max) + '...' : s;
  };
  const describe = (e) => {
    try {
      if (e instanceof Error) {
        return { name: clip(e.name, 200), message: clip(e.message, 2000), stack: typeof e.stack === 'string' ? clip(e.stack, 4000) : undefined };
      }
    } catch { /* a hostile getter: fall through */ }
    return { name: typeof e, message: clip(e, 2000) };
  };
  const moduleUrl = (spec) => {
    if (spec.startsWith('file:')) return spec;
    if (isAbsolute(spec)) return pathToFileURL(spec).href;
    if (spec.startsWith('./') || spec.startsWith('../')) return pathToFileURL(resolve(baseDir, spec)).href;
    const found = createRequire(join(baseDir, 'callbacks.js')).resolve(spec);
    return isAbsolute(found) ? pathToFileURL(found).href : found;
  };
  const load = async (spec, name) => {
    let ns;
    try {
      ns = await import(moduleUrl(spec));
    } catch (e) {
      const d = describe(e);
      return { error: { name: d.name, message: 'cannot load callback module ' + spec + ': ' + d.name + ': ' + d.message, stack: d.stack } };
    }
    try {
      if (typeof ns[name] === 'function') return { target: ns, name };
      const def = ns.default;
      if (def !== null && typeof def === 'object' && typeof def[name] === 'function') return { target: def, name };
      const fns = Object.keys(ns).filter((k) => typeof ns[k] === 'function');
      const message = 'callback module ' + spec + ' has no exported function "' + name + '" (its exported functions: ' + (fns.join(', ') || 'none') + ')';
      return { error: { name: 'Error', message } };
    } catch (e) {
      return { error: describe(e) };
    }
  };
  const garbage = (id, message) => ({ id, ok: false, kind: 'garbage', name: 'TypeError', message });
  const encode = (id, value) => {
    if (value === undefined || value === null) return { id, ok: true };
    const type = typeof value;
    if (type === 'function' || type === 'symbol' || type === 'bigint') return garbage(id, 'returned a ' + type);
    let json;
    try { json = JSON.stringify(value); } catch (e) { return garbage(id, 'returned a value that is not JSON (' + describe(e).message + ')'); }
    if (typeof json !== 'string') return garbage(id, 'returned a value that is not JSON');
    if (json.length > maxResultBytes) return garbage(id, 'returned ' + json.length + ' bytes of JSON, more than the ' + maxResultBytes + ' allowed');
    return { id, ok: true, json };
  };
  const handle = async (task) => {
    const key = task.module + '\0' + task.exportName;
    let entry = loaded.get(key);
    if (entry === undefined) {
      const r = await load(task.module, task.exportName);
      if (r.error !== undefined) return { id: task.id, ok: false, kind: 'load', ...r.error };
      entry = r;
      loaded.set(key, entry);
      port.postMessage({ type: 'loaded', id: task.id });
    }
    let value;
    try {
      value = await entry.target[entry.name](task.event);
    } catch (e) {
      return { id: task.id, ok: false, kind: 'threw', ...describe(e) };
    }
    return encode(task.id, value);
  };
  const SPIN_MS = 0.2;
  const serve = async () => {
    port.postMessage({ type: 'ready' });
    for (;;) {
      let m = threads.receiveMessageOnPort(port);
      // A short spin first: a caller that sends calls back to back finds this worker awake,
      // instead of paying a thread wake-up (tens of µs on an idle CPU) per call.
      if (m === undefined) {
        const spinEnd = performance.now() + SPIN_MS;
        while (m === undefined && performance.now() < spinEnd) m = threads.receiveMessageOnPort(port);
      }
      if (m === undefined) {
        // Read the counter before the last look at the port: a task posted after this look
        // has bumped it, so the wait below returns at once instead of missing the task.
        const seen = Atomics.load(wake, 0);
        m = threads.receiveMessageOnPort(port);
        if (m === undefined) {
          Atomics.store(wake, 1, 1);
          const w = Atomics.waitAsync(wake, 0, seen);
          if (w.async) await w.value;
          Atomics.store(wake, 1, 0);
          continue;
        }
      }
      const slot = m.message && m.message.slot;
      if (Atomics.compareExchange(slots, slot, 1, 2) !== 1) {
        port.postMessage({ id: m.message.id, ok: false, kind: 'skipped' });
        continue;
      }
      let reply;
      try {
        reply = await handle(m.message);
      } catch (e) {
        reply = { id: m.message && m.message.id, ok: false, kind: 'threw', ...describe(e) };
      }
      port.postMessage(reply);
    }
  };
  void serve();
})();
`;
