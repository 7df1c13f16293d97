import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkpointCommand } from '../../../src/cli/checkpoint-command.js';
import { CheckpointStore } from '../../../src/persistence/checkpoint/checkpoint-store.js';

const made: string[] = [];
afterEach(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
});

function stateDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'spatia-ckpt-cli-'));
  made.push(d);
  return d;
}

async function run(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await checkpointCommand(args, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

async function withCheckpoints(dir: string, ticks: number[]): Promise<void> {
  const store = new CheckpointStore(join(dir, 'checkpoints'), { env: { wallMs: () => Date.UTC(2026, 0, 2, 3, 4, 5) } });
  for (const tick of ticks) {
    await store.write({ tick, configHash: 'abc123', formatVersion: 1, periodUs: 100_000, parts: { engine: { num: [1, 2, 3], sensors: [{}, {}] }, sampler: { next: [0] } } });
  }
}

describe('spatia checkpoint inspect', () => {
  it('describes the newest valid checkpoint and lists every file', async () => {
    const dir = stateDir();
    await withCheckpoints(dir, [100, 250]);
    const r = await run('inspect', dir);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/^newest valid checkpoint: .*checkpoint-0+250\.json$/m);
    expect(text).toMatch(/^ {2}tick +250 \(t = 25 s\)$/m);
    expect(text).toMatch(/^ {2}written at +2026-01-02T03:04:05\.000Z$/m);
    expect(text).toMatch(/^ {2}config hash +abc123$/m);
    expect(text).toMatch(/^ {4}engine: \d+ bytes \(num 3, sensors 2\)$/m);
    expect(text).toMatch(/^ {4}sampler: \d+ bytes \(next 1\)$/m);
    expect(r.out.filter((l) => / tick (100|250) .* valid$/.test(l))).toHaveLength(2);
  });

  it('reports a damaged newest file with its reason and falls back to the previous one', async () => {
    const dir = stateDir();
    await withCheckpoints(dir, [100, 250]);
    writeFileSync(join(dir, 'checkpoints', `checkpoint-${String(250).padStart(20, '0')}.json`), '');
    const r = await run('inspect', dir);
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toMatch(/^newest valid checkpoint: .*checkpoint-0+100\.json$/m);
    expect(r.out.join('\n')).toMatch(/tick 250 +0 bytes +REJECTED \(empty\): /);
  });

  it('--json prints the inspection as JSON', async () => {
    const dir = stateDir();
    await withCheckpoints(dir, [40]);
    const r = await run('inspect', dir, '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out.join('\n')) as { latest: { tick: number; tS: number; configHash: string }; files: unknown[] };
    expect(j.latest).toMatchObject({ tick: 40, tS: 4, configHash: 'abc123' });
    expect(j.files).toHaveLength(1);
  });

  it('exits 1 when no checkpoint is readable, 2 on bad usage', async () => {
    const empty = await run('inspect', stateDir());
    expect(empty.code).toBe(1);
    expect(empty.err.join('\n')).toMatch(/no readable checkpoint/);
    expect((await run('inspect')).code).toBe(2);
    expect((await run('list', stateDir())).code).toBe(2);
    expect((await run()).code).toBe(2);
    expect((await run('inspect', stateDir(), '--frob')).code).toBe(2);
  });
});
