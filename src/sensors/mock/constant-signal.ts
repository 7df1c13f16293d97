import type { JsonValue } from '../../config/model.js';
import type { Frame, ReadStatus } from '../../core/frame.js';
import type { SampleTime } from './sample-time.js';
import type { Signal } from './signal.js';
import { writeValue } from './write-value.js';

/** `constant: V`: the same value at every time. Stateless. */
export class ConstantSignal implements Signal {
  constructor(private readonly value: JsonValue) {}

  valueAt(): JsonValue {
    return this.value;
  }

  writeTo(_at: SampleTime, frame: Frame, index: number): ReadStatus {
    return writeValue(this.value, frame, index);
  }

  snapshot(): null {
    return null;
  }

  restore(): void {
    // Stateless: nothing to restore.
  }
}
