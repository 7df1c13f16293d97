import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { MqttConnectionModel } from '../../config/model.js';
import type { ErrorCode } from '../../core/errors.js';
import { SpatiaError } from '../../core/errors.js';
import type { BrokerClient, BrokerFailure, OpenBrokerClient } from './broker-client.js';
import { classifyFailure } from './classify-failure.js';
import { brokerClientOptions, type ReadFile, transportLabel } from './connection-settings.js';
import { openMqttClient } from './mqtt-client.js';

/** What `spatia doctor` learns about a broker. */
export interface BrokerCheck {
  readonly ok: boolean;
  /** The broker as logged: scheme, host and port, no credentials. */
  readonly transport: string;
  /** On failure: SPATIA_MQTT_CONNECT, SPATIA_MQTT_AUTH or SPATIA_CONFIG_FILE. */
  readonly code?: ErrorCode;
  /** One line for the user: what worked, or what failed and what to check. */
  readonly message: string;
  /** From the start of the attempt to CONNACK, when it succeeded. */
  readonly latencyMs?: number;
}

/** The connection settings besides the url (outputs.mqtt, or a sensor's own keys). */
export interface CheckBrokerOptions extends Partial<Omit<MqttConnectionModel, 'url'>> {
  /** Bound on TCP + TLS + CONNACK. Default 5 s. */
  readonly timeoutMs?: number;
  readonly open?: OpenBrokerClient;
  readonly readFile?: ReadFile;
}

/**
 * Connects once to the broker at `url` (with the credentials and TLS files of `opts`), waits for
 * the CONNACK within the timeout, and disconnects. Never rejects; never retries. Uses a client id
 * of its own (`spatia-doctor-<hex>`), so checking does not take over the running service's session.
 */
export async function checkBroker(url: string, opts: CheckBrokerOptions = {}): Promise<BrokerCheck> {
  const transport = transportLabel(url);
  const timeoutMs = opts.timeoutMs ?? 5000;
  const settings: MqttConnectionModel = {
    url,
    clientId: undefined,
    username: opts.username,
    password: opts.password,
    protocolVersion: opts.protocolVersion ?? 5,
    ca: opts.ca,
    cert: opts.cert,
    key: opts.key,
  };
  const clientId = `spatia-doctor-${randomBytes(4).toString('hex')}`;
  const started = performance.now();
  let opening: Promise<BrokerClient | undefined> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const options = await brokerClientOptions(settings, clientId, { connectTimeoutMs: timeoutMs, keepaliveS: 30 }, opts.readFile ?? ((p) => readFile(p)));
    const outcome = await new Promise<BrokerFailure | 'connected'>((resolve) => {
      let failure: BrokerFailure | undefined;
      timer = setTimeout(() => resolve({ message: `no CONNACK within ${timeoutMs} ms` }), timeoutMs);
      opening = (opts.open ?? openMqttClient)(url, options, {
        connected: () => resolve('connected'),
        message: () => undefined,
        failed: (f) => (failure ??= f),
        closed: () => resolve(failure ?? { message: 'the broker closed the connection' }),
      }).catch((err: unknown) => {
        resolve({ message: (err as Error).message });
        return undefined;
      });
    });
    if (outcome === 'connected') {
      const latencyMs = performance.now() - started;
      return { ok: true, transport, latencyMs, message: `${transport}: connected in ${latencyMs.toFixed(0)} ms` };
    }
    const f = classifyFailure(outcome);
    return { ok: false, transport, code: f.code, message: `${transport}: ${f.reason}` };
  } catch (err) {
    const code = err instanceof SpatiaError ? err.code : 'SPATIA_MQTT_CONNECT';
    return { ok: false, transport, code, message: `${transport}: ${(err as Error).message}` };
  } finally {
    clearTimeout(timer);
    const client = await opening;
    await client?.end();
  }
}
