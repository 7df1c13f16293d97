import type { SensorModel } from '../../../../src/config/model.js';
import { sensorModel } from '../../../helpers/sensor-model.js';
import { FakeI2cBus } from '../../../../src/sensors/i2c/fake/fake-i2c-bus.js';
import { I2cBuses } from '../../../../src/sensors/i2c/i2c-buses.js';
import type { I2cPolicy } from '../../../../src/sensors/i2c/i2c-policy.js';
import { createI2cSource } from '../../../../src/sensors/i2c/i2c-source.js';
import type { PolledSource } from '../../../../src/sensors/live/source.js';
import { VirtualTimers } from './virtual-timers.js';

/** An i2c SensorModel as the loader produces it. */
export function i2cSensor(id: string, hardware: Record<string, unknown>, unit?: string): SensorModel {
  return sensorModel({ id, kind: 'i2c', unit, hardware, pos: { file: 'test.yaml', line: 1, col: 1, path: `sensors.${id}` } });
}

/** A registry over fake buses (bus N -> buses[N], created on demand) on virtual time. */
export class Rig {
  readonly timers = new VirtualTimers();
  readonly fakes = new Map<number, FakeI2cBus>();
  /** Bus numbers in the order they were opened (reopens included). */
  readonly opened: number[] = [];
  /** Set to make the next opens of a bus fail with this errno. */
  openError: string | undefined;
  readonly buses: I2cBuses;

  constructor(policy: Partial<I2cPolicy> = {}) {
    this.buses = new I2cBuses({
      timers: this.timers,
      policy,
      openBus: (n) => {
        this.opened.push(n);
        if (this.openError !== undefined) return Promise.reject(Object.assign(new Error(`open: ${this.openError}`), { code: this.openError }));
        return Promise.resolve(this.bus(n));
      },
    });
  }

  bus(n = 1): FakeI2cBus {
    let bus = this.fakes.get(n);
    if (bus === undefined || bus.closed) {
      const previous = bus;
      bus = new FakeI2cBus(() => this.timers.nowMs());
      // A reopened bus keeps its devices, as the hardware does.
      if (previous !== undefined) for (const [address, device] of previous.attached()) bus.attach(address, device);
      this.fakes.set(n, bus);
    }
    return bus;
  }

  source(id: string, hardware: Record<string, unknown>, unit?: string): PolledSource {
    return createI2cSource(i2cSensor(id, { bus: 1, ...hardware }, unit), { buses: this.buses });
  }

  run<T>(p: Promise<T>): Promise<T> {
    return this.timers.run(p);
  }
}
