import type { JsonValue } from '../config/model.js';
import type { CompiledAction } from '../core/graph-node.js';
import { stableJson } from '../persistence/config-hash.js';
import type { ActionJob } from './action-runner.js';

/**
 * A run of actions the dispatcher still owed when a checkpoint was taken, as plain JSON: the
 * actions are named by condition, edge and index (compiled actions do not survive a restart) and
 * carry their rendered message and payload, so they do after a restart what they would have done.
 */
export interface PendingRun {
  readonly condition: string;
  readonly edge: 'rising' | 'falling';
  /** Tick of the edge that caused the run. */
  readonly tick: number;
  /** Time of that edge, s. */
  readonly t: number;
  /** The edge record (with its inputs), as callbacks receive it. */
  readonly edgeRecord: Readonly<Record<string, unknown>>;
  readonly inputs: Readonly<Record<string, JsonValue>>;
  readonly jobs: ReadonlyArray<{
    readonly index: number;
    /** The action's definition as written (stable JSON): a changed action is not run. */
    readonly definition: string;
    readonly message: string | null;
    readonly payload: JsonValue | null;
  }>;
}

/** The compiled action `index` of a condition's rising (`actions`) or falling (`on_falling`) list. */
export type ResolveAction = (condition: string, edge: 'rising' | 'falling', index: number) => CompiledAction | undefined;

export function pendingRunOf(jobs: readonly ActionJob[], edge: 'rising' | 'falling', tick: number): PendingRun {
  const first = jobs[0] as ActionJob;
  return {
    condition: first.request.condition,
    edge,
    tick,
    t: first.request.t,
    edgeRecord: first.edge,
    inputs: first.inputs,
    jobs: jobs.map((j) => ({
      index: j.request.index,
      definition: stableJson(j.request.action.model),
      message: j.request.message ?? null,
      payload: j.request.payload ?? null,
    })),
  };
}

/** The jobs of a pending run under the current configuration, and why any were dropped. */
export function runJobsOf(p: PendingRun, resolve: ResolveAction): { jobs: ActionJob[]; dropped: string[] } {
  const jobs: ActionJob[] = [];
  const dropped: string[] = [];
  for (const j of p.jobs) {
    const action = resolve(p.condition, p.edge, j.index);
    if (action === undefined || stableJson(action.model) !== j.definition) {
      dropped.push(`restart: action ${j.index} of ${p.condition} (${p.edge}) was owed but the configuration no longer has it as it was`);
      continue;
    }
    jobs.push({
      request: { t: p.t, tick: p.tick, condition: p.condition, edge: p.edge, index: j.index, action, message: j.message ?? undefined, payload: j.payload ?? undefined },
      edge: p.edgeRecord,
      inputs: p.inputs,
    });
  }
  return { jobs, dropped };
}
