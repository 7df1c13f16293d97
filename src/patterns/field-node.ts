import { ExprError } from '../expr/ast.js';
import { READY, type Compiled, type RefFn, type RunFn } from '../expr/compiled.js';
import type { Unit } from '../expr/units.js';

/** A numeric field of a multi-field pattern (a queue's length, an occupancy percentage). */
export interface NumericField {
  readonly name: string;
  readonly unit: Unit;
}

/**
 * A pattern whose value is several named fields (zone aggregates aside): `run()` computes the
 * fields and bumps `version` when any changed, so the pattern's node wakes its readers; readers
 * take each field from `numbers` (or `refs` for JSON fields) after the node ran this tick.
 */
export class FieldNode {
  readonly numbers: Float64Array;
  private readonly previous: Float64Array;
  /** [version]: a typed array, so the tick stores no double in an object field. */
  readonly version = new Float64Array(1);
  readonly run: RunFn;
  readonly refs = new Map<string, RefFn>();

  constructor(
    readonly id: string,
    readonly fields: readonly NumericField[],
    compute: (out: Float64Array) => void,
    /** Whether a JSON field changed this run (numbers are compared here). */
    refsChanged: () => boolean = () => false,
  ) {
    this.numbers = new Float64Array(fields.length).fill(NaN);
    this.previous = new Float64Array(fields.length).fill(NaN);
    const { numbers, previous, version } = this;
    this.run = () => {
      compute(numbers);
      let changed = refsChanged();
      for (let f = 0; f < numbers.length; f++) {
        const a = numbers[f] as number;
        const b = previous[f] as number;
        if (a !== b && (a === a || b === b)) changed = true;
        previous[f] = a;
      }
      if (changed) version[0] = (version[0] as number) + 1;
    };
  }

  /** The node's own value: its change counter. */
  value(unit: Unit): Compiled {
    return { kind: 'number', unit, run: this.run, out: this.version, at: 0, ref: undefined, stateful: false, constant: undefined, literal: false };
  }

  /** One field as an operand. */
  field(name: string, at: number): Compiled {
    const ref = this.refs.get(name);
    const base = { stateful: false, constant: undefined, literal: false, run: READY, out: this.numbers } as const;
    if (ref !== undefined) return { ...base, kind: 'json', unit: { name: '', absTemp: false, display: '' }, at: 0, ref };
    const k = this.fields.findIndex((f) => f.name === name);
    if (k < 0) {
      const all = [...this.fields.map((f) => f.name), ...this.refs.keys()].join(', ');
      throw new ExprError(at, `${this.id} has no field "${name}"; it has ${all}`, 'reference');
    }
    return { ...base, kind: 'number', unit: (this.fields[k] as NumericField).unit, at: k, ref: undefined };
  }
}
