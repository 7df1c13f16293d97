import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/core/event-record.js';
import { LogSkipper, prepareLogForResume } from '../../../src/runtime/sim-log-resume.js';

// The log rule behind `spatia sim --state-dir` (its CLI resume is tested end to end in
// test/integration/persistence/sim-resume.test.ts).
const dir = mkdtempSync(join(tmpdir(), 'spatia-log-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rec = (tick: number, type: string): EventRecord => ({ t: tick / 10, tick, type });
const line = (r: EventRecord): string => JSON.stringify(r) + '\n';

describe('sim log resume', () => {
  it('a missing or empty log starts before tick 0', () => {
    expect(prepareLogForResume(join(dir, 'none.jsonl'))).toEqual({ tick: -1, count: 0, cutBytes: 0 });
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    expect(prepareLogForResume(empty)).toEqual({ tick: -1, count: 0, cutBytes: 0 });
  });

  it('cuts a torn last line and counts the complete lines of the last tick', () => {
    const file = join(dir, 'torn.jsonl');
    const kept = line(rec(3, 'edge')) + line(rec(7, 'edge')) + line(rec(7, 'action'));
    writeFileSync(file, kept + '{"t":0.7,"tick":7,"ty');
    expect(prepareLogForResume(file)).toEqual({ tick: 7, count: 2, cutBytes: 21 });
    expect(readFileSync(file, 'utf8')).toBe(kept);
  });

  it('regenerated records: skips what the log holds, down to the records of its last tick', () => {
    const all = [rec(3, 'edge'), rec(7, 'edge'), rec(7, 'action'), rec(7, 'action'), rec(9, 'edge')];
    const skipper = new LogSkipper({ tick: 7, count: 2 });
    expect(all.filter((r) => skipper.keep(r))).toEqual([all[3], all[4]]);
  });

  it('refuses a file that is not an event log', () => {
    const file = join(dir, 'other.txt');
    writeFileSync(file, 'hello\n');
    expect(() => prepareLogForResume(file)).toThrow(/other\.txt:1: not an event record/);
  });
});
