import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real mosquitto broker for tests, on a free port of 127.0.0.1 (never 1883, where a system
 * broker may run, and never anything but loopback). It can be stopped and started again on the
 * same port, to test what clients do while their broker is away.
 */

export const MOSQUITTO = '/usr/sbin/mosquitto';

/** True when the broker binary is installed (tests skip without it). */
export function hasMosquitto(): boolean {
  return existsSync(MOSQUITTO);
}

/** A port that was free on 127.0.0.1 a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface MosquittoOptions {
  /** user -> password; when given, anonymous clients are refused. */
  readonly users?: Readonly<Record<string, string>>;
  /** A TLS listener (the port serves TLS only): PEM paths of the broker's CA, cert and key. */
  readonly tls?: { readonly ca: string; readonly cert: string; readonly key: string; readonly requireClientCert?: boolean };
}

export class Mosquitto {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private output = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly conf: string,
  ) {}

  /** Writes a config for a free loopback port and starts the broker. */
  static async start(opts: MosquittoOptions = {}): Promise<Mosquitto> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'spatia-mosquitto-'));
    const lines = [`listener ${port} 127.0.0.1`, 'persistence false', 'log_dest stderr', 'log_type error', 'log_type warning'];
    // Started as root, mosquitto drops to the `mosquitto` user, who cannot read our temp files.
    if (process.getuid?.() === 0) lines.push('user root');
    if (opts.users !== undefined) {
      const file = join(dir, 'passwd');
      writeFileSync(file, '');
      for (const [user, password] of Object.entries(opts.users)) execFileSync('mosquitto_passwd', ['-b', file, user, password]);
      lines.push('allow_anonymous false', `password_file ${file}`);
    } else {
      lines.push('allow_anonymous true');
    }
    if (opts.tls !== undefined) {
      lines.push(`cafile ${opts.tls.ca}`, `certfile ${opts.tls.cert}`, `keyfile ${opts.tls.key}`);
      if (opts.tls.requireClientCert === true) lines.push('require_certificate true');
    }
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `${lines.join('\n')}\n`);
    const broker = new Mosquitto(port, dir, conf);
    await broker.start();
    return broker;
  }

  /** `mqtt://127.0.0.1:PORT` (or `mqtts://` for a TLS listener). */
  url(scheme: 'mqtt' | 'mqtts' = 'mqtt'): string {
    return `${scheme}://127.0.0.1:${this.port}`;
  }

  /** Starts the broker (again) on the same port; resolves once it accepts TCP connections. */
  async start(): Promise<void> {
    if (this.child !== undefined) return;
    const child = spawn(MOSQUITTO, ['-c', this.conf], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    while (!(await canConnect(this.port))) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`mosquitto did not start on port ${this.port}: ${this.output}`);
      }
      await sleep(20);
    }
  }

  /** Stops the broker (SIGTERM) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child === undefined) return;
    this.child = undefined;
    if (child.exitCode === null) child.kill('SIGTERM');
    await this.exited;
  }

  /** Stops the broker and removes its files. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = tcpConnect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
