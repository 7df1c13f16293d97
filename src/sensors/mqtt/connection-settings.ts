import { randomBytes } from 'node:crypto';
import type { MqttConnectionModel, SensorModel } from '../../config/model.js';
import { SENSOR_CONNECTION_SHAPE } from '../../config/schema-mqtt.js';
import { SpatiaError } from '../../core/errors.js';
import type { BrokerClientOptions } from './broker-client.js';

/**
 * Which broker connection a sensor uses. A sensor whose `url` is `outputs.mqtt.url` (written or
 * by default) and that writes none of the connection keys itself uses outputs.mqtt's settings;
 * any other sensor uses its own keys. Sensors with equal settings share one connection.
 */

/** The connection keys a sensor may write (snake_case, as in `SensorModel.hardware`). */
const SENSOR_CONNECTION_KEYS = Object.keys(SENSOR_CONNECTION_SHAPE);

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** The connection settings of an mqtt (or entities from mqtt) sensor. */
export function connectionOf(sensor: SensorModel, outputs: MqttConnectionModel | undefined): MqttConnectionModel {
  const hw = sensor.hardware;
  const url = optionalString(hw['url']) ?? outputs?.url;
  if (url === undefined) throw new SpatiaError('SPATIA_CONFIG_MISSING', `sensor ${sensor.id}: no broker url (and no outputs.mqtt.url)`);
  const ownKeys = SENSOR_CONNECTION_KEYS.some((k) => hw[k] !== undefined);
  if (outputs !== undefined && url === outputs.url && !ownKeys) return outputs;
  return {
    url,
    clientId: optionalString(hw['client_id']),
    username: optionalString(hw['username']),
    password: optionalString(hw['password']),
    protocolVersion: hw['protocol_version'] === 4 ? 4 : 5,
    ca: optionalString(hw['ca']),
    cert: optionalString(hw['cert']),
    key: optionalString(hw['key']),
  };
}

/**
 * The client id of the sensors' connection. outputs.mqtt's `client_id` belongs to the outbox's
 * publishing connection; a second connection under the same id would make the broker drop the
 * first one (MQTT allows one session per id), so sensors connect as `<client_id>-sensors`.
 * Without a client_id, a random `spatia-<hex>` is used.
 */
export function sensorClientId(conn: MqttConnectionModel, outputs: MqttConnectionModel | undefined): string {
  if (conn.clientId === undefined) return `spatia-${randomBytes(4).toString('hex')}`;
  return conn === outputs ? `${conn.clientId}-sensors` : conn.clientId;
}

/** A key that is equal for settings that can share one connection. Holds secrets: never log it. */
export function connectionKey(conn: MqttConnectionModel): string {
  return JSON.stringify([conn.url, conn.clientId, conn.username, conn.password, conn.protocolVersion, conn.ca, conn.cert, conn.key]);
}

/**
 * How a connection is named in transport events and messages: scheme, host and port, without
 * the user name, password, path or query a URL may carry (`mqtt://127.0.0.1:1883`).
 */
export function transportLabel(url: string): string {
  try {
    const u = new URL(url);
    const port = u.port !== '' ? u.port : DEFAULT_PORTS[u.protocol] ?? '';
    return `${u.protocol}//${u.hostname}${port === '' ? '' : `:${port}`}`;
  } catch {
    return 'mqtt://(invalid url)';
  }
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { 'mqtt:': '1883', 'mqtts:': '8883', 'ws:': '80', 'wss:': '443' };

/** Reads a file; injectable so tests can refuse reads. */
export type ReadFile = (path: string) => Promise<Buffer>;

/** Timing of a connection attempt. */
export interface AttemptTiming {
  readonly connectTimeoutMs: number;
  readonly keepaliveS: number;
}

/**
 * The options of one connection attempt, with the TLS files read now (so a renewed certificate
 * is picked up at the next reconnect). An unreadable file rejects with a SpatiaError
 * (SPATIA_CONFIG_FILE) naming the key and the path.
 */
export async function brokerClientOptions(
  conn: MqttConnectionModel,
  clientId: string,
  timing: AttemptTiming,
  readFile: ReadFile,
): Promise<BrokerClientOptions> {
  const read = async (key: 'ca' | 'cert' | 'key'): Promise<Buffer | undefined> => {
    const path = conn[key];
    if (path === undefined) return undefined;
    try {
      return await readFile(path);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      throw new SpatiaError('SPATIA_CONFIG_FILE', `cannot read the ${key} file ${path} (${why}); check the path and that the service user may read it`);
    }
  };
  return {
    clientId,
    username: conn.username,
    password: conn.password,
    protocolVersion: conn.protocolVersion,
    ca: await read('ca'),
    cert: await read('cert'),
    key: await read('key'),
    connectTimeoutMs: timing.connectTimeoutMs,
    keepaliveS: timing.keepaliveS,
  };
}
