/**
 * Crash test with a real process and a real kill: a child journals input at full speed and
 * checkpoints periodically; it is SIGKILLed at random moments (some right as a checkpoint write
 * starts, segments rotating every few hundred ms), 24 times. After each kill, as recovery will:
 * - every record up to the last tick the child reported durable is readable, and all the input
 *   from the checkpoint on replays tick by tick exactly as it was produced;
 * - the reader stops cleanly at a torn tail, if there is one, and it is in the last segment;
 * - a checkpoint is always readable (the newest or the previous), at or after the last one the
 *   child reported written, with its exact content.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Frame } from '../../../src/core/frame.js';
import { CheckpointStore } from '../../../src/persistence/checkpoint/checkpoint-store.js';
import { JournalReader } from '../../../src/persistence/journal/journal-reader.js';
import { replayFrames } from '../../../src/persistence/journal/replay-frames.js';
import { CRASH_SENSORS, crashFrame, crashParts } from './crash-workload.js';
import { transpileForChild } from './transpile-for-child.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const KILLS = Number(process.env['SPATIA_CRASH_KILLS'] ?? 24);
let work = '';
let script = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'spatia-crash-'));
  transpileForChild(ROOT, ['test/integration/persistence/crash-child.ts'], join(work, 'js'));
  script = join(work, 'js', 'test', 'integration', 'persistence', 'crash-child.js');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

type Line = Record<string, number>;

/** Runs the child until `killWhen` says so (or `ms` pass), then SIGKILLs it. */
async function runAndKill(stateDir: string, ms: number, killWhen: (l: Line) => boolean): Promise<Line[]> {
  const lines: Line[] = [];
  const child: ChildProcess = spawn(process.execPath, [script, stateDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  let partial = '';
  let ready = false;
  const kill = (): void => void child.kill('SIGKILL');
  child.stdout?.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts) {
      const l = JSON.parse(text) as Line;
      lines.push(l);
      if (l['ready'] !== undefined && !ready) {
        ready = true;
        setTimeout(kill, ms);
      }
      if (ready && killWhen(l)) kill();
    }
  });
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the child ended on its own (${String(signal)}): ${stderr}`);
  return lines;
}

describe('crash recovery with a real SIGKILL', () => {
  it(`survives ${KILLS} kills at random moments`, async () => {
    const stateDir = join(work, 'state');
    let maxDurable = -1;
    let lastCheckpoint = -1;
    let midCheckpoint = 0;
    let tornTails = 0;
    let random = 12345;
    const next = (): number => (random = (random * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < KILLS; round++) {
      // Every third run dies the instant a checkpoint write starts; the others at a random time.
      const onCheckpoint = round % 3 === 2;
      const lines = await runAndKill(stateDir, 80 + Math.floor(next() * 400), (l) => onCheckpoint && l['checkpointStart'] !== undefined);
      for (const l of lines) {
        if (l['durable'] !== undefined) maxDurable = Math.max(maxDurable, l['durable']);
        if (l['checkpoint'] !== undefined) lastCheckpoint = Math.max(lastCheckpoint, l['checkpoint']);
      }
      const started = lines.filter((l) => l['checkpointStart'] !== undefined).length;
      const done = lines.filter((l) => l['checkpoint'] !== undefined).length;
      if (started > done) midCheckpoint++;

      // Checkpoints: always one readable, never older than the last one reported durable.
      const store = new CheckpointStore(join(stateDir, 'checkpoints'));
      const { checkpoint, rejected } = await store.readLatestValid();
      expect(rejected, `round ${round}`).toEqual([]);
      if (lastCheckpoint >= 0) {
        expect(checkpoint?.tick, `round ${round}`).toBeGreaterThanOrEqual(lastCheckpoint);
        expect(checkpoint?.parts).toEqual(crashParts(checkpoint?.tick ?? -1));
      }
      // Two kept, plus a new one when the kill came between its rename and the pruning.
      expect(readdirSync(join(stateDir, 'checkpoints')).filter((n) => n.endsWith('.json')).length).toBeLessThanOrEqual(3);

      // Journal: from the checkpoint (or the oldest segment kept) to its end, exact, no holes.
      const reader = new JournalReader(join(stateDir, 'journal'));
      const from = checkpoint === undefined ? 0 : checkpoint.tick + 1;
      const expected = new Frame(CRASH_SENSORS.length);
      let last = from - 1;
      for (const { tick, frame } of replayFrames(reader.records(from), { size: CRASH_SENSORS.length, fromTick: from })) {
        crashFrame(tick, expected);
        expect(frame.status, `tick ${tick}`).toEqual(expected.status);
        for (let i = 0; i < frame.size; i++) {
          if (expected.status[i] === 1) expect(expected.obj[i] ?? expected.num[i], `tick ${tick} sensor ${i}`).toEqual(frame.obj[i] ?? frame.num[i]);
          else expect(frame.error[i]).toBe(expected.error[i]);
        }
        last = tick;
      }
      const where = `round ${round}: ${JSON.stringify(reader.outcome.damage)} segments ${reader.segments().map((f) => f.firstTick).join(',')} checkpoint ${checkpoint?.tick}`;
      expect(last, `${where}: the journal reaches the last tick reported durable`).toBeGreaterThanOrEqual(maxDurable);
      const damage = reader.outcome.damage;
      if (damage !== undefined) {
        tornTails++;
        expect(damage.unreadSegments).toEqual([]);
        expect(['torn', 'checksum', 'length']).toContain(damage.problem);
      }
    }
    expect(maxDurable).toBeGreaterThan(1000);
    expect(lastCheckpoint).toBeGreaterThan(0);
    expect(midCheckpoint).toBeGreaterThanOrEqual(Math.floor(KILLS / 3));
    console.log(`crash test: ${KILLS} kills, ${midCheckpoint} during a checkpoint write, ${tornTails} torn tails seen, journal through tick ${maxDurable}+`);
  }, 60_000 + KILLS * 5_000);
});
