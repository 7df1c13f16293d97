import { describe, expect, it } from 'vitest';
import type { ActionJob, ActionOutcome } from '../../../../src/actions/action-runner.js';
import type { FetchFn } from '../../../../src/actions/http/http-attempt.js';
import { HttpActionRunner } from '../../../../src/actions/http/http-action-runner.js';
import { buildHttpRequest } from '../../../../src/actions/http/http-request.js';
import type { ActionModel, JsonValue } from '../../../../src/config/model.js';
import { ManualTimers, settle } from '../../sensors/gpio/manual-timers.js';

/** The retry policy with a scripted fetch and hand-moved timers: which waits, how many attempts. */

function httpAction(more: Partial<Extract<ActionModel, { kind: 'http' }>> = {}): ActionModel {
  const pos = { file: '/site/deploy.yaml', line: 1, col: 1, path: 'conditions[0].actions[0]' };
  return { kind: 'http', url: 'https://hooks.example/services/T0/B0/XXXX', body: null, headers: {}, timeoutUs: 5_000_000, retries: 3, pos, ...more };
}

function job(action: ActionModel, payload: JsonValue | undefined = { a: 1 }): ActionJob {
  const request = { t: 0, tick: 0, condition: 'c', edge: 'rising' as const, index: 0, action: { model: action, message: undefined, payload: undefined }, message: undefined, payload };
  return { request, edge: { t: 0, tick: 0, type: 'edge', id: 'c', edge: 'rising' }, inputs: {} };
}

/** Answers each call with the next scripted status (or throws a network error for 0); records the calls. */
function scripted(statuses: number[], headers: Record<string, string> = {}) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch: FetchFn = (url, init) => {
    calls.push({ url, init });
    const status = statuses[calls.length - 1] ?? 200;
    if (status === 0) return Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND hooks.example') }));
    return Promise.resolve(new Response(status === 204 ? null : 'x', { status, headers }));
  };
  return { fetch, calls };
}

/** Timers that record every delay asked for (timeouts and backoff waits). */
class RecordingTimers extends ManualTimers {
  readonly delays: number[] = [];
  override after(delayMs: number, callback: () => void): () => void {
    this.delays.push(delayMs);
    return super.after(delayMs, callback);
  }
}

/** Runs `run` to completion, moving the hand clock 100 ms at a time while it waits. */
async function drive(timers: ManualTimers, run: Promise<ActionOutcome>): Promise<ActionOutcome> {
  let outcome: ActionOutcome | undefined;
  void run.then((o) => (outcome = o));
  for (let i = 0; i < 1_000_000 && outcome === undefined; i++) {
    await settle();
    if (outcome === undefined) timers.advance(100);
  }
  return outcome as ActionOutcome;
}

const never = new AbortController().signal;

describe('HttpActionRunner retry policy', () => {
  it('backs off exponentially between attempts, capped', async () => {
    const timers = new RecordingTimers();
    const { fetch, calls } = scripted([500, 503, 0, 500, 200]);
    const r = new HttpActionRunner({ fetch, timers, backoffMinMs: 1000, backoffMaxMs: 3000 });
    const outcome = await drive(timers, r.run(job(httpAction({ retries: 5 })), never));
    expect(outcome).toEqual({ status: 'ok', detail: { http_status: 200, attempts: 5 } });
    expect(calls).toHaveLength(5);
    // Each attempt arms its 5 s timeout; between them the waits are 1, 2, 3 (cap), 3 s.
    expect(timers.delays).toEqual([5000, 1000, 5000, 2000, 5000, 3000, 5000, 3000, 5000]);
    expect(timers.pending()).toBe(0);
  });

  it.each([400, 401, 403, 404, 409, 422])('%s is not retried', async (status) => {
    const { fetch, calls } = scripted([status]);
    const outcome = await new HttpActionRunner({ fetch }).run(job(httpAction()), never);
    expect(outcome).toMatchObject({ status: 'failed', reason: `http ${status}`, detail: { http_status: status, attempts: 1 } });
    expect(calls).toHaveLength(1);
  });

  it('Retry-After (seconds) lengthens the wait, within the cap', async () => {
    const timers = new RecordingTimers();
    const { fetch } = scripted([429, 429, 200], { 'retry-after': '7' });
    const r = new HttpActionRunner({ fetch, timers, backoffMinMs: 1000, backoffMaxMs: 10_000 });
    expect(await drive(timers, r.run(job(httpAction()), never))).toMatchObject({ status: 'ok', detail: { attempts: 3 } });
    expect(timers.delays.filter((d) => d !== 5000)).toEqual([7000, 7000]);
  });

  it('a network error names the cause; retries 0 means one attempt', async () => {
    const { fetch, calls } = scripted([0]);
    const outcome = await new HttpActionRunner({ fetch }).run(job(httpAction({ retries: 0 })), never);
    expect(outcome).toEqual({
      status: 'failed',
      code: 'SPATIA_ACTION_FAILED',
      reason: 'network',
      error: 'POST to https://hooks.example failed: fetch failed: getaddrinfo ENOTFOUND hooks.example',
      detail: { attempts: 1 },
    });
    expect(calls).toHaveLength(1);
  });

  it('a per-attempt timeout aborts the fetch', async () => {
    const timers = new ManualTimers();
    const fetch: FetchFn = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
    const r = new HttpActionRunner({ fetch, timers });
    const outcome = await drive(timers, r.run(job(httpAction({ retries: 0, timeoutUs: 2_000_000 })), never));
    expect(outcome).toMatchObject({ status: 'timeout', reason: 'timeout', error: 'POST to https://hooks.example: no answer within 2000 ms' });
  });

  it('aborting during a backoff wait ends the run at once, leaving no timer behind', async () => {
    const timers = new ManualTimers();
    const { fetch, calls } = scripted([503, 503, 503]);
    const r = new HttpActionRunner({ fetch, timers, backoffMinMs: 60_000 });
    const controller = new AbortController();
    const run = r.run(job(httpAction()), controller.signal);
    await settle();
    expect(timers.pending()).toBe(1);
    controller.abort();
    expect(await run).toMatchObject({ status: 'failed', reason: 'aborted', detail: { attempts: 1 } });
    expect(calls).toHaveLength(1);
    expect(timers.pending()).toBe(0);
  });

  it('an already aborted signal sends nothing', async () => {
    const { fetch, calls } = scripted([200]);
    const controller = new AbortController();
    controller.abort();
    expect(await new HttpActionRunner({ fetch }).run(job(httpAction()), controller.signal)).toMatchObject({ status: 'failed', reason: 'aborted' });
    expect(calls).toHaveLength(0);
  });
});

describe('buildHttpRequest', () => {
  it('sends JSON with its content type; null sends no body', () => {
    expect(buildHttpRequest('http://127.0.0.1:1/x', { t: 1 }, {})).toMatchObject({ body: '{"t":1}', headers: { 'content-type': 'application/json' } });
    const none = buildHttpRequest('http://127.0.0.1:1/x', null, {});
    expect(none.body).toBeUndefined();
    expect(none.headers['content-type']).toBeUndefined();
  });

  it('turns URL credentials into basic authentication, unless an authorization header is given', () => {
    const r = buildHttpRequest('https://u%3Ax:p%40ss@hooks.example:8443/a?k=v', null, {});
    expect(r.url).toBe('https://hooks.example:8443/a?k=v');
    expect(r.endpoint).toBe('https://hooks.example:8443');
    expect(r.headers['authorization']).toBe(`Basic ${Buffer.from('u:x:p@ss').toString('base64')}`);
    expect(buildHttpRequest('https://u:p@h.example/', null, { Authorization: 'Bearer t' }).headers['authorization']).toBe('Bearer t');
  });
});
