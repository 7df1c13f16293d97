import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ActionOutcome } from '../../../../src/actions/action-runner.js';
import { type CallbackRunner, type CallbackRunnerOptions, createCallbackRunner } from '../../../../src/actions/callbacks/callback-runner.js';
import { BEHAVIOURS, callbackJob, FIXTURES_DIR, type JobOptions } from '../../../fixtures/callbacks/callback-job.js';

const runners: CallbackRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.splice(0).map((r) => r.close()));
});

function pool(opts: Partial<CallbackRunnerOptions> = {}): { runner: CallbackRunner } {
  const runner = createCallbackRunner({ baseDir: FIXTURES_DIR, maxWorkers: 2, ...opts });
  runners.push(runner);
  return { runner };
}

const call = (runner: CallbackRunner, exportName: string, o?: JobOptions, signal = new AbortController().signal): Promise<ActionOutcome> =>
  runner.run(callbackJob(exportName, o), signal);

/** The failure fields of an outcome, for compact expectations. */
function failure(o: ActionOutcome): { status: string; reason: string; error: string; detail: Readonly<Record<string, unknown>> } {
  if (o.status === 'ok') throw new Error(`expected a failure, got ${JSON.stringify(o)}`);
  return { status: o.status, reason: o.reason, error: o.error, detail: o.detail ?? {} };
}

/** After a failure, the pool still runs callbacks. */
async function expectHealed(runner: CallbackRunner): Promise<void> {
  expect(await call(runner, 'echo', { tick: 77 })).toMatchObject({ status: 'ok', commands: [{ log: { message: expect.stringContaining('"tick":77') } }] });
}

describe('CallbackRunner: callbacks that work', () => {
  it('passes {edge, inputs, condition, t, tick} to the export and returns its commands', async () => {
    const { runner } = pool();
    const o = await call(runner, 'echo', { tick: 42, condition: 'lobby_hot', inputs: { 'lobby_env.avg': 29.25, 'door.open': true } });
    expect(o.status).toBe('ok');
    const message = o.status === 'ok' && o.commands?.[0] !== undefined && 'log' in o.commands[0] ? o.commands[0].log.message : '';
    expect(JSON.parse(message)).toEqual({
      edge: { t: 4.2, tick: 42, type: 'edge', id: 'lobby_hot', edge: 'rising', inputs: { 'lobby_env.avg': 29.25, 'door.open': true } },
      inputs: { 'lobby_env.avg': 29.25, 'door.open': true },
      condition: 'lobby_hot',
      t: 4.2,
      tick: 42,
    });
    expect(o.detail).toEqual({ module: BEHAVIOURS, export: 'echo' });
  });

  it('a callback that returns nothing is ok without commands', async () => {
    const { runner } = pool();
    const o = await call(runner, 'quiet');
    expect(o).toEqual({ status: 'ok', detail: { module: BEHAVIOURS, export: 'quiet' } });
  });

  it('reads publish, gpio and log commands from {commands: [...]}', async () => {
    const { runner } = pool();
    expect(await call(runner, 'allCommands', { tick: 5 })).toMatchObject({
      status: 'ok',
      commands: [
        { publish: { topic: 'alerts/lobby_hot', payload: { tick: 5, avg: 28.5 }, qos: 1, retain: false } },
        { gpio: { pin: 27, value: 1 } },
        { log: { message: 'hot at 0.5', level: 'warn' } },
      ],
    });
  });

  it('awaits async callbacks', async () => {
    const { runner } = pool();
    expect(await call(runner, 'later', { tick: 9 })).toMatchObject({ status: 'ok', commands: [{ log: { message: 'later 9' } }] });
  });

  it('calls the default export, a CommonJS export, and resolves ./relative paths from baseDir', async () => {
    const { runner } = pool();
    expect(await call(runner, 'default', { tick: 1 })).toMatchObject({ commands: [{ log: { message: 'default 1' } }] });
    expect(await call(runner, 'onHot', { module: join(FIXTURES_DIR, 'commonjs.cjs'), tick: 2 })).toMatchObject({ commands: [{ log: { message: 'cjs 2' } }] });
    expect(await call(runner, 'echo', { module: './behaviours.mjs', tick: 3 })).toMatchObject({ status: 'ok' });
  });

  it("resolves a package name from baseDir's node_modules, as a config file's neighbours would", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spatia-cb-pkg-'));
    mkdirSync(join(dir, 'node_modules', 'site-alerts'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', 'site-alerts', 'package.json'), JSON.stringify({ name: 'site-alerts', main: 'main.js' }));
    writeFileSync(join(dir, 'node_modules', 'site-alerts', 'main.js'), 'exports.onHot = (e) => [{ log: { message: "pkg " + e.tick } }];\n');
    const { runner } = pool({ baseDir: dir });
    expect(await call(runner, 'onHot', { module: 'site-alerts', tick: 4 })).toMatchObject({ status: 'ok', commands: [{ log: { message: 'pkg 4' } }] });
  });

  it('runs calls concurrently on the pool: two that can only finish together both finish', async () => {
    const { runner } = pool({ maxWorkers: 2 });
    const [a, b] = await Promise.all([call(runner, 'rendezvous', { tick: 1, condition: 'pair' }), call(runner, 'rendezvous', { tick: 2, condition: 'pair' })]);
    expect(a).toMatchObject({ status: 'ok', commands: [{ log: { message: '1 met 2' } }] });
    expect(b).toMatchObject({ status: 'ok', commands: [{ log: { message: '2 met 1' } }] });
  });

  it('with one worker, calls run one after the other (the pair cannot meet)', async () => {
    const { runner } = pool({ maxWorkers: 1 });
    const both = await Promise.all([call(runner, 'rendezvous', { tick: 1, condition: 'alone', timeoutMs: 300 }), call(runner, 'rendezvous', { tick: 2, condition: 'alone', timeoutMs: 300 })]);
    expect(both.map((o) => o.status)).toEqual(['timeout', 'timeout']);
  });

  it("sends a callback's console output to stderr, never to stdout (which may carry the event log)", async () => {
    const { runner } = pool();
    const written = { stdout: '', stderr: '' };
    const spy = (name: 'stdout' | 'stderr') =>
      vi.spyOn(process[name], 'write').mockImplementation((chunk: string | Uint8Array) => {
        written[name] += chunk.toString();
        return true;
      });
    const spies = [spy('stdout'), spy('stderr')];
    try {
      expect((await call(runner, 'chatty', { tick: 12 })).status).toBe('ok');
      await vi.waitFor(() => expect(written.stderr).toContain('chatty 12 to console.log,\nchatty 12 to process.stdout\n'), { timeout: 10_000 });
      expect(written.stdout).not.toContain('chatty');
    } finally {
      for (const s of spies) s.mockRestore();
    }
  });
});

describe('CallbackRunner: failures are outcomes, and the pool heals', () => {
  it('a throw is `threw` with the error name and message (custom properties stay behind)', async () => {
    const { runner } = pool();
    const f = failure(await call(runner, 'throws'));
    expect(f).toMatchObject({ status: 'failed', reason: 'threw' });
    expect(f.error).toBe(`callback throws in ${BEHAVIOURS} threw SensorTooHot: lobby is on fire`);
    expect(f.detail['stack']).toEqual(expect.stringContaining('behaviours.mjs'));
    expect(failure(await call(runner, 'rejects')).error).toContain('threw TypeError: async failure');
    expect(failure(await call(runner, 'throwsString')).error).toContain('threw string: a plain string');
    await expectHealed(runner);
  });

  it('an endless loop is terminated at its timeout: `timeout`', async () => {
    const { runner } = pool();
    const f = failure(await call(runner, 'spins', { timeoutMs: 200 }));
    expect(f).toMatchObject({ status: 'timeout', reason: 'timeout', detail: { timeout_ms: 200 } });
    expect(f.error).toContain('ran past its timeout of 200 ms');
    expect(runner.stats().replaced).toBe(1);
    await expectHealed(runner);
  });

  it('process.exit(3) ends only its worker: `exit` with the code', async () => {
    const { runner } = pool();
    const f = failure(await call(runner, 'exits'));
    expect(f).toMatchObject({ status: 'failed', reason: 'exit', detail: { exit_code: 3 } });
    expect(f.error).toContain('process.exit(3)');
    await expectHealed(runner);
  });

  it('unbounded allocation hits the memory limit: `memory`', async () => {
    const { runner } = pool({ memoryLimitMb: 32 });
    const f = failure(await call(runner, 'hoards', { timeoutMs: 30_000 }));
    expect(f).toMatchObject({ status: 'failed', reason: 'memory', detail: { memory_limit_mb: 32 } });
    expect(f.error).toContain('exhausted its memory limit of 32 MB');
    await expectHealed(runner);
  });

  it('a memory limit too small for a worker to start fails each call once, without a restart loop', async () => {
    const { runner } = pool({ memoryLimitMb: 2 });
    const outcomes = await Promise.all([call(runner, 'echo'), call(runner, 'echo')]);
    for (const o of outcomes) expect(failure(o)).toMatchObject({ reason: 'memory', error: expect.stringContaining('a callback worker could not start') });
    expect(runner.stats()).toMatchObject({ workers: 0, queued: 0 });
  });

  it('an exception thrown from a timer kills the worker under the call: `threw`', async () => {
    const { runner } = pool();
    const f = failure(await call(runner, 'throwsLater'));
    expect(f).toMatchObject({ status: 'failed', reason: 'threw' });
    expect(f.error).toContain('RangeError: from a timer');
    await expectHealed(runner);
  });

  it.each([
    ['returnsFunction', 'returned a function; expected nothing, an array of commands'],
    ['returnsString', 'returned a string ("hello"); expected nothing, an array of commands'],
    ['returnsBadCommand', 'command 1: publish.topic must be a non-empty topic without wildcards (+, #), got a string ("a/+/b")'],
    ['returnsCycle', 'returned a value that is not JSON'],
    ['returnsHuge', 'bytes of JSON, more than the 1048576 allowed'],
  ])('garbage from %s is `garbage`, saying what was expected', async (exportName, message) => {
    const { runner } = pool();
    const f = failure(await call(runner, exportName));
    expect(f).toMatchObject({ status: 'failed', reason: 'garbage' });
    expect(f.error).toContain(message);
    await expectHealed(runner);
  });

  it('a missing export, a value that is no function, a missing file, a module that throws or does not parse: `load`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spatia-cb-'));
    writeFileSync(join(dir, 'broken.mjs'), 'export function onHot( {\n');
    const { runner } = pool();
    const load = async (exportName: string, module?: string): Promise<string> => {
      const f = failure(await call(runner, exportName, module === undefined ? {} : { module }));
      expect(f).toMatchObject({ status: 'failed', reason: 'load' });
      return f.error;
    };
    expect(await load('onCold')).toMatch(/has no exported function "onCold" \(its exported functions: .*echo.*\)/);
    expect(await load('notAFunction')).toContain('has no exported function "notAFunction"');
    expect(await load('onHot', join(dir, 'missing.mjs'))).toContain(`cannot load callback module ${join(dir, 'missing.mjs')}`);
    expect(await load('onHot', join(FIXTURES_DIR, 'throws-on-load.mjs'))).toContain('no config for this callback');
    expect(await load('onHot', join(dir, 'broken.mjs'))).toContain('SyntaxError');
    expect(await load('onHot', 'no-such-package-spatia')).toContain('cannot load callback module no-such-package-spatia');
    await expectHealed(runner);
  });
});

describe('CallbackRunner: calls posted ahead to a busy worker', () => {
  it('an idle worker takes back the calls waiting behind a stuck one', async () => {
    const { runner } = pool({ maxWorkers: 2 });
    // Both workers up: two calls that can only finish together.
    await Promise.all([call(runner, 'rendezvous', { tick: 1, condition: 'up' }), call(runner, 'rendezvous', { tick: 2, condition: 'up' })]);
    const stuck = new AbortController();
    const spinning = call(runner, 'spins', { timeoutMs: 600_000 }, stuck.signal);
    const slow = call(runner, 'later', { tick: 1 });
    // Both workers are busy: these are posted behind the two, some behind the endless loop.
    const quick = [3, 4, 5, 6].map((tick) => call(runner, 'echo', { tick }));
    expect((await slow).status).toBe('ok');
    expect((await Promise.all(quick)).map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    stuck.abort();
    expect(failure(await spinning)).toMatchObject({ reason: 'aborted' });
    await expectHealed(runner);
  });

  it('calls posted behind one that kills its worker run on the replacement', async () => {
    const { runner } = pool({ maxWorkers: 1 });
    const [exits, ...rest] = await Promise.all([call(runner, 'exits'), ...[1, 2, 3, 4, 5].map((tick) => call(runner, 'echo', { tick }))]);
    expect(failure(exits as ActionOutcome)).toMatchObject({ reason: 'exit' });
    expect(rest.map((o) => o.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    const [spins, ...after] = await Promise.all([call(runner, 'spins', { timeoutMs: 200 }), ...[1, 2, 3].map((tick) => call(runner, 'echo', { tick }))]);
    expect(failure(spins as ActionOutcome)).toMatchObject({ status: 'timeout' });
    expect(after.map((o) => o.status)).toEqual(['ok', 'ok', 'ok']);
    expect(runner.stats().replaced).toBe(2);
  });

  it('aborting a call posted but not started takes it back without costing the worker', async () => {
    const { runner } = pool({ maxWorkers: 1 });
    const stuck = new AbortController();
    const waiting = new AbortController();
    const spinning = call(runner, 'spins', { timeoutMs: 600_000 }, stuck.signal);
    const posted = call(runner, 'echo', {}, waiting.signal);
    await vi.waitFor(() => expect(runner.stats()).toMatchObject({ busy: 1, queued: 0 }), { timeout: 10_000 });
    waiting.abort();
    expect(failure(await posted)).toMatchObject({ reason: 'aborted', error: expect.stringContaining('before it started') });
    expect(runner.stats().replaced).toBe(0);
    stuck.abort();
    expect(failure(await spinning)).toMatchObject({ reason: 'aborted', error: expect.stringContaining('its worker was terminated') });
    expect(runner.stats().replaced).toBe(1);
    await expectHealed(runner);
  });
});

describe('CallbackRunner: abort and close', () => {
  it('an abort stops a running callback (its worker is replaced) and drops a queued one', async () => {
    const { runner } = pool({ maxWorkers: 1 });
    const running = new AbortController();
    const queued = new AbortController();
    const a = call(runner, 'spins', { timeoutMs: 60_000 }, running.signal);
    const b = call(runner, 'echo', {}, queued.signal);
    queued.abort();
    expect(failure(await b)).toMatchObject({ reason: 'aborted' });
    await vi.waitFor(() => expect(runner.stats().busy).toBe(1), { timeout: 10_000 });
    running.abort();
    expect(failure(await a)).toMatchObject({ status: 'failed', reason: 'aborted' });
    expect(failure(await call(runner, 'echo', {}, AbortSignal.abort()))).toMatchObject({ reason: 'aborted' });
    await expectHealed(runner);
  });

  it('close() fails what is running, posted or queued, ends every worker, and leaves no handle behind', async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout').length;
    const { runner } = pool({ maxWorkers: 1 });
    await expectHealed(runner);
    // Idle workers do not keep the process alive.
    expect(process.getActiveResourcesInfo().filter((r) => r !== 'Timeout').length).toBe(before);
    // One running, three posted behind it, the rest queued.
    const pending = [call(runner, 'spins', { timeoutMs: 60_000 }), ...Array.from({ length: 6 }, () => call(runner, 'echo'))];
    await vi.waitFor(() => expect(runner.stats()).toMatchObject({ busy: 1, queued: 3 }), { timeout: 10_000 });
    await runner.close();
    expect((await Promise.all(pending)).map((o) => failure(o).reason)).toEqual(Array(7).fill('aborted'));
    expect(runner.stats()).toMatchObject({ workers: 0, busy: 0, queued: 0 });
    expect(failure(await call(runner, 'echo'))).toMatchObject({ reason: 'aborted' });
    expect(process.getActiveResourcesInfo().filter((r) => r !== 'Timeout').length).toBe(before);
  });

  it('refuses an action of another kind', async () => {
    const { runner } = pool();
    const job = callbackJob('echo');
    const log = { ...job, request: { ...job.request, action: { ...job.request.action, model: { kind: 'log' as const, message: 'x', level: 'info' as const, pos: job.request.action.model.pos } } } };
    expect(failure(await runner.run(log, new AbortController().signal))).toMatchObject({ reason: 'unavailable' });
  });
});
