/**
 * The port between spatia's MQTT connection logic and an MQTT client library. The real adapter
 * (mqtt-client.ts) is the only file that imports mqtt.js; unit tests plug in a recording fake.
 *
 * Contract: `open` starts ONE connection attempt and never retries by itself (reconnecting, with
 * backoff, is the caller's job). Events arrive on the event loop, after `open` resolved:
 * `connected` once the broker accepted the session (CONNACK success); `message` for each
 * PUBLISH; `failed` with the cause of a refused or broken connection (it may come more than
 * once); `closed` exactly once when the network connection is gone (after a failure, a drop or
 * `end`). No event comes after `closed`.
 */

/** What the broker connection needs, with TLS files already read. */
export interface BrokerClientOptions {
  readonly clientId: string;
  readonly username: string | undefined;
  readonly password: string | undefined;
  readonly protocolVersion: 4 | 5;
  readonly ca: Buffer | undefined;
  readonly cert: Buffer | undefined;
  readonly key: Buffer | undefined;
  /** Bound on TCP + TLS + CONNACK. */
  readonly connectTimeoutMs: number;
  readonly keepaliveS: number;
}

/** A failure as the library reports it: `code` is a Node error code or an MQTT reason code. */
export interface BrokerFailure {
  readonly message: string;
  readonly code?: string | number | undefined;
}

/** What one client tells its owner. */
export interface BrokerEvents {
  connected(): void;
  /**
   * A PUBLISH. `subscriptionIds` (MQTT 5) are the identifiers of the subscriptions it was sent
   * for, when the broker sends them; undefined otherwise.
   */
  message(topic: string, payload: Buffer, subscriptionIds: number | readonly number[] | undefined): void;
  failed(failure: BrokerFailure): void;
  closed(): void;
}

/** A subscription request's outcome: granted or refused by the broker, or not answered. */
export type SubackResult = { readonly granted: boolean } | { readonly error: BrokerFailure };

/** One client connection (one attempt). */
export interface BrokerClient {
  /**
   * Subscribes to one filter at QoS 0, tagged (MQTT 5) with `subscriptionId` so that messages say
   * which subscription they came for; `done` gets the broker's answer.
   */
  subscribe(filter: string, subscriptionId: number | undefined, done: (result: SubackResult) => void): void;
  unsubscribe(filter: string): void;
  /** Closes the connection now (no DISCONNECT wait) and releases every timer; resolves when done. */
  end(): Promise<void>;
}

/** Starts one connection attempt to `url`. Rejects only when no attempt could start at all. */
export type OpenBrokerClient = (url: string, options: BrokerClientOptions, events: BrokerEvents) => Promise<BrokerClient>;
