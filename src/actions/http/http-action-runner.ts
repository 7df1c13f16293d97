import type { ActionJob, ActionOutcome, ActionRunner } from '../action-runner.js';
import { type AttemptResult, type FetchFn, type HttpTimers, httpAttempt, realHttpTimers } from './http-attempt.js';
import { buildHttpRequest, type HttpRequestParts } from './http-request.js';

/** Options of {@link HttpActionRunner}; every one has a real default. */
export interface HttpActionRunnerOptions {
  /** Default: Node's global fetch (undici). */
  readonly fetch?: FetchFn;
  /** Default: setTimeout. */
  readonly timers?: HttpTimers;
  /** Wait before the first retry (default 1000 ms), doubling per retry up to `backoffMaxMs` (default 30000 ms). */
  readonly backoffMinMs?: number;
  /** Also the cap of a server's `Retry-After`. */
  readonly backoffMaxMs?: number;
}

/** Network errors, timeouts, 5xx and 429 may pass; other 4xx will not, whatever the number of attempts. */
function retryable(r: AttemptResult): boolean {
  if (r.kind === 'network' || r.kind === 'timeout') return true;
  return r.kind === 'http' && (r.status >= 500 || r.status === 429);
}

/**
 * Runs `http` actions: POSTs the rendered `body` as JSON (`content-type: application/json`) to
 * `url`, each attempt bounded by `timeout`, retrying up to `retries` times with exponential backoff
 * (honouring `Retry-After`) after a network error, a timeout, a 5xx or a 429; never after another
 * 4xx, which a retry cannot fix.
 *
 * Outcomes: `ok` with detail `{http_status, attempts}` for a 2xx; `failed` with reason
 * `http <status>` or `network`; `timeout` (reason `timeout`) when the last attempt got no answer
 * in time; `failed` with reason `aborted` when the run's signal aborts (an attempt in flight is
 * cancelled, and so is a backoff wait). Messages name the endpoint by origin only: webhook paths
 * and queries often carry the secret.
 */
export class HttpActionRunner implements ActionRunner {
  private readonly fetch: FetchFn;
  private readonly timers: HttpTimers;
  private readonly backoffMinMs: number;
  private readonly backoffMaxMs: number;
  /** Runs in flight, with what aborts them: close() aborts them and waits for them to finish. */
  private readonly running = new Map<AbortController, Promise<ActionOutcome>>();
  private closed = false;

  constructor(opts: HttpActionRunnerOptions = {}) {
    this.fetch = opts.fetch ?? ((url, init) => fetch(url, init));
    this.timers = opts.timers ?? realHttpTimers();
    this.backoffMinMs = opts.backoffMinMs ?? 1000;
    this.backoffMaxMs = opts.backoffMaxMs ?? 30_000;
  }

  async run(job: ActionJob, signal: AbortSignal): Promise<ActionOutcome> {
    const m = job.request.action.model;
    if (m.kind !== 'http') {
      return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'unavailable', error: `the http runner was given a ${m.kind} action` };
    }
    if (this.closed) return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'closed', error: 'http actions are closed (shutting down)' };
    let req: HttpRequestParts;
    try {
      req = buildHttpRequest(m.url, job.request.payload, m.headers);
    } catch (err) {
      return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'garbage', error: `cannot build the request: ${err instanceof Error ? err.message : String(err)}` };
    }
    const own = new AbortController();
    const onAbort = (): void => own.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) own.abort();
    const outcome = this.attempts(req, m.timeoutUs / 1000, m.retries, own.signal);
    this.running.set(own, outcome);
    try {
      return await outcome;
    } finally {
      this.running.delete(own);
      signal.removeEventListener('abort', onAbort);
    }
  }

  private async attempts(req: HttpRequestParts, timeoutMs: number, retries: number, signal: AbortSignal): Promise<ActionOutcome> {
    for (let attempt = 1; ; attempt++) {
      const r = await httpAttempt(this.fetch, req, timeoutMs, this.timers, signal);
      if (r.kind === 'ok') return { status: 'ok', detail: { http_status: r.status, attempts: attempt } };
      if (r.kind === 'aborted' || attempt > retries || !retryable(r)) return this.failure(r, req, timeoutMs, attempt);
      const backoffMs = Math.min(this.backoffMaxMs, this.backoffMinMs * 2 ** (attempt - 1));
      const serverMs = r.kind === 'http' && r.retryAfterMs !== undefined ? Math.min(this.backoffMaxMs, r.retryAfterMs) : 0;
      if (!(await this.pause(Math.max(backoffMs, serverMs), signal))) return this.failure({ kind: 'aborted' }, req, timeoutMs, attempt);
    }
  }

  private failure(r: Exclude<AttemptResult, { kind: 'ok' }>, req: HttpRequestParts, timeoutMs: number, attempts: number): ActionOutcome {
    const after = attempts === 1 ? '' : ` (after ${attempts} attempts)`;
    const detail = { attempts };
    switch (r.kind) {
      case 'http': {
        const body = r.bodyStart.trim().replace(/\s+/g, ' ').slice(0, 200);
        const error = `POST to ${req.endpoint} answered ${r.status}${r.statusText === '' ? '' : ` ${r.statusText}`}${after}${body === '' ? '' : `: ${body}`}`;
        return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: `http ${r.status}`, error, detail: { http_status: r.status, attempts } };
      }
      case 'network':
        return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'network', error: `POST to ${req.endpoint} failed${after}: ${r.message}`, detail };
      case 'timeout':
        return { status: 'timeout', code: 'SPATIA_ACTION_FAILED', reason: 'timeout', error: `POST to ${req.endpoint}: no answer within ${timeoutMs} ms${after}`, detail };
      case 'aborted':
        return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'aborted', error: `POST to ${req.endpoint} cancelled: the run was aborted (action_mode restart, or shutdown)`, detail };
    }
  }

  /** Waits `ms`; false when `signal` aborted first. */
  private pause(ms: number, signal: AbortSignal): Promise<boolean> {
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        cancel();
        resolve(false);
      };
      const cancel = this.timers.after(ms, () => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      });
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Cancels attempts and backoff waits still going (each resolves `aborted`) and refuses new runs. */
  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.running.keys()) c.abort();
    await Promise.allSettled(this.running.values());
  }
}
