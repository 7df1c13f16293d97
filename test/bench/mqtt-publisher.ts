/**
 * The publisher of the MQTT ingest bench, run as a child process (so its work does not share the
 * ingest side's event loop). It speaks raw MQTT 3.1.1 over one TCP socket, QoS 0, so the
 * publisher itself costs next to nothing: each loop turn writes, in one buffer, every message due
 * by then on the schedule `t0 + k / rate` (message k carries the number k, on topic k mod N).
 *
 * Protocol over the IPC channel: parent sends {port}, then {run: {rate, durationMs, topics, json}}
 * per step; the child answers {ready}, then {started: t0} and {done: {sent, maxBehindMs}}, where
 * t0 is epoch milliseconds (performance.timeOrigin + performance.now()) and maxBehindMs how far
 * the publisher itself fell behind its schedule.
 */
import { connect, type Socket } from 'node:net';

interface RunCommand {
  readonly rate: number;
  readonly durationMs: number;
  readonly topics: readonly string[];
  readonly json: boolean;
}

const epochMs = (): number => performance.timeOrigin + performance.now();

function remainingLength(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type, ...remainingLength(body.length)]), body]);
}

function str(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b]);
}

function connectPacket(clientId: string): Buffer {
  // Protocol name MQTT, level 4 (3.1.1), clean session, keepalive 60 s.
  return packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 60]), str(clientId)]));
}

/** Writes PUBLISH (QoS 0) packets into one buffer: the topics' bytes are encoded once. */
class PublishWriter {
  private buf = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private readonly topics: Buffer[];

  constructor(topics: readonly string[]) {
    this.topics = topics.map((t) => str(t));
  }

  add(topicIndex: number, payload: string): void {
    const topic = this.topics[topicIndex] as Buffer;
    const body = topic.length + payload.length;
    if (this.used + body + 5 > this.buf.length) this.grow(body + 5);
    const b = this.buf;
    b[this.used++] = 0x30;
    let n = body;
    do {
      let byte = n % 128;
      n = Math.floor(n / 128);
      if (n > 0) byte |= 0x80;
      b[this.used++] = byte;
    } while (n > 0);
    this.used += topic.copy(b, this.used);
    this.used += b.write(payload, this.used, 'latin1');
  }

  /** The packets written since the last take (a copy: the socket may hold on to it). */
  take(): Buffer | undefined {
    if (this.used === 0) return undefined;
    const out = Buffer.from(this.buf.subarray(0, this.used));
    this.used = 0;
    return out;
  }

  private grow(extra: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + extra));
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }
}

async function open(port: number): Promise<Socket> {
  const sock = connect({ host: '127.0.0.1', port });
  sock.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    sock.once('connect', resolve);
    sock.once('error', reject);
  });
  sock.write(connectPacket(`spatia-bench-pub-${process.pid}`));
  await new Promise<void>((resolve, reject) => {
    sock.once('data', (d: Buffer) => (d[0] === 0x20 && d[3] === 0 ? resolve() : reject(new Error('CONNACK refused'))));
  });
  return sock;
}

async function run(sock: Socket, cmd: RunCommand): Promise<{ sent: number; maxBehindMs: number }> {
  const total = Math.round((cmd.rate * cmd.durationMs) / 1000);
  const t0 = epochMs();
  process.send?.({ started: t0 });
  const writer = new PublishWriter(cmd.topics);
  let k = 0;
  let maxBehindMs = 0;
  while (k < total) {
    const now = epochMs();
    const due = Math.min(total, Math.floor(((now - t0) * cmd.rate) / 1000) + 1);
    maxBehindMs = Math.max(maxBehindMs, now - (t0 + (k * 1000) / cmd.rate));
    for (; k < due; k++) writer.add(k % cmd.topics.length, cmd.json ? `{"v":${k},"unit":"degC"}` : String(k));
    const batch = writer.take();
    if (batch !== undefined && !sock.write(batch)) await new Promise((resolve) => sock.once('drain', resolve));
    else await new Promise((resolve) => setImmediate(resolve));
  }
  return { sent: total, maxBehindMs };
}

let socket: Socket | undefined;
process.on('message', (msg: { port?: number; run?: RunCommand; exit?: true }) => {
  void (async () => {
    if (msg.port !== undefined) {
      socket = await open(msg.port);
      process.send?.({ ready: true });
    } else if (msg.run !== undefined && socket !== undefined) {
      process.send?.({ done: await run(socket, msg.run) });
    } else if (msg.exit === true) {
      socket?.end();
      process.disconnect();
    }
  })();
});
