import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GpioActionRunner } from '../../../../src/actions/gpio/gpio-action-runner.js';
import { GpioOutputs, type GpioOutputReport } from '../../../../src/actions/gpio/gpio-outputs.js';
import type { ActionJob } from '../../../../src/actions/action-runner.js';
import { loadConfigText } from '../../../../src/config/load.js';
import type { ActionModel, DeploymentModel } from '../../../../src/config/model.js';
import type { GpioTimers } from '../../../../src/sensors/gpio/gpio-timers.js';
import { SysfsGpioBackend } from '../../../../src/sensors/gpio/sysfs-gpio-backend.js';
import { type FakeChip, FakeSysfsGpio, PI4_CHIPS, PI5_CHIPS } from '../../../helpers/fake-sysfs-gpio.js';

const trees: FakeSysfsGpio[] = [];
afterEach(async () => {
  await Promise.all(trees.splice(0).map((t) => t.remove()));
});

/** Pin 27 drives a relay (safe 0) on `hot`; pin 22 a fail-safe output (safe 1) on `fan`. */
const CONFIG = [
  'version: 1',
  'sensors: [{id: s, kind: mock, signal: {constant: 1}}]',
  'conditions:',
  '  - id: hot',
  '    when: s > 0',
  '    actions: [{gpio: {pin: 27, value: 1}}]',
  '    on_falling: [{gpio: {pin: 27, value: 0, safe: 0}}]',
  '  - id: fan',
  '    when: s > 1',
  '    actions: [{gpio: {pin: 22, value: 0, safe: 1}}]',
  '',
].join('\n');

function model(text = CONFIG): DeploymentModel {
  const r = loadConfigText(text, '/site/deploy.yaml', { env: {} });
  if (r.model === undefined) throw new Error('bad test config');
  return r.model;
}

function job(action: ActionModel): ActionJob {
  const request = { t: 0, tick: 0, condition: 'hot', edge: 'rising' as const, index: 0, action: { model: action, message: undefined, payload: undefined }, message: undefined, payload: undefined };
  return { request, edge: { t: 0, tick: 0, type: 'edge', id: 'hot', edge: 'rising' }, inputs: {} };
}

/** A clock the test moves by hand; only nowMs is used by the outputs. */
class HandClock implements GpioTimers {
  now = 0;
  nowMs(): number {
    return this.now;
  }
  after(): () => void {
    return () => undefined;
  }
}

async function setup(chips: readonly FakeChip[] = PI5_CHIPS, text = CONFIG) {
  const tree = await FakeSysfsGpio.create(chips);
  trees.push(tree);
  const backend = new SysfsGpioBackend({ root: tree.root, fs: tree.fs, permissionWaitMs: 20, permissionRetryMs: 2 });
  const clock = new HandClock();
  const reports: GpioOutputReport[] = [];
  const m = model(text);
  const labels = chips === PI5_CHIPS ? ['pinctrl-rp1'] : ['pinctrl-bcm2711'];
  const outputs = GpioOutputs.fromModel(m, { backend, headerChipLabels: labels, timers: clock, onReport: (r) => reports.push(r) });
  const runner = new GpioActionRunner(outputs);
  const actions = m.conditions.flatMap((c) => [...c.actions, ...c.onFalling]);
  const value = async (n: number): Promise<string> => (await readFile(join(tree.root, `gpio${n}`, 'value'), 'utf8')).trim();
  return { tree, outputs, runner, clock, reports, actions, value };
}

const signal = new AbortController().signal;

describe('GpioOutputs over a fake sysfs tree', () => {
  it('start drives every declared pin to its safe level, as an output, without a glitch', async () => {
    const { tree, outputs, value, runner } = await setup();
    expect(outputs.pins.map((p) => [p.pin, p.safe, p.drivenBy.length])).toEqual([
      [27, 0, 2],
      [22, 1, 1],
    ]);
    const reports = await outputs.start();
    expect(reports.map((r) => [r.pin, r.status, r.level, r.line])).toEqual([
      [27, 'driven', 0, 'gpio598'],
      [22, 'driven', 1, 'gpio593'],
    ]);
    expect(reports[0]?.explanation).toContain('pin 27 -> line 27 of pinctrl-rp1');
    expect(await value(598)).toBe('0');
    expect(await value(593)).toBe('1');
    // The level is set with the direction (high/low), never by "out" then a value write.
    expect(tree.writes.filter((w) => w.path.endsWith('/direction') || w.path.endsWith('/value'))).toEqual([
      { path: 'gpio598/direction', data: 'low' },
      { path: 'gpio593/direction', data: 'high' },
    ]);
    await runner.close();
  });

  it('actions set levels; the outcome names the pin, value and line', async () => {
    const { outputs, runner, actions, value } = await setup();
    await outputs.start();
    const [on, off, fan] = actions as [ActionModel, ActionModel, ActionModel];
    expect(await runner.run(job(on), signal)).toEqual({ status: 'ok', detail: { pin: 27, value: 1, line: 'gpio598' } });
    expect(await value(598)).toBe('1');
    expect(await runner.run(job(fan), signal)).toEqual({ status: 'ok', detail: { pin: 22, value: 0, line: 'gpio593' } });
    expect(await value(593)).toBe('0');
    await runner.run(job(off), signal);
    expect(await value(598)).toBe('0');
    await runner.close();
  });

  it.each([
    ['Pi 5 (pinctrl-rp1, base 571)', PI5_CHIPS, 598],
    ['Pi 4 on kernel >= 6.2 (pinctrl-bcm2711, base 512)', PI4_CHIPS, 539],
  ])('%s: pin 27 is sysfs gpio%s', async (_board, chips, n) => {
    const { tree, outputs, runner, actions } = await setup(chips);
    await outputs.start();
    expect(tree.isExported(n)).toBe(true);
    expect(await runner.run(job(actions[0] as ActionModel), signal)).toMatchObject({ status: 'ok', detail: { line: `gpio${n}` } });
    expect(tree.wireLevel(n)).toBe(1);
    await runner.close();
  });

  it('close drives every line back to safe and unexports it; later actions are refused', async () => {
    const { tree, outputs, runner, actions, reports } = await setup();
    await outputs.start();
    await runner.run(job(actions[0] as ActionModel), signal);
    await runner.run(job(actions[2] as ActionModel), signal);
    expect([tree.wireLevel(598), tree.wireLevel(593)]).toEqual([1, 0]);
    await runner.close();
    expect([tree.wireLevel(598), tree.wireLevel(593)]).toEqual([0, 1]);
    expect([tree.isExported(598), tree.isExported(593)]).toEqual([false, false]);
    expect(tree.writes.slice(-4)).toEqual([
      { path: 'gpio598/value', data: '0' },
      { path: 'unexport', data: '598' },
      { path: 'gpio593/value', data: '1' },
      { path: 'unexport', data: '593' },
    ]);
    expect(reports.filter((r) => r.status === 'restored').map((r) => [r.pin, r.level])).toEqual([
      [27, 0],
      [22, 1],
    ]);
    expect(await runner.run(job(actions[0] as ActionModel), signal)).toMatchObject({ status: 'failed', reason: 'closed' });
    await runner.close();
  });

  it('a permission failure is reported at start, not thrown; retried with backoff on a later action', async () => {
    const { tree, outputs, runner, actions, clock, value } = await setup();
    tree.failWith('export', 'EACCES');
    const [first] = await outputs.start();
    expect(first).toMatchObject({ pin: 27, status: 'failed', code: 'SPATIA_GPIO_PERMISSION' });
    expect(first?.error).toContain('gpio group');
    const on = job(actions[0] as ActionModel);
    // Within the backoff: refused at once, with the last failure.
    const exports = tree.writes.filter((w) => w.path === 'export').length;
    const waiting = await runner.run(on, signal);
    expect(waiting).toMatchObject({ status: 'failed', code: 'SPATIA_GPIO_PERMISSION', reason: 'permission', detail: { pin: 27, value: 1 } });
    expect(waiting.status !== 'ok' && waiting.error).toMatch(/^not retried yet \(next attempt in 1 s\); last failure: no permission/);
    expect(tree.writes.filter((w) => w.path === 'export').length).toBe(exports);
    // Fixed (the user joined the gpio group); after the backoff the action opens the line at its level.
    tree.clearFaults();
    clock.now += 1000;
    expect(await runner.run(on, signal)).toEqual({ status: 'ok', detail: { pin: 27, value: 1, line: 'gpio598' } });
    expect(await value(598)).toBe('1');
    expect(tree.writes.find((w) => w.path === 'gpio598/direction')?.data).toBe('high');
    await runner.close();
    expect(tree.wireLevel(598)).toBe(0);
  });

  it('the backoff doubles per failed attempt', async () => {
    const { tree, outputs, runner, actions, clock } = await setup();
    tree.failWith('export', 'EACCES');
    await outputs.start();
    const on = job(actions[0] as ActionModel);
    clock.now = 1000;
    expect(await runner.run(on, signal)).toMatchObject({ status: 'failed', error: expect.stringMatching(/^no permission/) as unknown });
    clock.now = 2999;
    expect(await runner.run(on, signal)).toMatchObject({ error: expect.stringMatching(/^not retried yet \(next attempt in 1 s\)/) as unknown });
    clock.now = 3000;
    expect(await runner.run(on, signal)).toMatchObject({ error: expect.stringMatching(/^no permission/) as unknown });
    await runner.close();
  });

  it('a line unexported behind its back is reopened by the next action', async () => {
    const { tree, outputs, runner, actions, reports } = await setup();
    await outputs.start();
    await tree.unexportBehindTheBack(598);
    expect(await runner.run(job(actions[0] as ActionModel), signal)).toEqual({ status: 'ok', detail: { pin: 27, value: 1, line: 'gpio598' } });
    expect(tree.wireLevel(598)).toBe(1);
    expect(reports.filter((r) => r.pin === 27).map((r) => [r.status, r.level])).toEqual([
      ['driven', 0],
      ['driven', 1],
    ]);
    await runner.close();
  });

  it('callback commands: a declared pin is set through the same path, an undeclared one is refused', async () => {
    const { tree, outputs, runner } = await setup();
    await outputs.start();
    expect(await runner.command({ pin: 27, value: 1 })).toEqual({ status: 'ok', detail: { pin: 27, value: 1, line: 'gpio598' } });
    expect(tree.wireLevel(598)).toBe(1);
    // The same line spelled with its chip label is the declared line.
    expect(await runner.command({ pin: 22, value: 0, chip: 'pinctrl-rp1' })).toMatchObject({ status: 'ok', detail: { line: 'gpio593' } });
    const refused = await runner.command({ pin: 5, value: 1 });
    expect(refused).toMatchObject({ status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'undeclared' });
    expect(refused.status !== 'ok' && refused.error).toContain('gpio pin 5 is not driven by any gpio action of the config, so it has no declared safe level');
    expect(tree.isExported(576)).toBe(false);
    expect(await runner.command({ pin: 27, value: 2 as 0 })).toMatchObject({ status: 'failed', reason: 'garbage' });
    await runner.close();
    expect(tree.wireLevel(598)).toBe(0);
  });

  it('an aborted run does not touch the line', async () => {
    const { tree, outputs, runner, actions } = await setup();
    await outputs.start();
    const aborted = new AbortController();
    aborted.abort();
    expect(await runner.run(job(actions[0] as ActionModel), aborted.signal)).toMatchObject({ status: 'failed', reason: 'aborted' });
    expect(tree.wireLevel(598)).toBe(0);
    await runner.close();
  });

  it('one line written two ways (no chip, and its chip label) with different safe levels: the second is refused at start', async () => {
    const text = [
      'version: 1',
      'sensors: [{id: s, kind: mock, signal: {constant: 1}}]',
      'conditions:',
      '  - {id: a, when: s > 0, actions: [{gpio: {pin: 17, value: 1, safe: 0}}]}',
      '  - {id: b, when: s > 0, actions: [{gpio: {pin: 17, chip: pinctrl-rp1, value: 0, safe: 1}}]}',
      '',
    ].join('\n');
    const { tree, outputs, runner } = await setup(PI5_CHIPS, text);
    const [a, b] = await outputs.start();
    expect(a).toMatchObject({ status: 'driven', line: 'gpio588' });
    expect(b).toMatchObject({ status: 'failed', code: 'SPATIA_GPIO_CHIP' });
    expect(b?.error).toContain('is the same line (sysfs gpio588) as gpio pin 17');
    expect(tree.wireLevel(588)).toBe(0);
    await runner.close();
  });

  it('parallel actions on one pin are serialised: the last one asked wins', async () => {
    const { tree, outputs, runner, actions } = await setup();
    await outputs.start();
    const [on, off] = actions as [ActionModel, ActionModel];
    const results = await Promise.all([runner.run(job(on), signal), runner.run(job(off), signal), runner.run(job(on), signal)]);
    expect(results.map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(tree.wireLevel(598)).toBe(1);
    await runner.close();
  });

  it('a deployment without gpio actions touches nothing', async () => {
    const outputs = GpioOutputs.fromModel(model('version: 1\n'), { headerChipLabels: [] });
    expect(await outputs.start()).toEqual([]);
    expect(await outputs.close()).toEqual([]);
  });
});
