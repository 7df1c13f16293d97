import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Actions in `spatia run` as users run it (bin/spatia.js over dist/): callbacks on worker threads
 * that spin forever or throw sit next to a healthy condition, whose edges must all appear on
 * their ticks; commands returned by a callback are carried out.
 */
const dir = mkdtempSync(join(tmpdir(), 'spatia-actions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('spatia run: actions', () => {
  it('bad callbacks fail with their reason; the healthy condition keeps every edge; commands run', () => {
    const fixture = resolve('test/fixtures/callbacks/behaviours.mjs');
    const config = join(dir, 'actions.yaml');
    writeFileSync(
      config,
      `version: 1
runtime: {tick_rate: 20 Hz, state_dir: ./state}
sensors:
  - {id: beat, kind: mock, signal: {square: {low: 0, high: 1, period: 0.5s, duty: 0.5}}}
conditions:
  - {id: healthy, when: beat > 0.5}
  - id: spinning
    when: beat > 0.5
    actions: [{callback: {module: "${fixture}", export: spins, timeout: 100ms}}]
  - id: throwing
    when: beat > 0.5
    actions: [{callback: {module: "${fixture}", export: throws}}]
  - id: commanding
    when: beat > 0.5
    actions: [{callback: {module: "${fixture}", export: allCommands}}]
`,
    );
    const r = spawnSync(process.execPath, ['bin/spatia.js', 'run', config, '--duration', '3s'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const recs = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    // The healthy condition rises every 0.5 s (ticks 0, 10, ..., 50) and falls in between.
    const healthy = recs.filter((x) => x['type'] === 'edge' && x['id'] === 'healthy').map((x) => [x['tick'], x['edge']]);
    expect(healthy).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55].map((k) => [k, k % 10 === 0 ? 'rising' : 'falling']));
    const actions = (id: string) => recs.filter((x) => x['type'] === 'action' && x['condition'] === id);
    expect(actions('spinning').length).toBeGreaterThan(0);
    for (const a of actions('spinning')) expect(a).toMatchObject({ status: 'timeout', reason: 'timeout' });
    expect(actions('throwing').length).toBeGreaterThan(0);
    for (const a of actions('throwing')) expect(a).toMatchObject({ status: 'failed', reason: 'threw' });
    const commanded = actions('commanding');
    expect(commanded.filter((a) => a['command'] === undefined).every((a) => a['status'] === 'ok')).toBe(true);
    expect(commanded.some((a) => a['command'] === 'log' && a['status'] === 'ok')).toBe(true);
  });
});
