import { connect } from 'node:net';

/** Whether a TCP connection could be opened; `error` is the errno code or what went wrong. */
export type TcpProbeResult = { readonly ok: true } | { readonly ok: false; readonly error: string };

/**
 * Opens a TCP connection to host:port and closes it at once: proves a broker listens there, not
 * that it speaks MQTT or accepts the credentials. Settles within `timeoutMs`, never rejects, and
 * leaves no socket or timer behind.
 */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<TcpProbeResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: TcpProbeResult): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ ok: false, error: `no answer within ${timeoutMs} ms` }), timeoutMs);
    socket.once('connect', () => done({ ok: true }));
    // `on`, not `once`: a late second error after destroy() must not become an uncaught exception.
    socket.on('error', (err: NodeJS.ErrnoException) => done({ ok: false, error: err.code ?? err.message }));
  });
}
