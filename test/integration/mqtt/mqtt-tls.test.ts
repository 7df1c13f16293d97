import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { formatIssue } from '../../../src/config/issues.js';
import { loadConfigText } from '../../../src/config/load.js';
import { checkBroker } from '../../../src/sensors/mqtt/check-broker.js';
import { createMqttSource } from '../../../src/sensors/mqtt/create-mqtt-source.js';
import { MqttConnections } from '../../../src/sensors/mqtt/mqtt-connections.js';
import { hasMosquitto, Mosquitto } from '../../helpers/mosquitto.js';
import { RecordingSink } from '../../helpers/recording-sink.js';
import { waitFor } from './wait-for.js';

/** mqtts:// with a CA of the test's own, a broker certificate for 127.0.0.1 and a client certificate. */

const hasOpenssl = existsSync('/usr/bin/openssl');
const describeTls = hasMosquitto() && hasOpenssl ? describe : describe.skip;

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
}

/** A CA, a server certificate for IP 127.0.0.1 and a client certificate, as PEM files in `dir`. */
function makeCertificates(dir: string): void {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(dir, 'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=spatia test CA');
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
  for (const [name, cn, ext] of [['server', '127.0.0.1', ['-extfile', 'server.ext']], ['client', 'spatia-client', []]] as const) {
    openssl(dir, 'req', ...ec, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${cn}`);
    openssl(dir, 'x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', ...ext);
  }
}

describeTls('MQTT over TLS (mosquitto TLS listener, client certificates required)', () => {
  let dir: string;
  let broker: Mosquitto;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spatia-tls-'));
    makeCertificates(dir);
    broker = await Mosquitto.start({
      tls: { ca: join(dir, 'ca.pem'), cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), requireClientCert: true },
    });
  });
  afterAll(async () => {
    await broker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One mqtts sensor with the given TLS keys (relative to the certificate directory). */
  async function run(tls: Record<string, string>) {
    const yaml = stringify({ version: 1, sensors: [{ id: 't', kind: 'mqtt', topic: 'tls/t', url: broker.url('mqtts'), ...tls }] });
    const r = loadConfigText(yaml, join(dir, 'deploy.yaml'), { env: {} });
    expect(r.issues.sorted().map(formatIssue)).toEqual([]);
    const sensor = r.model?.sensors[0];
    if (sensor === undefined) throw new Error('no sensor');
    const connections = new MqttConnections({ backoff: { initialMs: 100, maxMs: 400 }, connectTimeoutMs: 3000 });
    const source = createMqttSource(sensor, { connections });
    const sink = new RecordingSink();
    await source.start(sink);
    return {
      sink,
      stop: async () => {
        await source.close();
        await connections.close();
      },
    };
  }

  it('connects with ca, cert and key from the config, and values flow', async () => {
    const { sink, stop } = await run({ ca: 'ca.pem', cert: 'client.pem', key: 'client.key' });
    expect(sink.transports.map((e) => e.status)).toEqual(['connected']);
    const pub = await connectAsync(broker.url('mqtts'), {
      ca: readFileSync(join(dir, 'ca.pem')),
      cert: readFileSync(join(dir, 'client.pem')),
      key: readFileSync(join(dir, 'client.key')),
      reconnectPeriod: 0,
    });
    await pub.publishAsync('tls/t', '42', { qos: 1 });
    await waitFor(() => sink.last === 42, 'a value over TLS');
    await pub.endAsync(true);
    await stop();
  });

  it('reports an untrusted broker certificate (no ca: the system CAs) as SPATIA_MQTT_AUTH', async () => {
    const { sink, stop } = await run({ cert: 'client.pem', key: 'client.key' });
    await waitFor(() => sink.transports.length > 0, 'the TLS failure');
    expect(sink.transports[0]).toMatchObject({ status: 'error', code: 'SPATIA_MQTT_AUTH' });
    expect(sink.transports[0]?.message).toMatch(/TLS handshake failed/);
    await stop();
  });

  it('reports an unreadable TLS file by key and path, and keeps retrying', async () => {
    const { sink, stop } = await run({ ca: 'missing-ca.pem', cert: 'client.pem', key: 'client.key' });
    await waitFor(() => sink.transports.length > 0, 'the file error');
    expect(sink.transports[0]).toMatchObject({ status: 'error', code: 'SPATIA_CONFIG_FILE' });
    expect(sink.transports[0]?.message).toContain(`cannot read the ca file ${join(dir, 'missing-ca.pem')} (ENOENT)`);
    await stop();
  });

  it('checkBroker reads the same TLS keys', async () => {
    const files = { ca: join(dir, 'ca.pem'), cert: join(dir, 'client.pem'), key: join(dir, 'client.key') };
    expect(await checkBroker(broker.url('mqtts'), files)).toMatchObject({ ok: true, transport: broker.url('mqtts') });
  });
});
