import type { IdRegistry } from './ids.js';

/** What readers of one section need to know about the rest of the deployment. */
export interface LoadContext {
  /** Every declared id, collected before any section is validated. */
  readonly ids: IdRegistry;
  /** True when `outputs.mqtt` is written (mqtt actions need it). */
  readonly hasMqttOutput: boolean;
  /** `outputs.mqtt.url` as written, the default broker of mqtt sensors; undefined if absent. */
  readonly mqttUrl: string | undefined;
}
