/**
 * `npm run bench`: MQTT ingest (issue "hardware", Speed): messages from a local mosquitto (spawned
 * on a free loopback port) into 100 mqtt sensors through the real sources (MqttConnections, mqtt.js,
 * payload parsing), while a 10 Hz tick loop samples the sensors' latest values. A separate process
 * publishes at increasing rates; a rate is sustained when, over a 3 s run:
 *   - every message arrived (nothing lost, nothing still queued one tick after the run), and
 *   - p99 of message lag (arrival - scheduled send time) is under one tick (100 ms), and
 *   - p99 of tick lateness is under one tick.
 * Prints one line per rate and the highest rate sustained, for plain numbers and for JSON payloads
 * read with json_path. Asserts nothing. `--json`: also one JSON line of figures, last;
 * BENCH_QUICK=1: two rates only (the target's and one below it).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { loadConfigText } from '../../src/config/load.js';
import type { PushSink, PushSource, SensorFault, TransportEvent } from '../../src/sensors/live/source.js';
import { createMqttSource } from '../../src/sensors/mqtt/create-mqtt-source.js';
import { MqttConnections } from '../../src/sensors/mqtt/mqtt-connections.js';
import { hasMosquitto, MOSQUITTO, Mosquitto } from '../helpers/mosquitto.js';
import { emitFigures, type Figure, sized } from './bench-figure.js';

const SENSORS = 100;
const TICK_MS = 100;
const RUN_MS = 3000;
const RATES = sized([5_000, 10_000, 20_000, 30_000, 40_000, 50_000, 60_000, 80_000, 120_000, 160_000, 240_000], [5_000, 20_000]);

const epochMs = (): number => performance.timeOrigin + performance.now();

/** Lags in whole milliseconds, counted per bucket: no allocation per message. */
class Histogram {
  private readonly buckets = new Uint32Array(60_001);
  count = 0;
  max = 0;

  add(ms: number): void {
    const b = Math.min(60_000, Math.max(0, Math.round(ms)));
    this.buckets[b] = (this.buckets[b] ?? 0) + 1;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  quantile(q: number): number {
    const target = Math.ceil(this.count * q);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i] ?? 0;
      if (seen >= target) return i;
    }
    return this.max;
  }
}

/** The ingest side of one run: counts messages, measures lag against the publisher's schedule. */
class Ingest {
  received = 0;
  faults = 0;
  t0 = 0;
  rate = 1;
  lag = new Histogram();
  readonly latest = new Float64Array(SENSORS);

  reset(rate: number): void {
    this.received = 0;
    this.faults = 0;
    this.rate = rate;
    this.lag = new Histogram();
  }

  sink(i: number): PushSink {
    return {
      value: (v: unknown): void => {
        const k = typeof v === 'number' ? v : ((v as { v?: number }).v ?? 0);
        this.latest[i] = k;
        this.received++;
        this.lag.add(epochMs() - (this.t0 + (k * 1000) / this.rate));
      },
      fault: (_f: SensorFault): void => {
        this.faults++;
      },
      lost: (_f: SensorFault): void => undefined,
      transport: (_e: TransportEvent): void => undefined,
    };
  }
}

/** A 10 Hz tick loop that samples every sensor's latest value, recording its lateness. */
function startTicks(ingest: Ingest): { lateness: () => Histogram; stop: () => void } {
  let lateness = new Histogram();
  const start = epochMs();
  let k = 1;
  let timer: NodeJS.Timeout | undefined;
  let checksum = 0;
  const tick = (): void => {
    const now = epochMs();
    lateness.add(now - (start + k * TICK_MS));
    for (let i = 0; i < SENSORS; i++) checksum += ingest.latest[i] ?? 0;
    k++;
    // Like the runtime's loop: the next tick is due on the schedule, not a period after this one.
    timer = setTimeout(tick, Math.max(0, start + k * TICK_MS - epochMs()));
  };
  timer = setTimeout(tick, TICK_MS);
  return {
    lateness: () => {
      const l = lateness;
      lateness = new Histogram();
      return l;
    },
    stop: () => {
      clearTimeout(timer);
      if (checksum < 0) console.log(checksum);
    },
  };
}

function message<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: Record<string, unknown>): void => {
      if (!(key in m)) return;
      child.off('message', on);
      resolve(m[key] as T);
    };
    child.on('message', on);
  });
}

/** The highest rate sustained, msg/s. */
async function scenario(broker: Mosquitto, json: boolean): Promise<number> {
  const sensors = Array.from({ length: SENSORS }, (_, i) => ({
    id: `s${i}`,
    kind: 'mqtt',
    topic: `bench/${json ? 'json' : 'plain'}/s${i}`,
    ...(json ? { json_path: 'v' } : {}),
  }));
  const { model, issues } = loadConfigText(stringify({ version: 1, sensors, outputs: { mqtt: { url: broker.url() } } }), '<bench>');
  if (model === undefined) throw new Error(issues.items.map((i) => i.message).join('\n'));
  const ingest = new Ingest();
  const connections = new MqttConnections({ outputs: model.outputs.mqtt });
  const sources: PushSource[] = model.sensors.map((s) => createMqttSource(s, { connections }));
  await Promise.all(sources.map((s, i) => s.start(ingest.sink(i))));

  const child = fork(fileURLToPath(new URL('./mqtt-publisher.js', import.meta.url)), [], { stdio: 'inherit' });
  child.send({ port: broker.port });
  await message(child, 'ready');
  const ticks = startTicks(ingest);
  let best = 0;
  console.log(`  ${json ? 'JSON payloads, json_path v' : 'plain number payloads'} (${SENSORS} sensors, one connection, QoS 0):`);
  for (const rate of RATES) {
    ingest.reset(rate);
    const started = message<number>(child, 'started');
    const done = message<{ sent: number; maxBehindMs: number }>(child, 'done');
    child.send({ run: { rate, durationMs: RUN_MS, topics: sensors.map((s) => s.topic), json } });
    ingest.t0 = await started;
    ticks.lateness();
    const elu0 = performance.eventLoopUtilization();
    const { sent, maxBehindMs } = await done;
    const busy = performance.eventLoopUtilization(elu0).utilization;
    // Everything sent must be in one tick later; what comes later still is backlog, what never comes is loss.
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
    const inAfterTick = ingest.received;
    const waitUntil = epochMs() + 2000;
    while (ingest.received < sent && epochMs() < waitUntil) await new Promise((resolve) => setTimeout(resolve, 20));
    const late = ticks.lateness();
    const ok = inAfterTick === sent && ingest.lag.quantile(0.99) < TICK_MS && late.quantile(0.99) < TICK_MS && ingest.faults === 0;
    const publisherBound = maxBehindMs > TICK_MS;
    console.log(
      `    ${String(rate).padStart(7)} msg/s: ${ok ? 'sustained' : 'NOT sustained'}   lag p50 ${ingest.lag.quantile(0.5)} ms, ` +
        `p99 ${ingest.lag.quantile(0.99)} ms, max ${ingest.lag.max.toFixed(0)} ms   tick lateness p99 ${late.quantile(0.99)} ms, ` +
        `max ${late.max.toFixed(0)} ms   ${inAfterTick}/${sent} in one tick after the run, ${sent - ingest.received} lost   ` +
        `event loop ${(busy * 100).toFixed(0)}% busy` +
        (publisherBound ? `   (publisher fell ${maxBehindMs.toFixed(0)} ms behind)` : ''),
    );
    if (!ok) break;
    best = rate;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  console.log(`    highest rate sustained: ${best.toLocaleString('en-US')} msg/s`);
  ticks.stop();
  child.send({ exit: true });
  await Promise.all(sources.map((s) => s.close()));
  await connections.close();
  return best;
}

function figure(id: string, name: string, best: number | null, skipped?: string): Figure {
  const top = RATES[RATES.length - 1] ?? 0;
  return {
    id,
    group: `MQTT ingest (local mosquitto -> ${SENSORS} mqtt sensors, 10 Hz tick, ${RUN_MS / 1000} s per rate)`,
    name,
    value: best,
    unit: 'msg/s',
    target: { op: '>=', value: 20_000 },
    ...(best === top ? { note: `the highest rate tried: at least this` } : {}),
    ...(skipped === undefined ? {} : { skipped }),
  };
}

const PLAIN = ['mqtt.plain', 'plain number payloads, highest rate sustained'] as const;
const JSON_PATH = ['mqtt.json', 'JSON payloads (json_path), highest rate sustained'] as const;
if (hasMosquitto()) {
  const broker = await Mosquitto.start();
  let figures: Figure[];
  try {
    console.log(`MQTT ingest: local mosquitto -> mqtt.js -> ${SENSORS} sensors, 10 Hz tick, ${RUN_MS / 1000} s per rate`);
    const plain = await scenario(broker, false);
    const json = await scenario(broker, true);
    figures = [figure(...PLAIN, plain), figure(...JSON_PATH, json)];
  } finally {
    await broker.dispose();
  }
  emitFigures(figures);
} else {
  const why = `no broker at ${MOSQUITTO}; apt install mosquitto`;
  console.log(`MQTT ingest: skipped (${why})`);
  emitFigures([figure(...PLAIN, null, why), figure(...JSON_PATH, null, why)]);
}
