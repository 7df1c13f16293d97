// A process that owns an outbox, as `spatia run` does: the outbox integration tests start it,
// SIGKILL it and start it again. It prints one JSON line per thing that happened:
//   {"opened":true}  {"ack":i,"event_id":"..","dropped":n}  {"event":{...}}  {"done":true}
//   {"drained":true,"stats":{...}}
// Settings come as JSON in the OUTBOX_CHILD environment variable. It runs over the compiled
// code: $SPATIA_DIST (default: dist/, which `npm test` builds first).
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cfg = JSON.parse(process.env.OUTBOX_CHILD ?? '{}');
const dist = process.env.SPATIA_DIST ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..', 'dist');
const { Outbox } = await import(pathToFileURL(join(dist, 'actions', 'outbox', 'outbox.js')).href);
const print = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const outbox = await Outbox.open({
  connection: { url: cfg.url, clientId: cfg.clientId, protocolVersion: 5 },
  dir: cfg.dir,
  maxBytes: cfg.maxBytes,
  clientId: cfg.clientId,
  nodeId: cfg.clientId,
  statusTopic: cfg.statusTopic,
  onEvent: (event) => print({ event }),
  deps: { backoff: { initialMs: 50, maxMs: 200 }, connectTimeoutMs: 2000 },
});
process.on('SIGTERM', () => {
  void outbox.close().then(() => process.exit(0));
});
print({ opened: true });

// Actions arrive a few at a time, as edges would, each acknowledged once durable.
const pending = [];
for (let i = cfg.from; i < cfg.to; i++) {
  const p = outbox.enqueue(cfg.topic, { i }, 1, false).then((r) => print(r.ok ? { ack: i, event_id: r.eventId, dropped: r.dropped } : { failed: i, error: r.error }));
  pending.push(p);
  if ((i + 1) % (cfg.burst ?? 5) === 0) await sleep(cfg.pauseMs ?? 2);
}
await Promise.all(pending);
print({ done: true });
const poll = setInterval(() => {
  const stats = outbox.stats();
  if (stats.pending === 0) {
    clearInterval(poll);
    print({ drained: true, stats });
  }
}, 20);
