import { dirname } from 'node:path';
import type { ActionCommand, ActionJob, ActionOutcome, ActionRunner } from '../actions/action-runner.js';
import { createCallbackRunner } from '../actions/callbacks/callback-runner.js';
import { GpioActionRunner } from '../actions/gpio/gpio-action-runner.js';
import { GpioOutputs, type GpioOutputReport } from '../actions/gpio/gpio-outputs.js';
import { HttpActionRunner } from '../actions/http/http-action-runner.js';
import { createMqttActionRunner, type MqttActionRunner } from '../actions/outbox/mqtt-action-runner.js';
import type { OutboxStats } from '../actions/outbox/outbox.js';
import type { ActionModel, DeploymentModel } from '../config/model.js';

/** A record for the log, without `t` and `tick` (stamped when the next tick writes it). */
export type LiveEvent = Readonly<Record<string, unknown>> & { readonly type: string };

export interface LiveActionsDeps {
  /** The board's header chip labels (gpio outputs without `chip:`). */
  readonly headerChipLabels: readonly string[];
  /** Health of outputs, for the log. */
  readonly onEvent: (e: LiveEvent) => void;
  /** The run's state directory (the mqtt outbox lives in `<stateDir>/outbox`). */
  readonly stateDir: string;
}

/** The action runners of one `spatia run`, and how a callback's commands are carried out. */
export interface LiveActions {
  readonly runners: Partial<Record<ActionModel['kind'], ActionRunner>>;
  readonly command: (c: ActionCommand, job: ActionJob) => Promise<ActionOutcome>;
  /** Drives outputs to their safe levels before the first tick. */
  start(): Promise<void>;
  /** The outbox's counters, when outputs.mqtt is configured (/status). */
  outboxStats(): OutboxStats | undefined;
}

function outputRecord(r: GpioOutputReport): LiveEvent {
  const e: Record<string, unknown> = { type: 'output', output: 'gpio', pin: r.pin, status: r.status, level: r.level, safe: r.safe };
  if (r.line !== undefined) e['line'] = r.line;
  if (r.code !== undefined) e['code'] = r.code;
  if (r.error !== undefined) e['error'] = r.error;
  return e as LiveEvent;
}

/**
 * Builds the runners of the action kinds this run uses: one place that wires the action ports
 * (the dispatcher closes them at shutdown, which puts every gpio line back to safe).
 */
export async function createLiveActions(model: DeploymentModel, deps: LiveActionsDeps): Promise<LiveActions> {
  const uses = new Set(model.conditions.flatMap((c) => [...c.actions, ...c.onFalling].map((a) => a.kind)));
  const runners: Partial<Record<ActionModel['kind'], ActionRunner>> = {};
  let gpio: GpioActionRunner | undefined;
  if (uses.has('gpio')) {
    gpio = new GpioActionRunner(GpioOutputs.fromModel(model, { headerChipLabels: deps.headerChipLabels, onReport: (r) => deps.onEvent(outputRecord(r)) }));
    runners.gpio = gpio;
  }
  if (uses.has('http')) runners.http = new HttpActionRunner();
  const callbacks = uses.has('callback') ? createCallbackRunner({ baseDir: model.file === '<api>' ? process.cwd() : dirname(model.file) }) : undefined;
  if (callbacks !== undefined) runners.callback = callbacks;
  // The outbox serves mqtt actions and callbacks' publish commands; it keeps the node's
  // online/offline status whenever outputs.mqtt is configured.
  let mqtt: MqttActionRunner | undefined;
  if (model.outputs.mqtt !== undefined) {
    mqtt = await createMqttActionRunner({ model: model.outputs.mqtt, stateDir: deps.stateDir, onEvent: (e) => deps.onEvent(e as LiveEvent) });
    runners.mqtt = mqtt;
  }
  const command = (c: ActionCommand): Promise<ActionOutcome> => {
    if ('gpio' in c) {
      if (gpio === undefined) return Promise.resolve(refused('gpio', 'no gpio action declares an output line, so none has a safe level'));
      return gpio.command(c.gpio);
    }
    if ('log' in c) return Promise.resolve({ status: 'ok', detail: { level: c.log.level ?? 'info', message: c.log.message } });
    if (mqtt === undefined) return Promise.resolve(refused('publish', 'outputs.mqtt is not configured'));
    const p = c.publish;
    return mqtt.publish(p.topic, p.payload, p.qos ?? 1, p.retain ?? false);
  };
  return {
    runners,
    command,
    outboxStats: () => mqtt?.outbox.stats(),
    start: async () => {
      // Workers start now, so the first edge does not wait for them.
      callbacks?.warm();
      if (gpio !== undefined) await gpio.outputs.start();
    },
  };
}

function refused(what: string, why: string): ActionOutcome {
  return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'undeclared', error: `${what} command refused: ${why}` };
}
