import { resolve } from 'node:path';
import type { MqttOutputModel, RuntimeModel } from './model.js';
import { bytes, duration, oneOf, rate, str, text, url } from './readers.js';
import { def, defaultsOf, opt, readObject, req, type Shape } from './schema.js';
import { checkMqttConnection, MQTT_SCHEMES, OUTPUTS_CONNECTION_SHAPE, topicName } from './schema-mqtt.js';
import { type At, isEmpty, report, valueAt } from './yaml-source.js';

/** The board profiles in hardware/boards/ (a test keeps this list equal to the files). */
export const BOARD_IDS = ['pi4', 'pi5', 'jetson-orin-nano', 'generic'] as const;

/** `runtime:` — how the tick loop runs and where it keeps its state. */
export const RUNTIME_SHAPE = {
  tick_rate: opt(rate, 'Tick rate such as `10 Hz` (bare number: Hz). Default 10 Hz. Not together with `tick`.'),
  tick: opt(duration({ positive: true }), 'Tick period such as `100ms`. Not together with `tick_rate`.'),
  state_dir: opt(
    str({ nonEmpty: true }),
    'Journal and checkpoint directory, relative to the config file. Default: $STATE_DIRECTORY, else ./.spatia.',
  ),
  checkpoint_every: def(duration({ positive: true }), 30_000_000, 'How often a checkpoint is written. Default 30s.'),
  initial: def(oneOf(['fire', 'skip'] as const), 'fire', 'Whether a condition true at the first tick rises (SPEC §4.5).'),
  resume_max_gap: def(duration(), 300_000_000, 'Longest downtime after which temporal state resumes. Default 5min.'),
  journal_sync_every: def(
    duration({ positive: true }),
    1_000_000,
    'Group commit of the journal: how often recorded input is written and fsynced (`spatia run` writes the event log of a tick once its input is durable). Default 1s.',
  ),
  journal_keep: def(duration(), 3_600_000_000, 'How much journal a checkpoint already covers is kept for `spatia replay` (at most 64MB of it). Default 1h.'),
  log_level: def(oneOf(['debug', 'info', 'warn', 'error'] as const), 'info', 'Least severe level of the diagnostic log (stderr, journald). Default info.'),
  mode: def(oneOf(['poll', 'event', 'auto'] as const), 'auto', 'Default evaluation mode of conditions and patterns.'),
  board: opt(oneOf(BOARD_IDS), 'Board profile: pi4, pi5, jetson-orin-nano or generic. Default: detected from /proc/device-tree/model.'),
} satisfies Shape;

const DEFAULT_TICK_US = 100_000;

/** Reads `runtime:`; an absent section gives every default. */
export function readRuntime(at: At | undefined): RuntimeModel | undefined {
  const empty = at === undefined || isEmpty(at);
  const v = empty ? defaultsOf(RUNTIME_SHAPE) : readObject(at, RUNTIME_SHAPE);
  if (v === undefined) return undefined;
  if (at !== undefined && v.tick_rate !== undefined && v.tick !== undefined) {
    const tick = valueAt(at, 'tick');
    if (tick !== undefined) report(tick, 'SPATIA_CONFIG_VALUE', 'write either tick_rate or tick, not both');
    return undefined;
  }
  return {
    tickUs: v.tick_rate ?? v.tick ?? DEFAULT_TICK_US,
    stateDir: v.state_dir === undefined || at === undefined ? undefined : resolve(at.src.baseDir, v.state_dir),
    checkpointEveryUs: v.checkpoint_every,
    initial: v.initial,
    resumeMaxGapUs: v.resume_max_gap,
    journalSyncEveryUs: v.journal_sync_every,
    journalKeepUs: v.journal_keep,
    logLevel: v.log_level,
    mode: v.mode,
    board: v.board,
  };
}

/** `outputs.mqtt:` — the broker the node publishes to, and its durable outbox. */
export const MQTT_OUTPUT_SHAPE = {
  url: req(url(MQTT_SCHEMES), 'Broker URL: mqtt://, mqtts://, ws:// or wss://.'),
  client_id: opt(
    text,
    'MQTT client id of the publishing connection (the outbox); also the node id in event_ids. mqtt sensors on this broker connect as <client_id>-sensors. ' +
      'Default: spatia-<hostname>.',
  ),
  outbox_max_bytes: def(
    bytes,
    64 * 1024 * 1024,
    'Size bound of the undelivered messages in the on-disk outbox (<state_dir>/outbox); when full, the oldest are dropped first (counted and logged). Default 64MB.',
  ),
  status_topic: opt(
    topicName,
    'Topic of the retained online/offline status of this node (offline is also the last will). Default spatia/<client_id>/status.',
  ),
  ...OUTPUTS_CONNECTION_SHAPE,
} satisfies Shape;

/** `outputs:` — where actions publish. */
export const OUTPUTS_SHAPE = {
  mqtt: opt(readMqttOutput, 'The MQTT broker used by mqtt actions and, by default, mqtt sensors.'),
} satisfies Shape;

function readMqttOutput(at: At): MqttOutputModel | undefined {
  const read = readObject(at, MQTT_OUTPUT_SHAPE);
  const v = read && checkMqttConnection(at, read.url, read);
  if (v === undefined) return undefined;
  return {
    url: v.url,
    clientId: v.client_id,
    outboxMaxBytes: v.outbox_max_bytes,
    statusTopic: v.status_topic,
    username: v.username,
    password: v.password,
    protocolVersion: v.protocol_version ?? 5,
    ca: v.ca,
    cert: v.cert,
    key: v.key,
  };
}

/** Reads `outputs:`; an absent section means no outputs. */
export function readOutputs(at: At | undefined): { mqtt: MqttOutputModel | undefined } | undefined {
  if (at === undefined || isEmpty(at)) return { mqtt: undefined };
  const v = readObject(at, OUTPUTS_SHAPE);
  return v === undefined ? undefined : { mqtt: v.mqtt };
}
