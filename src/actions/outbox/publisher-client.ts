import type { BrokerClientOptions, BrokerFailure } from '../../sensors/mqtt/broker-client.js';

/**
 * The port between the outbox's connection and an MQTT client library, for publishing. The real
 * adapter (mqtt-publisher-client.ts) sits on mqtt.js; unit tests plug in a recording fake that
 * acknowledges, refuses or breaks on command.
 *
 * Contract: `open` starts ONE connection attempt, with the last will registered, and never
 * retries by itself. Events come on the event loop after `open` resolved: `connected` once the
 * broker accepted the session; `failed` with the cause of a refused or broken connection (maybe
 * more than once); `closed` exactly once when the connection is gone; nothing after `closed`.
 * `publish` is called only between `connected` and `closed`; its `done` is called at most once:
 * with undefined when the broker acknowledged (PUBACK for QoS 1, PUBCOMP for QoS 2, the write
 * for QoS 0), with `refused` when the broker answered with an MQTT 5 reason code of failure
 * (sending it again will not help), or with `broken` when the connection failed under it (it
 * will be sent again on the next connection). It may never be called once the client closed.
 */

/** A message the broker publishes for us when the connection dies without a DISCONNECT. */
export interface LastWill {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
}

export interface PublisherClientOptions extends BrokerClientOptions {
  readonly will: LastWill;
}

/** What the broker said in its CONNACK that matters for publishing. */
export interface ConnackInfo {
  /** MQTT 5 Receive Maximum: how many QoS 1/2 publishes may await an ack at once. */
  readonly receiveMaximum: number | undefined;
}

export interface PublisherEvents {
  connected(info: ConnackInfo): void;
  failed(failure: BrokerFailure): void;
  closed(): void;
}

/** How one publish ended: acknowledged (undefined), refused by the broker, or cut by the connection. */
export type PublishResult = undefined | { readonly refused: string } | { readonly broken: string };

export interface PublisherClient {
  publish(topic: string, payload: Buffer, qos: 0 | 1 | 2, retain: boolean, done: (result: PublishResult) => void): void;
  /**
   * Closes the connection. `graceful`: sends DISCONNECT (the broker then discards the will)
   * after what was already written; otherwise drops the socket at once. Resolves when closed.
   */
  end(graceful: boolean): Promise<void>;
}

/** Starts one connection attempt to `url`. Rejects only when no attempt could start at all. */
export type OpenPublisherClient = (url: string, options: PublisherClientOptions, events: PublisherEvents) => Promise<PublisherClient>;
