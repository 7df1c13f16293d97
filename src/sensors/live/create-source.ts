import type { DeploymentModel, SensorModel } from '../../config/model.js';
import type { Clock } from '../../platform/clock.js';
import { resolveBoard } from '../../platform/board-profiles.js';
import { createGpioSource } from '../gpio/create-gpio-source.js';
import { SysfsGpioBackend } from '../gpio/sysfs-gpio-backend.js';
import { I2cBuses } from '../i2c/i2c-buses.js';
import { createI2cSource } from '../i2c/i2c-source.js';
import { createMqttSource } from '../mqtt/create-mqtt-source.js';
import { MqttConnections } from '../mqtt/mqtt-connections.js';
import { createSerialEntitiesSource, createSerialSource } from '../serial/create-serial-source.js';
import type { LiveSource } from './source.js';

export interface LiveSourceDeps {
  readonly clock: Clock;
  /** The board's header GPIO chip labels (see headerChipsOf). */
  readonly headerChipLabels: readonly string[];
}

/** The live sources of one run, and what they share (bus locks, broker connections). */
export interface LiveSources {
  readonly sourceFor: (sensor: SensorModel, index: number) => LiveSource | undefined;
  /** Closes what the sources share (after the sources themselves are closed). */
  close(): Promise<void>;
}

/**
 * Builds the real hardware sources of a deployment: the one place that wires the ports to the
 * runtime. Sensors that play a signal in `run` (`kind: mock`, entities from `sim`) get none.
 */
export function createLiveSources(model: DeploymentModel, deps: LiveSourceDeps): LiveSources {
  const board = deps.headerChipLabels;
  const gpioBackend = new SysfsGpioBackend();
  // One per run: every sensor on a bus shares its lock and each chip's measurement.
  const buses = new I2cBuses();
  // One per run: sensors with the same broker settings share one connection.
  const connections = new MqttConnections({ outputs: model.outputs.mqtt });
  const sourceFor = (s: SensorModel): LiveSource | undefined => {
    switch (s.kind) {
      case 'gpio':
        return createGpioSource(s, { headerChipLabels: board, backend: gpioBackend });
      case 'i2c':
        return createI2cSource(s, { buses });
      case 'serial':
        return createSerialSource(s);
      case 'mqtt':
        return createMqttSource(s, { connections });
      case 'entities':
        if (s.hardware['source'] === 'serial') return createSerialEntitiesSource(s);
        if (s.hardware['source'] === 'mqtt') return createMqttSource(s, { connections });
        return undefined;
      case 'mock':
        return undefined;
    }
  };
  return {
    sourceFor,
    close: async () => {
      await Promise.all([buses.close(), connections.close()]);
    },
  };
}

/**
 * The board's header chip labels, for gpio sensors and outputs without `chip:`. A run on an
 * unknown board still runs (its gpio lines then need `chip:`).
 */
export async function headerChipsOf(model: DeploymentModel, log: (line: string) => void, root = '/'): Promise<readonly string[]> {
  try {
    const choice = await resolveBoard(model.runtime.board, root);
    log(`board: ${choice.profile.id} (${choice.source}${choice.model === undefined ? '' : `, model "${choice.model}"`})`);
    return choice.profile.gpio.headerChips;
  } catch (err) {
    log(`board: ${err instanceof Error ? err.message : String(err)}; gpio lines need an explicit chip`);
    return [];
  }
}
