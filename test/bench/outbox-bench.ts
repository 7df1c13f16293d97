/**
 * `npm run bench` (issue "actions", Speed): QoS 1 publishes per second through the durable
 * outbox to a local mosquitto (spawned on a free loopback port), durability on: every message
 * fsynced (group commit) before its enqueue resolves, every acknowledged position persisted.
 * For each offered rate, messages are enqueued at that rate for 3 s; the rate is sustained when
 * the broker acknowledged at least 99% of it within the run and the backlog drained within
 * 500 ms after it. Also: a burst of 50,000 messages enqueued at once, timed until every PUBACK.
 * Prints figures (`--json`: also one JSON line of them, last); asserts nothing. BENCH_QUICK=1:
 * two rates only (the target's and one below it), a smaller burst.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Outbox } from '../../src/actions/outbox/outbox.js';
import { hasMosquitto, MOSQUITTO, Mosquitto } from '../helpers/mosquitto.js';
import { emitFigures, type Figure, sized } from './bench-figure.js';

const RUN_MS = 3000;
const RATES = sized([2_500, 5_000, 10_000, 15_000, 20_000, 30_000, 40_000], [2_500, 5_000]);
const BURST = sized(50_000, 10_000);
const TOPIC = 'bench/outbox';

const nowMs = (): number => performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function quantile(sorted: Float64Array, q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

async function openOutbox(broker: Mosquitto): Promise<{ outbox: Outbox; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'spatia-outbox-bench-'));
  const outbox = await Outbox.open({
    connection: { url: broker.url(), clientId: 'bench', username: undefined, password: undefined, protocolVersion: 5, ca: undefined, cert: undefined, key: undefined },
    dir: join(dir, 'outbox'),
    maxBytes: 256 * 1024 * 1024,
    clientId: 'bench',
    nodeId: 'bench',
    statusTopic: 'bench/status',
    onEvent: () => undefined,
  });
  while (!outbox.stats().connected) await sleep(5);
  return { outbox, dir };
}

/** Whether `rate` was sustained, and enqueue -> durable p99 in ms. */
async function paced(broker: Mosquitto, rate: number): Promise<{ ok: boolean; durableP99Ms: number }> {
  const { outbox, dir } = await openOutbox(broker);
  const durableMs = new Float64Array(Math.ceil((rate * RUN_MS) / 1000) + 1);
  let sent = 0;
  let durable = 0;
  let failed = 0;
  let maxBacklog = 0;
  const t0 = nowMs();
  while (nowMs() - t0 < RUN_MS) {
    const due = Math.min(durableMs.length, Math.floor(((nowMs() - t0) * rate) / 1000));
    for (; sent < due; sent++) {
      const at = nowMs();
      const k = sent;
      void outbox.enqueue(TOPIC, { temp: 22.5, zone: 'lobby', k }, 1, false).then((r) => {
        if (r.ok) durableMs[durable++] = nowMs() - at;
        else failed++;
      });
    }
    maxBacklog = Math.max(maxBacklog, sent - outbox.stats().delivered);
    await sleep(2);
  }
  const inRun = outbox.stats().delivered;
  const tEnd = nowMs();
  while (outbox.stats().delivered < sent && nowMs() - tEnd < 10_000) await sleep(1);
  const drainMs = nowMs() - tEnd;
  const sorted = durableMs.subarray(0, durable).sort();
  const ok = failed === 0 && inRun >= sent * 0.99 && drainMs <= 500;
  console.log(
    `  ${String(rate).padStart(6)} msg/s offered: ${ok ? 'sustained    ' : 'NOT sustained'}  ${((inRun * 1000) / RUN_MS).toFixed(0).padStart(6)} acked/s in the run, ` +
      `backlog max ${maxBacklog}, drained ${drainMs.toFixed(0)} ms after; enqueue -> durable p50 ${quantile(sorted, 0.5).toFixed(1)} ms, ` +
      `p99 ${quantile(sorted, 0.99).toFixed(1)} ms, max ${quantile(sorted, 1).toFixed(1)} ms${failed > 0 ? `; ${failed} FAILED` : ''}`,
  );
  await outbox.close();
  rmSync(dir, { recursive: true, force: true });
  return { ok, durableP99Ms: quantile(sorted, 0.99) };
}

/** End-to-end QoS 1 publishes/s of a burst. */
async function burst(broker: Mosquitto): Promise<number> {
  const { outbox, dir } = await openOutbox(broker);
  const t0 = nowMs();
  const results = [];
  for (let k = 0; k < BURST; k++) results.push(outbox.enqueue(TOPIC, { temp: 22.5, zone: 'lobby', k }, 1, false));
  await Promise.all(results);
  const durableAt = nowMs() - t0;
  while (outbox.stats().delivered < BURST) await sleep(1);
  const ackedAt = nowMs() - t0;
  console.log(
    `  burst of ${BURST.toLocaleString('en-US')}: all durable after ${durableAt.toFixed(0)} ms, all acknowledged after ${ackedAt.toFixed(0)} ms ` +
      `= ${((BURST * 1000) / ackedAt).toFixed(0)} QoS 1 publishes/s end to end`,
  );
  await outbox.close();
  rmSync(dir, { recursive: true, force: true });
  return (BURST * 1000) / ackedAt;
}

const GROUP = `MQTT outbox (QoS 1 to a local mosquitto, fsync before acknowledging, ${RUN_MS / 1000} s per rate)`;
const SUSTAINED = { id: 'outbox.sustained', group: GROUP, name: 'highest rate sustained', unit: 'publishes/s', target: { op: '>=', value: 5_000 } } as const;
const figures: Figure[] = [];
if (hasMosquitto()) {
  const broker = await Mosquitto.start();
  try {
    console.log(`MQTT outbox: QoS 1 to a local mosquitto, fsync before acknowledging (group commit), ${RUN_MS / 1000} s per rate`);
    let best = 0;
    let bestP99 = NaN;
    for (const rate of RATES) {
      const r = await paced(broker, rate);
      if (!r.ok) break;
      best = rate;
      bestP99 = r.durableP99Ms;
    }
    console.log(`  highest rate sustained: ${best.toLocaleString('en-US')} publishes/s`);
    const burstRate = await burst(broker);
    figures.push(
      { ...SUSTAINED, value: best, ...(best === RATES[RATES.length - 1] ? { note: 'the highest rate tried: at least this' } : {}) },
      { id: 'outbox.durable_p99', group: GROUP, name: 'enqueue -> durable p99 at that rate', value: bestP99, unit: 'ms' },
      { id: 'outbox.burst', group: GROUP, name: `burst of ${BURST.toLocaleString('en-US')}, end to end`, value: burstRate, unit: 'publishes/s' },
    );
  } finally {
    await broker.dispose();
  }
} else {
  const why = `no broker at ${MOSQUITTO}; apt install mosquitto`;
  console.log(`MQTT outbox: skipped (${why})`);
  figures.push({ ...SUSTAINED, value: null, skipped: why });
}
emitFigures(figures);
