import { describe, expect, it } from 'vitest';
import { loadConfigText } from '../../../../src/config/load.js';
import type { DeploymentModel } from '../../../../src/config/model.js';
import { ReadStatus } from '../../../../src/core/frame.js';
import { LiveSampler } from '../../../../src/sensors/live/live-sampler.js';
import { type LiveSource, type PolledSource, type PushSink, type PushSource, SensorFault } from '../../../../src/sensors/live/source.js';
import { VirtualClock } from '../../../helpers/virtual-clock.js';

const P = 100_000;

function model(sensors: string): DeploymentModel {
  const { model, issues } = loadConfigText(`version: 1\nruntime: {tick_rate: 10 Hz}\noutputs: {mqtt: {url: "mqtt://127.0.0.1:1"}}\nsensors:\n${sensors}`, 'live.yaml');
  if (model === undefined) throw new Error(issues.sorted().map((i) => i.message).join('\n'));
  return model;
}

/** A polled source whose reads the test settles by hand. */
class HandPolled implements PolledSource {
  readonly mode = 'polled';
  reads: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  opens = 0;
  openFails = 0;
  open(): Promise<void> {
    this.opens++;
    if (this.openFails > 0) {
      this.openFails--;
      return Promise.reject(new SensorFault('error', 'SPATIA_I2C_BUS', '/dev/i2c-1 is missing'));
    }
    return Promise.resolve();
  }
  read(): Promise<unknown> {
    return new Promise((resolve, reject) => this.reads.push({ resolve, reject }));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class HandPush implements PushSource {
  readonly mode = 'push';
  sink: PushSink | undefined;
  start(sink: PushSink): Promise<void> {
    this.sink = sink;
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function sampler(m: DeploymentModel, sources: Array<LiveSource | undefined>, clock = new VirtualClock()) {
  const s = new LiveSampler(m, sources, { clock, seed: 1, baseDir: '.', periodUs: P });
  await s.start();
  return { s, clock };
}

/** Runs tick k: begin, let settled reads land, fill. */
async function tick(s: LiveSampler, k: number) {
  const wait = s.begin(k * P);
  if (wait !== undefined) await wait;
  return s.fill(k * P);
}

const POLLED = '  - {id: t, kind: i2c, bus: 1, device: tmp102, unit: degC}\n';

describe('LiveSampler: polled sensors', () => {
  it('a read that settles within the tick is that tick\'s reading', async () => {
    const src = new HandPolled();
    const { s } = await sampler(model(POLLED), [src]);
    const wait = s.begin(0);
    expect(wait).toBeDefined();
    src.reads[0]?.resolve(21.5);
    await wait;
    const f = s.fill(0);
    expect([f.status[0], f.num[0]]).toEqual([ReadStatus.Ok, 21.5]);
  });

  it('a read slower than its timeout fails for its tick; its late result is used at the next tick', async () => {
    const src = new HandPolled();
    const m = model('  - {id: t, kind: i2c, bus: 1, device: tmp102, unit: degC, timeout: 30ms}\n');
    const { s, clock } = await sampler(m, [src]);
    let f = await tick(s, 0); // the wait ends at the 30 ms timeout
    expect(clock.nowUs()).toBe(30_000);
    expect(f.status[0]).toBe(ReadStatus.Timeout);
    expect(f.error[0]).toMatch(/timeout \(30 ms\)/);
    src.reads[0]?.resolve(19);
    await Promise.resolve();
    clock.now = P;
    f = await tick(s, 1); // no new read starts while... the old one settled, so a new one starts
    expect([f.status[0], f.num[0]]).toEqual([ReadStatus.Ok, 19]);
  });

  it('never starts a read while the previous one still runs, and reports its timeout once', async () => {
    const src = new HandPolled();
    const m = model('  - {id: t, kind: i2c, bus: 1, device: tmp102, unit: degC, timeout: 20ms}\n');
    const { s, clock } = await sampler(m, [src]);
    const statuses: number[] = [];
    for (let k = 0; k < 4; k++) {
      clock.now = Math.max(clock.now, k * P);
      statuses.push((await tick(s, k)).status[0] ?? -1);
    }
    expect(src.reads.length).toBe(1);
    expect(statuses).toEqual([ReadStatus.Timeout, ReadStatus.None, ReadStatus.None, ReadStatus.None]);
  });

  it('a failed read is an error with its code; a failed open is retried with backoff', async () => {
    const src = new HandPolled();
    src.openFails = 2;
    const { s, clock } = await sampler(model(POLLED), [src]);
    expect(src.opens).toBe(1);
    let f = await tick(s, 0);
    expect(f.status[0]).toBe(ReadStatus.Error);
    expect(f.error[0]).toBe('/dev/i2c-1 is missing [SPATIA_I2C_BUS]');
    clock.now = 500_000; // backoff 1 s not over
    await tick(s, 5);
    expect(src.opens).toBe(1);
    clock.now = 1_000_000;
    await tick(s, 10); // second open (fails again; backoff now 2 s)
    await Promise.resolve();
    expect(src.opens).toBe(2);
    clock.now = 3_000_000;
    await tick(s, 30); // third open succeeds
    await new Promise((r) => setTimeout(r, 0));
    expect(src.opens).toBe(3);
    clock.now = 3_100_000;
    const wait = s.begin(31 * P);
    src.reads[0]?.reject(Object.assign(new Error('Remote I/O error'), { code: 'EREMOTEIO' }));
    await wait;
    f = s.fill(31 * P);
    expect(f.status[0]).toBe(ReadStatus.Error);
    expect(f.error[0]).toMatch(/t: read failed: Remote I\/O error \(EREMOTEIO\) \[SPATIA_SENSOR_ERROR\]/);
  });

  it('reads only when due by sample_every', async () => {
    const src = new HandPolled();
    const { s, clock } = await sampler(model('  - {id: t, kind: i2c, bus: 1, device: tmp102, unit: degC, sample_every: 300ms}\n'), [src]);
    for (let k = 0; k < 7; k++) {
      clock.now = k * P;
      const wait = s.begin(k * P);
      src.reads.at(-1)?.resolve(k);
      if (wait !== undefined) await wait;
      s.fill(k * P);
    }
    expect(src.reads.length).toBe(3); // ticks 0, 3, 6
  });

  it('a value of the wrong type is garbage', async () => {
    const src = new HandPolled();
    const { s } = await sampler(model(POLLED), [src]);
    const wait = s.begin(0);
    src.reads[0]?.resolve('hot');
    await wait;
    const f = s.fill(0);
    expect(f.status[0]).toBe(ReadStatus.Garbage);
    expect(f.error[0]).toBe('returned a string "hot", but the sensor is declared number');
  });
});

describe('LiveSampler: push sensors', () => {
  const PUSH = '  - {id: p, kind: mqtt, topic: a/b, unit: degC}\n  - {id: e, kind: entities, topic: tags}\n';

  it('the latest value before the tick is its reading; nothing new is no reading', async () => {
    const p = new HandPush();
    const { s } = await sampler(model(PUSH), [p, undefined]);
    p.sink?.value(1);
    p.sink?.value(2);
    let f = await tick(s, 0);
    expect([f.status[0], f.num[0]]).toEqual([ReadStatus.Ok, 2]);
    f = await tick(s, 1);
    expect(f.status[0]).toBe(ReadStatus.None);
  });

  it('a fault is reported unless a value came after it; lost transports make the sensor stale', async () => {
    const p = new HandPush();
    const { s } = await sampler(model(PUSH), [p, undefined]);
    p.sink?.fault(new SensorFault('garbage', 'SPATIA_SENSOR_GARBAGE', 'payload "x" is not a number'));
    p.sink?.value(3);
    expect((await tick(s, 0)).status[0]).toBe(ReadStatus.Ok);
    p.sink?.lost(new SensorFault('error', 'SPATIA_SENSOR_DISCONNECTED', 'broker gone'));
    const f = await tick(s, 1);
    expect([f.status[0], f.error[0]]).toEqual([ReadStatus.Error, 'broker gone [SPATIA_SENSOR_DISCONNECTED]']);
  });

  it('entities keep every record of the tick, arrays flattened', async () => {
    const e = new HandPush();
    const { s } = await sampler(model(PUSH), [undefined, e]);
    e.sink?.value({ id: 'a', x: 1, y: 1 });
    e.sink?.value([{ id: 'b', x: 2, y: 2 }, { id: 'a', x: 3, y: 3 }]);
    const f = await tick(s, 0);
    expect(f.status[1]).toBe(ReadStatus.Ok);
    expect(f.obj[1]).toEqual([{ id: 'a', x: 1, y: 1 }, { id: 'b', x: 2, y: 2 }, { id: 'a', x: 3, y: 3 }]);
    expect((await tick(s, 1)).status[1]).toBe(ReadStatus.None);
  });

  it('transport events are queued for the log', async () => {
    const p = new HandPush();
    const { s } = await sampler(model(PUSH), [p, undefined]);
    p.sink?.transport({ transport: 'mqtt://127.0.0.1:1', status: 'disconnected', code: 'SPATIA_MQTT_CONNECT' });
    expect(s.takeTransportEvents()).toEqual([{ transport: 'mqtt://127.0.0.1:1', status: 'disconnected', code: 'SPATIA_MQTT_CONNECT' }]);
    expect(s.takeTransportEvents()).toEqual([]);
  });
});

describe('LiveSampler: mock sensors', () => {
  it('play their signal at the tick time, as in sim', async () => {
    const m = model('  - {id: m, kind: mock, signal: {steps: [[0, 1], [0.2s, 5]]}}\n');
    const { s } = await sampler(m, [undefined]);
    const values: number[] = [];
    for (let k = 0; k < 4; k++) values.push((await tick(s, k)).num[0] ?? NaN);
    expect(values).toEqual([1, 1, 5, 5]);
  });
});

describe('LiveSampler: read latencies for the profiler', () => {
  it('reports each polled read with its latency and outcome: ok, timeout (when reported), error', async () => {
    const src = new HandPolled();
    const m = model('  - {id: t, kind: i2c, bus: 1, device: tmp102, unit: degC, timeout: 30ms}\n');
    const clock = new VirtualClock();
    const reads: Array<[number, number, string]> = [];
    const s = new LiveSampler(m, [src], { clock, seed: 1, baseDir: '.', periodUs: P, onRead: (i, us, outcome) => reads.push([i, us, outcome]) });
    await s.start();
    const wait = s.begin(0);
    clock.now = 12_000;
    src.reads[0]?.resolve(20);
    await Promise.resolve();
    await Promise.resolve();
    await wait;
    s.fill(0);
    clock.now = P;
    await tick(s, 1); // times out at 30 ms
    clock.advance(5_000);
    src.reads[1]?.reject(new SensorFault('error', 'SPATIA_I2C_NACK', 'nack'));
    await Promise.resolve();
    expect(reads).toEqual([
      [0, 12_000, 'ok'],
      [0, 30_000, 'timeout'],
      [0, 35_000, 'error'],
    ]);
  });
});
