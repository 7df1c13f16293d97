import { describe, expect, it } from 'vitest';
import { defineDeployment, LiveRun, type ActionRunner, type PushSink, type PushSource } from '../../src/index.js';
import { VirtualClock } from '../helpers/virtual-clock.js';

/** A source of the user's own (say, a CAN bus reader), plugged into a live run through the API. */
class MyBus implements PushSource {
  readonly mode = 'push';
  sink: PushSink | undefined;
  start(sink: PushSink): Promise<void> {
    this.sink = sink;
    // The bus reports a reading as soon as it is up.
    setImmediate(() => sink.value(7.5));
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

describe('TypeScript API: a live run with a custom source and action runner', () => {
  it('ticks on the given clock, reads the source, runs the actions', async () => {
    const site = defineDeployment({
      version: 1,
      runtime: { tick_rate: '10 Hz' },
      outputs: { mqtt: { url: 'mqtt://127.0.0.1:1' } },
      sensors: [{ id: 'pressure', kind: 'mqtt', topic: 'can/pressure', unit: 'bar' }],
      conditions: [{ id: 'high', when: 'pressure > 5 bar', actions: [{ http: { url: 'http://127.0.0.1:1/hook' } }] }],
    });
    const bus = new MyBus();
    const calls: string[] = [];
    const runner: ActionRunner = {
      run: (job) => {
        calls.push(`${job.request.condition} ${String(job.inputs['pressure'])}`);
        return Promise.resolve({ status: 'ok' });
      },
      close: () => Promise.resolve(),
    };
    const clock = new VirtualClock();
    let log = '';
    const run = new LiveRun(site, { clock, sourceFor: () => bus, write: (chunk) => (log += chunk), runners: { http: runner } });
    await run.run(30);
    await run.close();
    const records = log.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r['type'] === 'edge')).toMatchObject({ id: 'high', edge: 'rising', inputs: { pressure: 7.5 } });
    expect(calls).toEqual(['high 7.5']);
    expect(records.find((r) => r['type'] === 'action')).toMatchObject({ condition: 'high', action: 'http', status: 'ok' });
  });
});
