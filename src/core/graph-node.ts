import type { ActionModel, EvalMode, JsonValue } from '../config/model.js';
import type { TemporalOp } from '../conditions/temporal-op.js';
import type { RefFn, RunFn, ValueKind } from '../expr/compiled.js';
import type { Filter } from '../sensors/filters/filter.js';
import type { EdgeDetail } from './edge-inputs.js';

/** A text with `{expression}` placeholders, compiled once. */
export interface Template {
  /** Literal pieces; placeholders sit between them (parts.length === values.length + 1). */
  readonly parts: readonly string[];
  readonly values: ReadonlyArray<{
    readonly kind: ValueKind;
    readonly run: RunFn;
    readonly out: Float64Array;
    readonly at: number;
    readonly ref: RefFn | undefined;
  }>;
}

/** An action with its templates compiled. */
export interface CompiledAction {
  readonly model: ActionModel;
  /** log: the message. */
  readonly message: Template | undefined;
  /** mqtt / http: the payload with every string compiled as a template. */
  readonly payload: CompiledJson | undefined;
}

export type CompiledJson =
  | { readonly kind: 'literal'; readonly value: JsonValue }
  | { readonly kind: 'template'; readonly template: Template }
  | { readonly kind: 'array'; readonly items: readonly CompiledJson[] }
  | { readonly kind: 'object'; readonly entries: ReadonlyArray<readonly [string, CompiledJson]> };

/**
 * A computed node of the graph: a pattern (a value) or a condition (a truth value with edges).
 * Nodes are stored in topological order of their references, so evaluating them in array order
 * always reads this tick's values.
 */
export interface GraphNode {
  readonly id: string;
  readonly kind: 'pattern' | 'condition';
  readonly valueKind: ValueKind;
  readonly unit: string;
  readonly slot: number;
  /** Evaluates the node: numbers and booleans into `out[at]` (the no-op when it has a program). */
  readonly run: RunFn;
  /**
   * The node's flat program in the engine's {@link Programs} (its entry), or -1 when it runs on
   * its closures. A node with a program keeps its operators' state there: its `ops` are empty.
   */
  readonly program: number;
  readonly out: Float64Array;
  readonly at: number;
  /** Evaluates the node (strings and JSON), when valueKind is string or json. */
  readonly ref: RefFn | undefined;
  readonly ops: readonly TemporalOp[];
  readonly mode: Exclude<EvalMode, 'auto'>;
  /** Must run every tick whatever its inputs (age(), filter patterns). */
  readonly everyTick: boolean;
  /** Slots this node reads; a change in any of them wakes it in event mode. */
  readonly inputs: readonly number[];
  /** Filter patterns: the chain their input runs through. */
  readonly filters: readonly Filter[];
  /** Extra fields for this condition's edge records (the entities that entered a zone, ...). */
  readonly detail: EdgeDetail | undefined;
  readonly actions: readonly CompiledAction[];
  readonly onFalling: readonly CompiledAction[];
}
