import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createDoctorContext } from '../../../src/doctor/doctor-context.js';
import { mqttChecks, mqttEndpoints } from '../../../src/doctor/mqtt-checks.js';
import { probeTcp } from '../../../src/doctor/tcp-probe.js';
import { PI_IN_GROUPS, fakeMachine } from './fake-machine.js';
import { PROFILES, model } from './models.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** A real listener on a free loopback port (never 1883: a real broker may be there). */
async function listening(): Promise<number> {
  const server = createServer((socket) => socket.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** A loopback port nobody listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

async function check(yaml: string, tree = {}) {
  const env = fakeMachine(tree, { user: PI_IN_GROUPS });
  const m = model(yaml);
  return mqttChecks(await createDoctorContext(env, PROFILES, m.runtime.board), mqttEndpoints(m), 2000);
}

describe('probeTcp', () => {
  it('connects to a listener and is refused by a closed port', async () => {
    expect(await probeTcp('127.0.0.1', await listening(), 2000)).toEqual({ ok: true });
    expect(await probeTcp('127.0.0.1', await closedPort(), 2000)).toEqual({ ok: false, error: 'ECONNREFUSED' });
  });
});

describe('mqtt endpoints', () => {
  it('gathers sensors, entities and outputs.mqtt by host:port with default ports', () => {
    const m = model(`
sensors:
  - {id: a, kind: mqtt, topic: x}
  - {id: b, kind: mqtt, topic: y, url: 'mqtts://broker.lan'}
  - {id: people, kind: entities, topic: tracks}
outputs:
  mqtt: {url: 'mqtt://127.0.0.1'}
`);
    expect(mqttEndpoints(m).map((e) => [e.address, e.users])).toEqual([
      ['mqtt://127.0.0.1:1883', ['sensor a', 'sensor people', 'outputs.mqtt']],
      ['mqtts://broker.lan:8883', ['sensor b']],
    ]);
  });
});

describe('mqtt checks', () => {
  it('a listening broker is ok; a closed port fails with the fix for a local broker', async () => {
    const up = await listening();
    const down = await closedPort();
    const results = await check(`
sensors:
  - {id: a, kind: mqtt, topic: x, url: 'mqtt://127.0.0.1:${up}'}
outputs:
  mqtt: {url: 'mqtt://127.0.0.1:${down}'}
`);
    expect(results).toEqual([
      { status: 'ok', subject: `mqtt://127.0.0.1:${up}`, message: 'broker reachable (TCP) (used by sensor a)' },
      {
        status: 'fail',
        subject: `mqtt://127.0.0.1:${down}`,
        message: 'cannot connect: ECONNREFUSED (used by outputs.mqtt)',
        fix: 'start the broker on this machine (sudo apt install mosquitto && sudo systemctl enable --now mosquitto), or correct the url',
        code: 'SPATIA_MQTT_CONNECT',
      },
    ]);
  });

  it('checks that configured TLS files are readable', async () => {
    const up = await listening();
    const results = await check(`sensors: [{id: a, kind: mqtt, topic: x, url: 'mqtts://127.0.0.1:${up}', ca: ./ca.pem}]`, {
      '/home/pi/ca.pem': { mode: 0o600, uid: 0 },
    });
    expect(results[1]).toMatchObject({ status: 'fail', message: 'ca /home/pi/ca.pem is not readable by pi', code: 'SPATIA_MQTT_AUTH' });
  });
});
