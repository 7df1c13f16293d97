/**
 * A process that journals input at full speed and checkpoints periodically, as `spatia run` will:
 * the crash test starts it, SIGKILLs it at random moments and starts it again. It prints one JSON
 * line per thing that happened, each only once it is durable:
 *   {"ready":tick}  {"durable":tick}  {"checkpointStart":tick}  {"checkpoint":tick}
 * Usage: node crash-child.js STATE_DIR
 */
import { join } from 'node:path';
import { Frame } from '../../../src/core/frame.js';
import { CheckpointStore } from '../../../src/persistence/checkpoint/checkpoint-store.js';
import { JournalWriter } from '../../../src/persistence/journal/journal-writer.js';
import { CRASH_SENSORS, crashFrame, crashParts } from './crash-workload.js';

const stateDir = process.argv[2] ?? '.';
const print = (o: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(o)}\n`);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const CHECKPOINT_EVERY = 1500;

const writer = await JournalWriter.open({
  dir: join(stateDir, 'journal'),
  configHash: 'crash',
  periodUs: 100_000,
  sensors: CRASH_SENSORS,
  fsyncIntervalMs: 20,
  maxSegmentBytes: 48 * 1024,
  retention: { durationUs: 0 },
});
const store = new CheckpointStore(join(stateDir, 'checkpoints'));
const frame = new Frame(CRASH_SENSORS.length);
let tick = writer.lastAppendedTick + 1;
let durable = -1;
let checkpointing = false;
print({ ready: tick });

for (;;) {
  for (let n = 0; n < 25; n++, tick++) {
    writer.append(tick, crashFrame(tick, frame));
    if (tick % CHECKPOINT_EVERY === 0 && !checkpointing) {
      checkpointing = true;
      const at = tick;
      print({ checkpointStart: at });
      void store.write({ tick: at, configHash: 'crash', formatVersion: 1, periodUs: 100_000, parts: crashParts(at) }).then(async (r) => {
        if (r.status === 'written') {
          print({ checkpoint: at });
          await writer.deleteCoveredBy(r.keptTicks[0] ?? 0);
        }
        checkpointing = false;
      });
    }
  }
  if (writer.stats.lastDurableTick !== durable) {
    durable = writer.stats.lastDurableTick;
    print({ durable });
  }
  await sleep(1);
}
