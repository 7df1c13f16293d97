import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionJob } from '../../../src/actions/action-runner.js';
import { HttpActionRunner } from '../../../src/actions/http/http-action-runner.js';
import type { ActionModel, JsonValue } from '../../../src/config/model.js';
import { freePort } from '../../helpers/mosquitto.js';

/**
 * The http action against real HTTP servers on 127.0.0.1 (port 0: whatever is free), through
 * Node's own fetch. Nothing but loopback is ever contacted. Timeouts are short so the tests are
 * quick; they check outcomes and counts, never durations.
 */

interface Received {
  readonly method: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void;

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

/** A server answering with `handler` (told the 1-based request number), recording every request. */
async function serve(handler: Handler): Promise<{ url: string; received: Received[]; started: () => number }> {
  const received: Received[] = [];
  let started = 0;
  const server = createServer((req, res) => {
    started += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      handler(req, res, received.length);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook?token=s3cret`, received, started: () => started };
}

function httpAction(url: string, more: Partial<Extract<ActionModel, { kind: 'http' }>> = {}): ActionModel {
  const pos = { file: '/site/deploy.yaml', line: 1, col: 1, path: 'conditions[0].actions[0]' };
  return { kind: 'http', url, body: null, headers: {}, timeoutUs: 2_000_000, retries: 3, pos, ...more };
}

function job(action: ActionModel, payload: JsonValue | undefined): ActionJob {
  const request = { t: 1.5, tick: 15, condition: 'door', edge: 'rising' as const, index: 0, action: { model: action, message: undefined, payload: undefined }, message: undefined, payload };
  return { request, edge: { t: 1.5, tick: 15, type: 'edge', id: 'door', edge: 'rising' }, inputs: {} };
}

const runner = (): HttpActionRunner => new HttpActionRunner({ backoffMinMs: 5, backoffMaxMs: 50 });
const never = new AbortController().signal;

describe('http action against a real local server', () => {
  it('POSTs the rendered payload as JSON, retrying a flaky server (503, 503, then 200)', async () => {
    const { url, received } = await serve((_req, res, n) => {
      res.writeHead(n <= 2 ? 503 : 200, { 'content-type': 'application/json' }).end(n <= 2 ? '{"error":"busy"}' : '{"ok":true}');
    });
    const payload = { door: 'open', temp: 21.5, n: [1, 2] };
    const r = runner();
    const outcome = await r.run(job(httpAction(url), payload), never);
    expect(outcome).toEqual({ status: 'ok', detail: { http_status: 200, attempts: 3 } });
    expect(received).toHaveLength(3);
    for (const req of received) {
      expect(req.method).toBe('POST');
      expect(req.headers['content-type']).toBe('application/json');
      expect(JSON.parse(req.body)).toEqual(payload);
    }
    await r.close();
  });

  it('a server slower than the timeout: each attempt is cut, the outcome is a timeout', async () => {
    const { url, started } = await serve(() => {
      // Never answers; the socket is destroyed when the test closes the server.
    });
    const r = runner();
    const outcome = await r.run(job(httpAction(url, { timeoutUs: 400_000, retries: 1 }), { a: 1 }), never);
    expect(outcome).toMatchObject({ status: 'timeout', code: 'SPATIA_ACTION_FAILED', reason: 'timeout', detail: { attempts: 2 } });
    expect(outcome.status !== 'ok' && outcome.error).toBe(`POST to ${new URL(url).origin}: no answer within 400 ms (after 2 attempts)`);
    expect(started()).toBe(2);
    await r.close();
  });

  it('a 400 is not retried, and its message shows the start of the answer but never the path or query', async () => {
    const { url, received } = await serve((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error": "field temp is required"}');
    });
    const r = runner();
    const outcome = await r.run(job(httpAction(url), { a: 1 }), never);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'http 400', detail: { http_status: 400, attempts: 1 } });
    const error = outcome.status !== 'ok' ? outcome.error : '';
    expect(error).toBe(`POST to ${new URL(url).origin} answered 400 Bad Request: {"error": "field temp is required"}`);
    expect(error).not.toContain('s3cret');
    expect(received).toHaveLength(1);
    await r.close();
  });

  it('5xx until the retries are spent: failed with the last status', async () => {
    const { url, received } = await serve((_req, res) => {
      res.writeHead(502).end();
    });
    const outcome = await runner().run(job(httpAction(url, { retries: 2 }), { a: 1 }), never);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'http 502', detail: { http_status: 502, attempts: 3 } });
    expect(received).toHaveLength(3);
  });

  it('429 is retried (Retry-After honoured, within the backoff cap)', async () => {
    const { url, received } = await serve((_req, res, n) => {
      res.writeHead(n === 1 ? 429 : 204, n === 1 ? { 'retry-after': '0' } : {}).end();
    });
    expect(await runner().run(job(httpAction(url), { a: 1 }), never)).toEqual({ status: 'ok', detail: { http_status: 204, attempts: 2 } });
    expect(received).toHaveLength(2);
  });

  it('nothing listening: a network failure after the retries', async () => {
    const port = await freePort();
    const outcome = await runner().run(job(httpAction(`http://127.0.0.1:${port}/hook`, { retries: 1 }), { a: 1 }), never);
    expect(outcome).toMatchObject({ status: 'failed', reason: 'network', detail: { attempts: 2 } });
    expect(outcome.status !== 'ok' && outcome.error).toContain('ECONNREFUSED');
  });

  it('credentials in the URL become basic authentication; headers are sent; a null body sends none', async () => {
    const { url, received } = await serve((_req, res) => {
      res.writeHead(200).end();
    });
    const withUser = url.replace('http://', 'http://hook%20user:p%40ss@');
    const action = httpAction(withUser, { headers: { 'x-site': 'lobby' } });
    expect(await runner().run(job(action, null), never)).toMatchObject({ status: 'ok' });
    const [req] = received;
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from('hook user:p@ss').toString('base64')}`);
    expect(req?.headers['x-site']).toBe('lobby');
    expect(req?.headers['content-type']).toBeUndefined();
    expect(req?.body).toBe('');
  });

  it("the run's signal cancels an attempt in flight: aborted, soon", async () => {
    const { url, received } = await serve(() => {
      // Holds the request until the test ends.
    });
    const controller = new AbortController();
    const r = runner();
    const pending = r.run(job(httpAction(url, { timeoutUs: 60_000_000 }), { a: 1 }), controller.signal);
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    controller.abort();
    expect(await pending).toMatchObject({ status: 'failed', reason: 'aborted', detail: { attempts: 1 } });
    await r.close();
  });

  it('close() cancels what is in flight and refuses new runs', async () => {
    const { url, received } = await serve(() => {
      // Holds the request until the test ends.
    });
    const r = runner();
    const pending = r.run(job(httpAction(url, { timeoutUs: 60_000_000 }), { a: 1 }), never);
    await expect.poll(() => received.length, { timeout: 10_000 }).toBe(1);
    await r.close();
    expect(await pending).toMatchObject({ status: 'failed', reason: 'aborted' });
    expect(await r.run(job(httpAction(url), { a: 1 }), never)).toMatchObject({ status: 'failed', reason: 'closed' });
  });
});
