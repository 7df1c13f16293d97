import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeSync, closeSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasMosquitto, Mosquitto } from '../../helpers/mosquitto.js';
import { SocatPty, socatMissing } from '../../helpers/socat-pty.js';

/**
 * `spatia run` as users run it: a child process (bin/spatia.js over dist/, built by `npm test`)
 * reading a real serial pty (socat) and a real broker (mosquitto on a free loopback port), for a
 * few seconds, then stopped with SIGTERM.
 */
const skip = socatMissing() ?? (hasMosquitto() ? undefined : 'mosquitto is not installed');

interface Rec {
  t: number;
  tick: number;
  type: string;
  [k: string]: unknown;
}

class Child {
  out = '';
  err = '';
  readonly exited: Promise<number | null>;
  constructor(readonly proc: ChildProcess) {
    proc.stdout?.setEncoding('utf8').on('data', (d: string) => (this.out += d));
    proc.stderr?.setEncoding('utf8').on('data', (d: string) => (this.err += d));
    this.exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
  }
  records(): Rec[] {
    return this.out
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Rec);
  }
}

async function until(what: string, cond: () => boolean, poke?: () => unknown, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await poke?.();
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(skip !== undefined)('spatia run (live, child process)', () => {
  let dir = '';
  let pty: SocatPty;
  let broker: Mosquitto;
  let pub: MqttClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'spatia-live-'));
    pty = await SocatPty.start();
    broker = await Mosquitto.start();
    pub = await connectAsync(broker.url(), { reconnectPeriod: 200 });
  });

  afterAll(async () => {
    await pub?.endAsync(true);
    await broker?.dispose();
    await pty?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads serial, MQTT and entity sensors on the real clock, survives a broker restart, stops cleanly on SIGTERM', async () => {
    const config = join(dir, 'live.yaml');
    writeFileSync(
      config,
      `version: 1
runtime: {tick_rate: 50 Hz, state_dir: ./state}
zones:
  - {id: lobby, rect: [[0, 0], [10, 8]]}
sensors:
  - {id: co2, kind: serial, path: "${pty.a}", baud: 9600, parser: regex, pattern: "CO2=(?<value>[0-9]+)", unit: ppm}
  - {id: kitchen, kind: mqtt, url: "${broker.url()}", topic: "site/+/temp", json_path: value, unit: degC}
  - {id: tags, kind: entities, url: "${broker.url()}", topic: "site/tags/+", stale_after: 1s}
  - {id: beat, kind: mock, signal: {square: {low: 0, high: 1, period: 1s, duty: 0.5}}}
conditions:
  - {id: stuffy, when: co2 > 1000 ppm, actions: [{log: "co2 {co2}"}]}
  - {id: kitchen_hot, when: kitchen > 30 degC}
  - {id: kitchen_gone, when: stale(kitchen)}
  - {id: beating, when: beat > 0.5}
  - {id: someone_in_lobby, when: count_in(lobby) >= 1}
  - {id: arrival, when: entered(lobby)}
`,
    );
    const child = new Child(spawn(process.execPath, ['bin/spatia.js', 'run', config, '--status-every', '1s'], { stdio: ['ignore', 'pipe', 'pipe'] }));
    try {
      await until('the run to start', () => child.records().some((r) => r.type === 'edge' && r['id'] === 'beating'));
      const edges = (id: string): string[] => child.records().filter((r) => r.type === 'edge' && r['id'] === id).map((r) => String(r['edge']));

      // Serial: a line on the device end of the pty pair.
      const dev = openSync(pty.b, 'w');
      try {
        await until('stuffy to rise', () => edges('stuffy').includes('rising'), () => writeSync(dev, 'CO2=1450\r\n'));
        await until('stuffy to fall', () => edges('stuffy').includes('falling'), () => writeSync(dev, 'CO2=600\n'));
      } finally {
        closeSync(dev);
      }
      const action = child.records().find((r) => r.type === 'action' && r['condition'] === 'stuffy');
      expect(action).toMatchObject({ action: 'log', status: 'ok', message: 'co2 1450' });

      // MQTT: a wildcard subscription with a JSON path.
      await until('kitchen_hot to rise', () => edges('kitchen_hot').includes('rising'), () => pub.publishAsync('site/kitchen/temp', '{"value": 31.5}'));

      // Entities: records from MQTT, tracked against the zones; one stops reporting and expires.
      await until('bob to enter the lobby', () => edges('arrival').includes('rising'), () => pub.publishAsync('site/tags/bob', '{"id": "bob", "x": 3, "y": 4}'));
      expect(child.records().find((r) => r.type === 'edge' && r['id'] === 'arrival')).toMatchObject({ entities: ['bob'] });
      expect(edges('someone_in_lobby')).toEqual(['rising']);
      await until('bob to expire (stale_after 1s)', () => edges('someone_in_lobby').includes('falling'));

      // The broker goes away: the sensor goes stale, and the loop keeps ticking.
      await broker.stop();
      await until('the disconnection', () => child.records().some((r) => r.type === 'transport' && r['status'] === 'disconnected'));
      await until('kitchen_gone to rise', () => edges('kitchen_gone').includes('rising'));
      const ticksWhileDown = child.records().at(-1)?.tick ?? 0;
      await until('ticks to go on while the broker is down', () => (child.records().filter((r) => r.id === 'beating').at(-1)?.tick ?? 0) > ticksWhileDown + 50);

      // It comes back: reconnect, new values flow, the sensor recovers.
      await broker.start();
      await until(
        'a value after the restart',
        () => child.records().some((r) => r.type === 'sensor' && r['id'] === 'kitchen' && r['status'] === 'recovered'),
        () => pub.connected && pub.publishAsync('site/kitchen/temp', '{"value": 20}'),
        30_000,
      );
      await until('kitchen_hot to fall', () => edges('kitchen_hot').includes('falling'));
    } finally {
      child.proc.kill('SIGTERM');
    }
    const code = await child.exited;
    expect(code).toBe(0);
    expect(child.err).toMatch(/SIGTERM: stopping/);

    const recs = child.records();
    // Ticks keep their schedule: t = tick / 50 Hz on every record, ticks in order.
    for (const r of recs) expect(r.t).toBeCloseTo(r.tick / 50, 6);
    for (let i = 1; i < recs.length; i++) expect((recs[i] as Rec).tick).toBeGreaterThanOrEqual((recs[i - 1] as Rec).tick);
    // The loop ran at its rate: never faster than scheduled (ticks never start early), and not
    // stalled (a loose bound: CI machines are busy).
    const summary = /stopped: (\d+) ticks in ([\d.]+) s \(([\d.]+) Hz\)/.exec(child.err);
    expect(summary).not.toBeNull();
    const rate = Number(summary?.[3]);
    expect(rate).toBeLessThanOrEqual(50 * 1.02);
    expect(rate).toBeGreaterThan(25);
  });
});
