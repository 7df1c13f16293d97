import type { DeploymentModel } from '../config/model.js';
import { Explainer, withExplainParts } from '../runtime/explain.js';
import type { CliIo } from './cli-io.js';
import { UsageError } from './exit-codes.js';

/** The `--explain ID [--explain-window N]` options of `sim` and `run`, for node:util parseArgs. */
export const EXPLAIN_OPTIONS = {
  explain: { type: 'string' },
  'explain-window': { type: 'string' },
} as const;

export interface ExplainArgs {
  readonly explain: string | undefined;
  readonly explainWindow: number;
}

/** Reads the parsed options; throws a UsageError for a bad window. */
export function explainArgs(values: { explain?: string | undefined; 'explain-window'?: string | undefined }): ExplainArgs {
  const explainWindow = values['explain-window'] === undefined ? 5 : Number(values['explain-window']);
  if (!Number.isSafeInteger(explainWindow) || explainWindow < 0) throw new UsageError('--explain-window must be a whole number of ticks');
  return { explain: values.explain, explainWindow };
}

/**
 * The model to run (with the explained condition's parts added) and the explainer printing to
 * stderr, or an error message when ID is not a condition.
 */
export function setUpExplain(model: DeploymentModel, a: ExplainArgs, io: CliIo): { model: DeploymentModel; explainer: Explainer | undefined } | { error: string } {
  if (a.explain === undefined) return { model, explainer: undefined };
  try {
    const x = withExplainParts(model, a.explain);
    return { model: x.model, explainer: new Explainer(a.explain, x.parts, (text) => io.err(text.trimEnd()), a.explainWindow) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}
