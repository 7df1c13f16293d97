import type {
  OpenPublisherClient,
  PublisherClient,
  PublisherClientOptions,
  PublisherEvents,
  PublishResult,
} from '../../../../src/actions/outbox/publisher-client.js';

/** One publish as the broker saw it. */
export interface Publish {
  readonly topic: string;
  readonly payload: string;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

interface Pending extends Publish {
  readonly done: (result: PublishResult) => void;
}

/**
 * A recording double of the PublisherClient port with a broker's memory: which messages it
 * acknowledged, in order, and what is retained (the will included, when a connection dies
 * without DISCONNECT). Attempts are accepted or refused by `up`; acks are automatic or left to
 * the test (`autoAck = false`, then ackNext / refuseNext / breakNext).
 */
export class FakePublisherBroker {
  readonly clients: FakePublisherClient[] = [];
  readonly acked: Publish[] = [];
  readonly retained = new Map<string, string>();
  /** Publishes made while no connection was up: the contract forbids them. */
  readonly violations: Publish[] = [];
  up = true;
  autoAck = true;
  receiveMaximum: number | undefined;

  readonly open: OpenPublisherClient = async (_url, options, events) => {
    const c = new FakePublisherClient(this, options, events);
    this.clients.push(c);
    setImmediate(() => (this.up ? c.accept() : c.fail('connect ECONNREFUSED', 'ECONNREFUSED')));
    return c;
  };

  get last(): FakePublisherClient {
    const c = this.clients[this.clients.length - 1];
    if (c === undefined) throw new Error('no connection attempt yet');
    return c;
  }

  /** The connected client, if any. */
  get current(): FakePublisherClient | undefined {
    return this.clients.find((c) => c.connected);
  }

  /** The broker goes away: new attempts are refused and the live connection drops. */
  stop(): void {
    this.up = false;
    this.current?.drop();
  }

  /** Payloads acknowledged on `topic`, parsed. */
  payloads(topic: string): Array<Record<string, unknown>> {
    return this.acked.filter((p) => p.topic === topic).map((p) => JSON.parse(p.payload) as Record<string, unknown>);
  }
}

export class FakePublisherClient implements PublisherClient {
  /** Every publish made on this connection, in order. */
  readonly sent: Publish[] = [];
  readonly pending: Pending[] = [];
  connected = false;
  closed = false;
  ended: 'graceful' | 'forced' | undefined;

  constructor(
    private readonly broker: FakePublisherBroker,
    readonly options: PublisherClientOptions,
    private readonly events: PublisherEvents,
  ) {}

  publish(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, done: (result: PublishResult) => void): void {
    const p = { topic, payload: payload.toString(), qos, retain, done };
    if (!this.connected) {
      this.broker.violations.push(p);
      return;
    }
    this.sent.push({ topic, payload: p.payload, qos, retain });
    this.pending.push(p);
    if (this.broker.autoAck) setImmediate(() => this.ackNext());
  }

  async end(graceful: boolean): Promise<void> {
    if (this.closed) return;
    this.ended = graceful ? 'graceful' : 'forced';
    this.close(!graceful);
  }

  accept(): void {
    this.connected = true;
    this.events.connected({ receiveMaximum: this.broker.receiveMaximum });
  }

  fail(message: string, code: string | number): void {
    this.events.failed({ message, code });
    this.close(false);
  }

  /** The connection dies without DISCONNECT: the broker publishes the will. */
  drop(): void {
    this.close(true);
  }

  /** Acknowledges the oldest `n` pending publishes. */
  ackNext(n = 1): void {
    for (let i = 0; i < n && this.connected; i++) {
      const p = this.pending.shift();
      if (p === undefined) return;
      this.broker.acked.push({ topic: p.topic, payload: p.payload, qos: p.qos, retain: p.retain });
      if (p.retain) this.broker.retained.set(p.topic, p.payload);
      p.done(undefined);
    }
  }

  /** Refuses the oldest pending publish with an MQTT 5 reason. */
  refuseNext(why: string): void {
    this.pending.shift()?.done({ refused: why });
  }

  /** The oldest pending publish fails with the connection. */
  breakNext(why: string): void {
    this.pending.shift()?.done({ broken: why });
  }

  private close(will: boolean): void {
    if (this.closed) return;
    const wasConnected = this.connected;
    this.connected = false;
    this.closed = true;
    if (will && wasConnected) this.broker.retained.set(this.options.will.topic, this.options.will.payload.toString());
    this.pending.length = 0;
    this.events.closed();
  }
}

/** Polls `cond` until it holds (generous bound: real files and timers, never a timing assertion). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
