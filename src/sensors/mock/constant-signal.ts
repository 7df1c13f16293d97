import type { JsonValue } from '../../config/model.js';
import type { Signal } from './signal.js';

/** `constant: V`: the same value at every time. Stateless. */
export class ConstantSignal implements Signal {
  constructor(private readonly value: JsonValue) {}

  valueAt(): JsonValue {
    return this.value;
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
