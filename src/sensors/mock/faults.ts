import type { FaultModel } from '../../config/model.js';
import type { SampleTime } from './sample-time.js';

export type FaultMode = FaultModel['mode'];

/**
 * A signal's `faults: [{at, for, mode}]`. A fault is active for `atUs <= tUs < atUs + forUs`
 * (start inclusive, end exclusive, so back-to-back faults do not overlap). Where active faults
 * overlap, the earliest declared wins. Stateless: the schedule is a function of time.
 */
export class FaultSchedule {
  private readonly startUs: Float64Array;
  private readonly endUs: Float64Array;
  private readonly modes: FaultMode[];

  constructor(faults: readonly FaultModel[]) {
    this.startUs = Float64Array.from(faults, (f) => f.atUs);
    this.endUs = Float64Array.from(faults, (f) => f.atUs + f.forUs);
    this.modes = faults.map((f) => f.mode);
  }

  /** The mode of the fault active at `at[0]`, or undefined when none is. */
  modeAt(at: SampleTime): FaultMode | undefined {
    // Linear in the number of faults, which is a handful per sensor; no allocation.
    const tUs = at[0] as number;
    for (let i = 0; i < this.modes.length; i++) {
      if ((this.startUs[i] as number) <= tUs && tUs < (this.endUs[i] as number)) return this.modes[i];
    }
    return undefined;
  }
}
