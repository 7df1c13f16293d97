import type { DeploymentModel } from '../../config/model.js';
import { SpatiaError } from '../../core/errors.js';
import type { GpioLevel } from '../../sensors/gpio/gpio-backend.js';

/** One output line the deployment drives: every gpio action naming the same `pin` and `chip` shares it. */
export interface GpioOutputPin {
  /** Line offset on the chip (the BCM number on a Pi's header chip). */
  readonly pin: number;
  /** `chip:` as written; undefined means the board's header chip. */
  readonly chip: string | undefined;
  /** The level driven at start and on shutdown. */
  readonly safe: GpioLevel;
  /** The actions that drive it, for messages: `conditions[0].actions[2] (lobby_hot)`. */
  readonly drivenBy: readonly string[];
}

/** How a pin is looked up: the pin and the chip as written. */
export function gpioPinKey(pin: number, chip: string | undefined): string {
  return chip === undefined ? String(pin) : `${pin}@${chip}`;
}

/** `pin 27`, or `pin 27 of chip pinctrl-rp1`. */
export function describePin(pin: number, chip: string | undefined): string {
  return chip === undefined ? `pin ${pin}` : `pin ${pin} of chip ${chip}`;
}

/**
 * Every output line driven by the gpio actions of `model`, in declaration order. The YAML loader
 * already refuses two `safe` levels for one pin; a model built in TypeScript is checked here, and
 * such a conflict throws a SpatiaError (SPATIA_CONFIG_VALUE) naming both actions.
 */
export function collectGpioOutputPins(model: DeploymentModel): GpioOutputPin[] {
  const pins = new Map<string, { pin: number; chip: string | undefined; safe: GpioLevel; drivenBy: string[] }>();
  for (const condition of model.conditions) {
    for (const action of [...condition.actions, ...condition.onFalling]) {
      if (action.kind !== 'gpio') continue;
      const key = gpioPinKey(action.pin, action.chip);
      const where = `${action.pos.path} (${condition.id})`;
      const known = pins.get(key);
      if (known === undefined) {
        pins.set(key, { pin: action.pin, chip: action.chip, safe: action.safe, drivenBy: [where] });
        continue;
      }
      if (known.safe !== action.safe) {
        throw new SpatiaError(
          'SPATIA_CONFIG_VALUE',
          `gpio ${describePin(action.pin, action.chip)} has safe: ${known.safe} at ${known.drivenBy[0] ?? '?'} and safe: ${action.safe} at ${where}: a pin has one safe level`,
        );
      }
      known.drivenBy.push(where);
    }
  }
  return [...pins.values()];
}
