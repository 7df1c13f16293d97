import { createServer, type Server, type Socket, connect } from 'node:net';
import { freePort } from '../../helpers/mosquitto.js';

/**
 * A loopback TCP forwarder to a broker that the test opens and closes: closed, it refuses
 * connections exactly as a stopped broker does. The outbox tests connect the publisher through
 * it so that their subscriber is surely listening before the publisher's first reconnect.
 */
export class TcpGate {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  static async to(targetPort: number): Promise<TcpGate> {
    return new TcpGate(await freePort(), targetPort);
  }

  url(): string {
    return `mqtt://127.0.0.1:${this.port}`;
  }

  async open(): Promise<void> {
    if (this.server !== undefined) return;
    const server = createServer((client) => {
      const upstream = connect({ host: '127.0.0.1', port: this.targetPort });
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          this.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server !== undefined) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
