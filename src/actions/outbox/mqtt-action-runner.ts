import { join } from 'node:path';
import type { JsonValue, MqttOutputModel } from '../../config/model.js';
import { SpatiaError } from '../../core/errors.js';
import type { ActionJob, ActionOutcome, ActionRunner } from '../action-runner.js';
import { type EnqueueResult, Outbox, type OutboxOptions } from './outbox.js';
import type { OutboxEvent } from './outbox-events.js';
import { defaultClientId, defaultStatusTopic } from './outbox-settings.js';

/** What the mqtt action runner of a run needs. */
export interface MqttActionRunnerOptions {
  /** outputs.mqtt. */
  readonly model: MqttOutputModel;
  /** runtime.state_dir: the outbox lives in `<stateDir>/outbox`. */
  readonly stateDir: string;
  /** The node's name in event_ids. Default: the client id. */
  readonly nodeId?: string;
  /** Outbox and transport records for the event log (add `t` and `tick`). */
  readonly onEvent: (event: OutboxEvent) => void;
  readonly onDrop?: OutboxOptions['onDrop'];
  readonly tuning?: OutboxOptions['tuning'];
  readonly deps?: OutboxOptions['deps'];
}

/**
 * Opens the outbox of `<stateDir>/outbox` for outputs.mqtt and returns the runner of `mqtt`
 * actions. The client id is `outputs.mqtt.client_id` or `spatia-<hostname>`; the status topic
 * `outputs.mqtt.status_topic` or `spatia/<client_id>/status`. Rejects with a SpatiaError
 * (SPATIA_RUNTIME) when the outbox directory cannot be opened.
 */
export async function createMqttActionRunner(opts: MqttActionRunnerOptions): Promise<MqttActionRunner> {
  const clientId = opts.model.clientId ?? defaultClientId();
  const dir = join(opts.stateDir, 'outbox');
  try {
    const outbox = await Outbox.open({
      connection: opts.model,
      dir,
      maxBytes: opts.model.outboxMaxBytes,
      clientId,
      nodeId: opts.nodeId ?? clientId,
      statusTopic: opts.model.statusTopic ?? defaultStatusTopic(clientId),
      onEvent: opts.onEvent,
      ...(opts.onDrop === undefined ? {} : { onDrop: opts.onDrop }),
      ...(opts.tuning === undefined ? {} : { tuning: opts.tuning }),
      ...(opts.deps === undefined ? {} : { deps: opts.deps }),
    });
    return new MqttActionRunner(outbox);
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new SpatiaError('SPATIA_RUNTIME', `cannot open the MQTT outbox ${dir} (${why}); check that the service user may write runtime.state_dir`);
  }
}

/**
 * Runs `mqtt` actions through the durable outbox: `run` resolves `ok` once the message is
 * fsynced (detail: topic, event_id, `queued: true`, and `dropped` when older messages made room
 * for it); publishing happens later, in order. A message handed to the outbox is not withdrawn
 * by an abort (it is milliseconds from durable and will be published); an abort before that
 * gives `failed`/`aborted`.
 */
export class MqttActionRunner implements ActionRunner {
  constructor(readonly outbox: Outbox) {}

  async run(job: ActionJob, signal: AbortSignal): Promise<ActionOutcome> {
    const model = job.request.action.model;
    if (model.kind !== 'mqtt') return failed('wrong kind', `the mqtt runner got a ${model.kind} action`, undefined);
    const topic = job.request.message ?? model.topic;
    if (signal.aborted) return failed('aborted', 'aborted before it was queued', topic);
    return outcomeOf(topic, await this.outbox.enqueue(topic, job.request.payload ?? model.payload, model.qos, model.retain));
  }

  /** Queues a publish that did not come from an mqtt action (a callback's `publish` command). */
  async publish(topic: string, payload: JsonValue, qos: 0 | 1 | 2 = 1, retain = false): Promise<ActionOutcome> {
    return outcomeOf(topic, await this.outbox.enqueue(topic, payload, qos, retain));
  }

  close(): Promise<void> {
    return this.outbox.close();
  }
}

function outcomeOf(topic: string, r: EnqueueResult): ActionOutcome {
  if (!r.ok) return failed(r.reason, r.error, topic);
  return { status: 'ok', detail: { topic, event_id: r.eventId, queued: true, ...(r.dropped > 0 ? { dropped: r.dropped } : {}) } };
}

function failed(reason: string, error: string, topic: string | undefined): ActionOutcome {
  return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason, error, ...(topic === undefined ? {} : { detail: { topic } }) };
}
