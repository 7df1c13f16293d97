import { asRecord, num, type TemporalOp } from './temporal-op.js';

/**
 * hysteresis(x, low, high): becomes true when x >= high, false when x <= low, and otherwise keeps
 * its previous value (initially false). While x is unknown the result is unknown and the state is
 * kept, so an alarm does not stay latched on a sensor that vanished.
 */
export class HysteresisOp implements TemporalOp {
  private on = 0;

  eval(x: number, low: number, high: number): number {
    if (x !== x || low !== low || high !== high) return NaN;
    if (x >= high) this.on = 1;
    else if (x <= low) this.on = 0;
    return this.on;
  }

  nextDue(): number {
    return Infinity;
  }

  snapshot(): unknown {
    return { on: this.on };
  }

  restore(state: unknown): void {
    this.on = num(asRecord(state), 'on');
  }

  reset(): void {
    this.on = 0;
  }
}
