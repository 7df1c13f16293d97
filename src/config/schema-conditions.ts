import type { LoadContext } from './load-context.js';
import type { ConditionModel } from './model.js';
import { duration, expr, id, listOf, oneOf } from './readers.js';
import { checkExpression } from './expr-check.js';
import { def, opt, readObject, req, type Reader, type Shape } from './schema.js';
import { readActions } from './schema-actions.js';
import { expressionText, posOf, valueAt } from './yaml-source.js';

/** One item of `conditions:`. Actions run on edges (SPEC §4.5). */
export function conditionShape(ctx: LoadContext) {
  return {
    id: req(id, 'The condition id; expressions may refer to it.'),
    when: req(expr, 'The condition expression.'),
    for: opt(duration(), 'Sugar for held(when, for): true once `when` has held this long.'),
    mode: opt(oneOf(['poll', 'event', 'auto'] as const), 'Evaluation mode. Default: runtime.mode.'),
    action_mode: def(
      oneOf(['single', 'queued', 'parallel', 'restart'] as const),
      'queued',
      'What a new edge does while the previous run of the actions is going. Default queued.',
    ),
    actions: def(readActions(ctx), [], 'Run once on each rising edge.'),
    on_falling: def(readActions(ctx), [], 'Run once on each falling edge.'),
  } satisfies Shape;
}

function readCondition(ctx: LoadContext): Reader<ConditionModel> {
  const shape = conditionShape(ctx);
  return (at) => {
    const v = readObject(at, shape);
    // Checked even when another key of this condition is wrong, so every problem shows at once.
    const whenAt = valueAt(at, 'when');
    const text = whenAt === undefined ? undefined : expressionText(whenAt);
    const whenOk =
      whenAt === undefined || text === undefined || text.text.trim() === '' ||
      checkExpression(whenAt, { text: text.text, pos: whenAt.src.posAt(text.offset, whenAt.path) }, ctx.ids);
    if (v === undefined || !whenOk) return undefined;
    return {
      id: v.id,
      when: v.when,
      forUs: v.for,
      mode: v.mode,
      actionMode: v.action_mode,
      actions: v.actions,
      onFalling: v.on_falling,
      pos: posOf(at),
    };
  };
}

/** `conditions:` — a list of conditions. */
export function readConditions(ctx: LoadContext): Reader<ConditionModel[]> {
  return listOf(readCondition(ctx), { what: 'a list of conditions' });
}
