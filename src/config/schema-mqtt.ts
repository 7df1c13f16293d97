import { resolve } from 'node:path';
import { parseJsonPath } from '../sensors/mqtt/json-path.js';
import { topicFilterProblem } from '../sensors/mqtt/topic-filter.js';
import { oneOf, str, text } from './readers.js';
import { opt, type Reader, type Shape } from './schema.js';
import { type At, keyAt, report, valueAt } from './yaml-source.js';

/** URL schemes of an MQTT broker. */
export const MQTT_SCHEMES = ['mqtt', 'mqtts', 'ws', 'wss'] as const;

/** An MQTT topic filter: `+` and `#` as whole levels, `#` last. */
export const topicFilter: Reader<string> = (at) => {
  const v = str({ nonEmpty: true })(at);
  if (v === undefined) return undefined;
  const problem = topicFilterProblem(v);
  if (problem === undefined) return v;
  report(at, 'SPATIA_CONFIG_VALUE', `invalid topic filter: ${problem}`);
  return undefined;
};

/** An MQTT topic name to publish to: no wildcards (`+`, `#`), no NUL. */
export const topicName: Reader<string> = (at) => {
  const v = text(at);
  if (v === undefined) return undefined;
  if (v === '') report(at, 'SPATIA_CONFIG_VALUE', 'the topic must not be empty');
  else if (/[+#]/.test(v) || v.includes('\u0000')) report(at, 'SPATIA_CONFIG_VALUE', `cannot publish to "${v}": + and # are wildcards, for subscriptions only`);
  else return v;
  return undefined;
};

/** A `json_path` (`data.temp`, `data.0.value`, `$.data[0].value`). */
export const jsonPath: Reader<string> = (at) => {
  const v = str({ nonEmpty: true })(at);
  if (v === undefined) return undefined;
  const p = parseJsonPath(v);
  if ('steps' in p) return v;
  report(at, 'SPATIA_CONFIG_VALUE', `invalid json_path: ${p.error}`);
  return undefined;
};

const SECRET_HINT = 'Write `!secret NAME` or `${ENV_VAR}` rather than the value itself.';

/** The connection keys of `outputs.mqtt` besides url and client_id. */
export const OUTPUTS_CONNECTION_SHAPE = {
  username: opt(text, `Broker user name. ${SECRET_HINT}`),
  password: opt(text, `Broker password. ${SECRET_HINT}`),
  protocol_version: opt(oneOf([5, 4] as const), 'MQTT protocol: 5 (MQTT 5), or 4 (MQTT 3.1.1). Default 5.'),
  ca: opt(
    str({ nonEmpty: true }),
    "PEM file of the CA that signed the broker's certificate, for mqtts:// and wss://; relative to the config file. Default: the system's CAs.",
  ),
  cert: opt(str({ nonEmpty: true }), 'PEM client certificate file, for TLS client authentication (with key).'),
  key: opt(str({ nonEmpty: true }), 'PEM private key file of cert.'),
} satisfies Shape;

const AS_OUTPUTS = "As in outputs.mqtt, for the sensor's own connection.";

/**
 * The connection keys an mqtt sensor (or entities from mqtt) may write for a connection of its
 * own. They are stored in `hardware` as written (snake_case; file paths made absolute).
 */
export const SENSOR_CONNECTION_SHAPE = {
  client_id: opt(
    text,
    'Writing any of client_id, username, password, protocol_version, ca, cert, key gives the sensor a broker connection of its own; ' +
      "without them, a sensor on outputs.mqtt.url uses outputs.mqtt's settings. client_id: the MQTT client id of that connection. " +
      'Default: a random spatia-<hex>.',
  ),
  username: opt(text, `${AS_OUTPUTS} ${SECRET_HINT}`),
  password: opt(text, `${AS_OUTPUTS} ${SECRET_HINT}`),
  protocol_version: opt(oneOf([5, 4] as const), `${AS_OUTPUTS} Default 5.`),
  ca: opt(str({ nonEmpty: true }), AS_OUTPUTS),
  cert: opt(str({ nonEmpty: true }), AS_OUTPUTS),
  key: opt(str({ nonEmpty: true }), AS_OUTPUTS),
} satisfies Shape;

/** Connection keys as read (every one optional). */
interface ConnectionValues {
  readonly client_id?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  readonly protocol_version?: 4 | 5 | undefined;
  readonly ca?: string | undefined;
  readonly cert?: string | undefined;
  readonly key?: string | undefined;
}

/** The TLS file keys, which must resolve to absolute paths. */
const FILE_KEYS = ['ca', 'cert', 'key'] as const;

/**
 * Checks connection keys that only make sense together and makes file paths absolute. Returns
 * the checked values, or undefined after reporting every problem.
 */
export function checkMqttConnection<V extends ConnectionValues>(at: At, url: string, v: V): V | undefined {
  let ok = true;
  const scheme = url.slice(0, url.indexOf(':'));
  const tls = scheme === 'mqtts' || scheme === 'wss';
  for (const k of FILE_KEYS) {
    if (v[k] !== undefined && !tls) {
      report(keyAt(at, k) ?? at, 'SPATIA_CONFIG_VALUE', `${k} applies to TLS connections (mqtts:// or wss://), not ${scheme}://`);
      ok = false;
    }
  }
  if ((v.cert === undefined) !== (v.key === undefined)) {
    const [has, lacks] = v.cert === undefined ? ['key', 'cert'] : ['cert', 'key'];
    report(keyAt(at, has) ?? at, 'SPATIA_CONFIG_MISSING', `${has} needs ${lacks}: TLS client authentication takes a certificate and its private key`);
    ok = false;
  }
  if (v.protocol_version === 4 && v.password !== undefined && v.username === undefined) {
    report(valueAt(at, 'password') ?? at, 'SPATIA_CONFIG_MISSING', 'MQTT 3.1.1 (protocol_version: 4) needs username with password');
    ok = false;
  }
  if (!ok) return undefined;
  const out: V = { ...v };
  for (const k of FILE_KEYS) {
    const path = v[k];
    if (path !== undefined) (out as Record<string, unknown>)[k] = resolve(at.src.baseDir, path);
  }
  return out;
}
