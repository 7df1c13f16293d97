import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { SpatiaError } from '../core/errors.js';
import { entityMetricsText } from './entity-metrics.js';
import { formatListen, type ListenAddress, parseListen } from './listen-address.js';
import { registerRunMetrics } from './run-metrics.js';
import type { RunStatus, StatusSource } from './run-status.js';

export { parseListen, formatListen, type ListenAddress } from './listen-address.js';

export interface MetricsServerOptions {
  /** `PORT`, `HOST:PORT` or `[IPV6]:PORT` (see {@link parseListen}), or an address already read. */
  readonly listen: string | ListenAddress;
  /** Called once per request to /metrics or /status, never on the tick. */
  readonly status: StatusSource;
  /** Problems that do not stop the server or the run (a status source that threw, ...). */
  readonly warn: (message: string) => void;
}

/** A listening metrics server. */
export interface MetricsServer {
  /** Where it listens, as `127.0.0.1:9464` or `[::1]:9464`, with the real port when 0 was asked. */
  readonly address: string;
  readonly port: number;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

/** What a failed listen means, for the person who typed the address. */
function describeListenError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return 'the address is already in use (another spatia run, or another exporter?)';
    case 'EADDRNOTAVAIL':
      return 'that is not an address of this machine';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    default:
      return err.message;
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

const TEXT = 'text/plain; charset=utf-8';

/**
 * `spatia run --metrics HOST:PORT`: serves `GET /metrics` (Prometheus text format: the run's
 * figures plus the process's memory, CPU and event-loop delay) and `GET /status` (the
 * {@link RunStatus} as JSON). Every other path is 404 and every other method 405. Binds to
 * loopback unless another host is named. Rejects with SPATIA_METRICS_LISTEN, naming the address,
 * when it cannot listen; once listening, nothing a client does reaches the run.
 */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const where = typeof opts.listen === 'string' ? parseListen(opts.listen) : opts.listen;
  // Its own registry: no module-level state, so two runs (or tests) in one process never mix.
  const registry = new Registry();
  let scrape: RunStatus | undefined;
  registerRunMetrics(registry, () => scrape ?? opts.status());
  collectDefaultMetrics({ register: registry });

  const respond = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = URL.canParse(req.url ?? '', 'http://metrics') ? new URL(req.url ?? '', 'http://metrics').pathname : '';
    if (path !== '/metrics' && path !== '/status') return send(res, 404, TEXT, 'not found: spatia serves /metrics and /status\n');
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, TEXT, `${req.method ?? ''} not allowed: use GET\n`, { Allow: 'GET, HEAD' });
    if (path === '/status') return send(res, 200, 'application/json; charset=utf-8', `${JSON.stringify(opts.status())}\n`);
    // One status per scrape, shared by every metric's collect().
    const status = opts.status();
    scrape = status;
    try {
      send(res, 200, registry.contentType, (await registry.metrics()) + entityMetricsText(status));
    } finally {
      scrape = undefined;
    }
  };
  const server = createServer((req, res) => {
    respond(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      opts.warn(`metrics: ${req.method ?? ''} ${req.url ?? ''} failed: ${message}`);
      if (!res.headersSent) send(res, 500, TEXT, `status unavailable: ${message}\n`);
      else res.destroy();
    });
  });
  // A scraper that stalls must not hold a socket forever.
  server.headersTimeout = 5_000;
  server.requestTimeout = 10_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      reject(new SpatiaError('SPATIA_METRICS_LISTEN', `cannot listen on ${formatListen(where)}: ${describeListenError(err)}`));
    };
    server.once('error', onError);
    server.listen({ host: where.host, port: where.port }, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (err) => opts.warn(`metrics: ${err.message}`));
  const bound = server.address() as AddressInfo;
  return {
    address: formatListen({ host: bound.address, port: bound.port }),
    port: bound.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
