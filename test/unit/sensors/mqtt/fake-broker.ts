import type {
  BrokerClient,
  BrokerClientOptions,
  BrokerEvents,
  OpenBrokerClient,
  SubackResult,
} from '../../../../src/sensors/mqtt/broker-client.js';
import type { Timers } from '../../../../src/sensors/mqtt/mqtt-connection.js';

/**
 * A recording double of the BrokerClient port: every connection attempt is a FakeClient the test
 * drives (accept, refuse, drop, publish) and inspects (subscriptions, unsubscriptions, end).
 */
export class FakeBroker {
  readonly clients: FakeClient[] = [];

  readonly open: OpenBrokerClient = async (url, options, events) => {
    const c = new FakeClient(url, options, events);
    this.clients.push(c);
    return c;
  };

  get last(): FakeClient {
    const c = this.clients[this.clients.length - 1];
    if (c === undefined) throw new Error('no connection attempt yet');
    return c;
  }
}

interface PendingSubscribe {
  readonly filter: string;
  readonly id: number | undefined;
  readonly done: (result: SubackResult) => void;
}

export class FakeClient implements BrokerClient {
  /** Subscriptions not answered yet. */
  readonly subscribes: PendingSubscribe[] = [];
  /** Every subscription asked for: [filter, subscription id]. */
  readonly subscribed: Array<[string, number | undefined]> = [];
  readonly unsubscribes: string[] = [];
  ended = false;

  constructor(
    readonly url: string,
    readonly options: BrokerClientOptions,
    private readonly events: BrokerEvents,
  ) {}

  subscribe(filter: string, subscriptionId: number | undefined, done: (result: SubackResult) => void): void {
    this.subscribes.push({ filter, id: subscriptionId, done });
    this.subscribed.push([filter, subscriptionId]);
  }

  unsubscribe(filter: string): void {
    this.unsubscribes.push(filter);
  }

  async end(): Promise<void> {
    this.ended = true;
  }

  /** The broker accepts the session. */
  accept(): void {
    this.events.connected();
  }

  /** Answers every subscription so far (granted unless listed in `refuse`). */
  suback(refuse: readonly string[] = []): void {
    for (const s of this.subscribes.splice(0)) s.done({ granted: !refuse.includes(s.filter) });
  }

  publish(topic: string, payload: string, ids?: number | number[]): void {
    this.events.message(topic, Buffer.from(payload), ids);
  }

  /** A failure (refused CONNACK, socket error), then the close that follows it. */
  fail(message: string, code?: string | number): void {
    this.events.failed({ message, code });
    this.events.closed();
  }

  /** The connection closes without an error (the broker went away). */
  drop(): void {
    this.events.closed();
  }
}

/** Timers the test fires by hand; records each delay asked for. */
export class ManualTimers implements Timers {
  private pending = new Map<number, () => void>();
  private next = 1;
  readonly delays: number[] = [];

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.pending.set(id, fn);
    this.delays.push(ms);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Runs every pending timer. */
  fireAll(): void {
    const fns = [...this.pending.values()];
    this.pending.clear();
    for (const fn of fns) fn();
  }
}

/** Lets pending promise continuations (the async connection attempt) run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
