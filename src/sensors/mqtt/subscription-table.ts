import type { SensorFault, TransportEvent } from '../live/source.js';
import { hasWildcard, topicMatches } from './topic-filter.js';

/** What a connection tells one of its sensors. Implementations must not throw. */
export interface ConnectionReceiver {
  deliver(topic: string, payload: Buffer): void;
  /** The connection dropped (once per drop, only after it had been connected). */
  lost(fault: SensorFault): void;
  /** The broker refused this receiver's subscription. */
  refused(fault: SensorFault): void;
  /** Connection health; only the first attached receiver gets these, so each is logged once. */
  transport(event: TransportEvent): void;
}

/** One topic filter subscribed on a connection, and the sensors that asked for it. */
export interface Subscription {
  readonly filter: string;
  /** MQTT 5 subscription identifier (1..268435455), unique on the connection. */
  readonly id: number;
  /** Replaced, never mutated, so a delivery loop can run while receivers come and go. */
  receivers: readonly ConnectionReceiver[];
  /** Resolved when the broker answered the subscription or the connection attempt failed. */
  waiters: Array<() => void>;
}

/** How long copies of one message sent for overlapping subscriptions may trail the first. */
const COPY_WINDOW_MS = 100;

/**
 * The subscriptions of one connection and the routing of messages to them: each message reaches
 * every sensor whose filter matches its topic, once.
 *
 * A broker sends one copy of a message per matching subscription of a client when filters
 * overlap (mosquitto 2 does; `site/#` and `site/+/temp`). Under MQTT 5 each copy carries the
 * identifier of its subscription and goes to that subscription alone. Without identifiers (MQTT
 * 3.1.1) a message goes to every matching subscription, and up to (matches - 1) identical copies
 * that follow right after it are dropped: if a broker sends a single copy, what this can drop is
 * the same payload on the same topic again within 100 ms, the same reading.
 */
export class SubscriptionTable {
  private readonly byFilter = new Map<string, Subscription>();
  private readonly byId = new Map<number, Subscription>();
  private readonly exact = new Map<string, Subscription>();
  private wildcards: readonly Subscription[] = [];
  private nextId = 1;
  private copyTopic = '';
  private copyPayload: Buffer | undefined;
  private copiesLeft = 0;
  private copiesUntilMs = 0;

  constructor(private readonly nowMs: () => number) {}

  get(filter: string): Subscription | undefined {
    return this.byFilter.get(filter);
  }

  /** Creates the subscription of `filter` (which must not exist yet). */
  add(filter: string): Subscription {
    const sub: Subscription = { filter, id: this.nextId++, receivers: [], waiters: [] };
    this.byFilter.set(filter, sub);
    this.byId.set(sub.id, sub);
    if (hasWildcard(filter)) this.wildcards = [...this.wildcards, sub];
    else this.exact.set(filter, sub);
    return sub;
  }

  remove(sub: Subscription): void {
    this.byFilter.delete(sub.filter);
    this.byId.delete(sub.id);
    this.exact.delete(sub.filter);
    this.wildcards = this.wildcards.filter((x) => x !== sub);
  }

  values(): IterableIterator<Subscription> {
    return this.byFilter.values();
  }

  get size(): number {
    return this.byFilter.size;
  }

  /** Routes one message (see the class comment). */
  dispatch(topic: string, payload: Buffer, ids: number | readonly number[] | undefined): void {
    if (typeof ids === 'number') {
      const sub = this.byId.get(ids);
      if (sub !== undefined) deliver(sub, topic, payload);
      return;
    }
    if (ids !== undefined) {
      for (let i = 0; i < ids.length; i++) {
        const sub = this.byId.get(ids[i] as number);
        if (sub !== undefined) deliver(sub, topic, payload);
      }
      return;
    }
    if (this.copiesLeft > 0) {
      if (topic === this.copyTopic && this.copyPayload?.equals(payload) === true && this.nowMs() <= this.copiesUntilMs) {
        this.copiesLeft--;
        return;
      }
      this.copiesLeft = 0;
      this.copyPayload = undefined;
    }
    let matched = 0;
    const exact = this.exact.get(topic);
    if (exact !== undefined) {
      deliver(exact, topic, payload);
      matched++;
    }
    const w = this.wildcards;
    for (let i = 0; i < w.length; i++) {
      const sub = w[i] as Subscription;
      if (topicMatches(sub.filter, topic)) {
        deliver(sub, topic, payload);
        matched++;
      }
    }
    if (matched > 1) {
      this.copyTopic = topic;
      this.copyPayload = payload;
      this.copiesLeft = matched - 1;
      this.copiesUntilMs = this.nowMs() + COPY_WINDOW_MS;
    }
  }
}

function deliver(sub: Subscription, topic: string, payload: Buffer): void {
  const rs = sub.receivers;
  for (let i = 0; i < rs.length; i++) {
    try {
      (rs[i] as ConnectionReceiver).deliver(topic, payload);
    } catch {
      // Sinks never throw by contract; one that does must not break mqtt.js's packet stream.
    }
  }
}
