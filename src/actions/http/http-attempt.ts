import type { HttpRequestParts } from './http-request.js';

/** Cancels a pending callback; calling it after the callback ran, or twice, does nothing. */
export type CancelTimer = () => void;

/**
 * The timers of http actions (per-attempt timeouts, backoff between attempts), injected so unit
 * tests move time by hand. Contract: `after(delayMs, cb)` runs `cb` once, after about `delayMs`.
 */
export interface HttpTimers {
  after(delayMs: number, callback: () => void): CancelTimer;
}

/** setTimeout. */
export function realHttpTimers(): HttpTimers {
  return {
    after: (delayMs, callback) => {
      const timer = setTimeout(callback, Math.max(0, delayMs));
      return () => clearTimeout(timer);
    },
  };
}

/** The fetch the runner calls: Node's global fetch (undici) unless a test gives another. */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

/** What one attempt gave. */
export type AttemptResult =
  | { readonly kind: 'ok'; readonly status: number }
  | { readonly kind: 'http'; readonly status: number; readonly statusText: string; readonly bodyStart: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted' };

/** How much of an error response is kept, for the message. */
const ERROR_BODY_BYTES = 4096;
/** How much of a success response is drained so the connection can be reused; a longer one is cut. */
const DRAIN_BYTES = 65_536;

/** Reads the body up to `maxBytes` and cancels the rest (a cancelled body closes the connection instead of reusing it). */
async function readStart(res: Response, maxBytes: number): Promise<string> {
  if (res.body === null) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (size < maxBytes) chunks.push(value);
    size += value.byteLength;
    if (size >= maxBytes) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, maxBytes);
}

/** `Retry-After: 5` in milliseconds (the HTTP-date form would need the wall clock: ignored). */
function retryAfterMs(res: Response): number | undefined {
  const v = res.headers.get('retry-after')?.trim();
  return v !== undefined && /^\d+$/.test(v) ? Number(v) * 1000 : undefined;
}

/** undici reports `fetch failed` with the reason in `cause` (`connect ECONNREFUSED 127.0.0.1:9`). */
function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause;
  const inner = cause instanceof Error ? cause.message : undefined;
  const outer = err instanceof Error ? err.message : String(err);
  return inner === undefined || inner === '' ? outer : `${outer}: ${inner}`;
}

/**
 * One POST, bounded by `timeoutMs` (the whole exchange: connect, headers and the body read) and
 * by `signal` (the run's: restart, shutdown). Never rejects.
 */
export async function httpAttempt(fetchFn: FetchFn, req: HttpRequestParts, timeoutMs: number, timers: HttpTimers, signal: AbortSignal): Promise<AttemptResult> {
  if (signal.aborted) return { kind: 'aborted' };
  const controller = new AbortController();
  let timedOut = false;
  const cancel = timers.after(timeoutMs, () => {
    timedOut = true;
    controller.abort();
  });
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const init: RequestInit = { method: 'POST', headers: req.headers, signal: controller.signal };
    if (req.body !== undefined) init.body = req.body;
    const res = await fetchFn(req.url, init);
    if (res.ok) {
      await readStart(res, DRAIN_BYTES);
      return { kind: 'ok', status: res.status };
    }
    const bodyStart = await readStart(res, ERROR_BODY_BYTES);
    return { kind: 'http', status: res.status, statusText: res.statusText, bodyStart, retryAfterMs: retryAfterMs(res) };
  } catch (err) {
    if (timedOut) return { kind: 'timeout' };
    if (signal.aborted) return { kind: 'aborted' };
    return { kind: 'network', message: describeNetworkError(err) };
  } finally {
    cancel();
    signal.removeEventListener('abort', onAbort);
  }
}
