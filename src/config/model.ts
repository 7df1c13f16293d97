/**
 * The validated deployment model: what the YAML loader (and the TypeScript API) produce, and what
 * the graph compiler consumes. Every duration is in integer microseconds; every node keeps the
 * source position of where it was declared so later stages can report `file:line:col path:`.
 *
 * Expressions stay as source text here (with the position of their first character); the
 * expression compiler parses, type-checks and resolves their references.
 */

/** A place in a source file. `line` and `col` are 1-based. */
export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** Dotted key path such as `conditions[2].when`. */
  readonly path: string;
}

/** An expression as written, plus where it starts. `pos.col` points at its first character. */
export interface ExprSource {
  readonly text: string;
  readonly pos: SourcePos;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type InitialMode = 'fire' | 'skip';
export type EvalMode = 'poll' | 'event' | 'auto';
export type ActionMode = 'single' | 'queued' | 'parallel' | 'restart';

export interface RuntimeModel {
  /**
   * Tick period in microseconds (from `tick_rate` or `tick`). Default 100_000 (10 Hz). Exact, so
   * possibly fractional (3 Hz: 333333.33...); tick times are rounded to 1 µs where they are used.
   */
  readonly tickUs: number;
  readonly stateDir: string | undefined;
  readonly checkpointEveryUs: number;
  readonly initial: InitialMode;
  readonly resumeMaxGapUs: number;
  /** Journal group commit interval (`journal_sync_every`). */
  readonly journalSyncEveryUs: number;
  /** Covered journal kept for replay (`journal_keep`). */
  readonly journalKeepUs: number;
  /** Least severe level of the diagnostic log. */
  readonly logLevel: LogLevel;
  /** Default evaluation mode for conditions and patterns without their own `mode`. */
  readonly mode: EvalMode;
  /** Board profile name (`pi4`, `pi5`, `jetson-orin-nano`) or undefined to detect. */
  readonly board: string | undefined;
}

export interface ZoneModel {
  readonly id: string;
  /** Outline in metres, counter-clockwise or not; a `rect` is stored as its four corners. */
  readonly polygon: ReadonlyArray<readonly [number, number]>;
  readonly shape: 'rect' | 'polygon';
  readonly height: readonly [number, number] | undefined;
  readonly parent: string | undefined;
  readonly pos: SourcePos;
}

/** Mock signals (SPEC §2). Times are microseconds since the run began. */
export type SignalModel =
  | { readonly kind: 'constant'; readonly value: number | boolean | string | JsonValue }
  | { readonly kind: 'steps'; readonly steps: ReadonlyArray<readonly [number, JsonValue]> }
  | { readonly kind: 'sine'; readonly mean: number; readonly amplitude: number; readonly periodUs: number; readonly phaseUs: number }
  | { readonly kind: 'square'; readonly low: number; readonly high: number; readonly periodUs: number; readonly duty: number }
  | { readonly kind: 'random_walk'; readonly start: number; readonly step: number; readonly min: number; readonly max: number }
  | { readonly kind: 'csv'; readonly path: string; readonly timeColumn: string; readonly valueColumn: string }
  | { readonly kind: 'paths'; readonly paths: Readonly<Record<string, ReadonlyArray<readonly [number, number, number]>>> };

export interface FaultModel {
  readonly atUs: number;
  readonly forUs: number;
  readonly mode: 'timeout' | 'error' | 'nan';
}

export interface SignalSpec {
  readonly signal: SignalModel;
  readonly faults: readonly FaultModel[];
  readonly pos: SourcePos;
}

/** Sensor filters, applied in order to each good numeric reading. */
export type FilterModel =
  | { readonly kind: 'moving_average'; readonly windowUs: number | undefined; readonly samples: number | undefined }
  | { readonly kind: 'exponential_moving_average'; readonly alpha: number }
  | { readonly kind: 'median'; readonly windowUs: number | undefined; readonly samples: number | undefined }
  | { readonly kind: 'clamp'; readonly min: number; readonly max: number }
  | { readonly kind: 'calibrate_linear'; readonly slope: number; readonly offset: number }
  | { readonly kind: 'delta'; readonly minChange: number }
  | { readonly kind: 'throttle'; readonly intervalUs: number }
  | { readonly kind: 'timeout'; readonly afterUs: number; readonly value: number | undefined };

export type SensorKind = 'gpio' | 'i2c' | 'serial' | 'mqtt' | 'mock' | 'entities';
export type ValueType = 'number' | 'boolean' | 'string' | 'json';

export interface SensorModel {
  readonly id: string;
  readonly kind: SensorKind;
  /** Declared value type: `type:` key, else boolean for gpio, json for entities, number otherwise. */
  readonly valueType: ValueType;
  readonly quantity: string | undefined;
  /** Unit as written (`degC`, `ppm`, ...), undefined when dimensionless or not a number. */
  readonly unit: string | undefined;
  readonly location: readonly [number, number] | readonly [number, number, number] | undefined;
  /** Undefined means every tick. */
  readonly sampleEveryUs: number | undefined;
  readonly timeoutUs: number | undefined;
  /** Undefined means the default (see README: 3 sample periods). */
  readonly staleAfterUs: number | undefined;
  readonly filters: readonly FilterModel[];
  /** For `mock`: its signal. For other kinds: `sim.signal`, used by `spatia sim`. */
  readonly sim: SignalSpec | undefined;
  /** Kind-specific keys (pin, bus, address, topic, ...) with their validated values. */
  readonly hardware: Readonly<Record<string, unknown>>;
  readonly pos: SourcePos;
}

export type ActionModel =
  | { readonly kind: 'log'; readonly message: string; readonly level: 'info' | 'warn' | 'error'; readonly pos: SourcePos }
  | { readonly kind: 'mqtt'; readonly topic: string; readonly payload: JsonValue; readonly qos: 0 | 1 | 2; readonly retain: boolean; readonly pos: SourcePos }
  /** `safe`: the pin's level at start and on shutdown, the same on every gpio action of the pin. */
  | { readonly kind: 'gpio'; readonly pin: number; readonly value: 0 | 1; readonly chip: string | undefined; readonly safe: 0 | 1; readonly pos: SourcePos }
  | { readonly kind: 'callback'; readonly module: string; readonly exportName: string; readonly timeoutUs: number; readonly pos: SourcePos }
  | { readonly kind: 'http'; readonly url: string; readonly body: JsonValue; readonly headers: Readonly<Record<string, string>>; readonly timeoutUs: number; readonly retries: number; readonly pos: SourcePos };

export interface PatternModel {
  readonly id: string;
  /** `expr` (value: expression), `filter` (input: expression + filters); more kinds later. */
  readonly kind: string;
  readonly mode: EvalMode | undefined;
  readonly unit: string | undefined;
  /** For `expr`: the value expression. For `filter`: the input expression. */
  readonly expr: ExprSource | undefined;
  readonly filters: readonly FilterModel[];
  /** Remaining kind-specific keys (zone, quantity, ...) for pattern kinds added later. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly pos: SourcePos;
}

export interface ConditionModel {
  readonly id: string;
  readonly when: ExprSource;
  /** `for:` sugar: the condition becomes held(when, for). */
  readonly forUs: number | undefined;
  readonly mode: EvalMode | undefined;
  readonly actionMode: ActionMode;
  readonly actions: readonly ActionModel[];
  readonly onFalling: readonly ActionModel[];
  readonly pos: SourcePos;
}

/**
 * How to reach an MQTT broker. Secrets are already resolved (`!secret`, `${ENV}`): never put
 * `password` (or a URL, which may carry credentials) into a message or a log.
 */
export interface MqttConnectionModel {
  readonly url: string;
  readonly clientId: string | undefined;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** 5 (MQTT 5) or 4 (MQTT 3.1.1). */
  readonly protocolVersion: 4 | 5;
  /** Absolute paths of PEM files, for mqtts:// and wss:// only. */
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
}

export interface MqttOutputModel extends MqttConnectionModel {
  readonly outboxMaxBytes: number;
  /** Topic of the node's retained `online`/`offline` status; undefined: `spatia/<client_id>/status`. */
  readonly statusTopic: string | undefined;
}

export interface DeploymentModel {
  readonly version: 1;
  /** Path of the YAML file, or `<api>` for graphs built in TypeScript. */
  readonly file: string;
  readonly runtime: RuntimeModel;
  readonly zones: readonly ZoneModel[];
  readonly sensors: readonly SensorModel[];
  readonly patterns: readonly PatternModel[];
  readonly conditions: readonly ConditionModel[];
  readonly outputs: { readonly mqtt: MqttOutputModel | undefined };
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
