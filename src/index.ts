/**
 * spatia's public TypeScript API. Build a deployment from YAML or from an object with the same
 * keys, then simulate it or run it live, with your own sources and action runners if you like.
 * See README, "TypeScript API".
 */
export { defineDeployment, loadDeployment, simulate, simulate$, type DeploymentSpec, type SimulateOptions } from './api/deployment.js';
export { Simulation, type SimulationOptions } from './runtime/simulation.js';
export { buildEngine } from './core/build-graph.js';
export { Engine, type ActionRequest, type StepResult } from './core/engine.js';
export { Frame, ReadStatus } from './core/frame.js';
export type { EventRecord } from './core/event-record.js';
export { formatRecord } from './core/event-record.js';
export { ConfigError, formatIssue, type ConfigIssue } from './config/issues.js';
export { loadConfigFile, loadConfigText } from './config/load.js';
export type * from './config/model.js';
export { ERROR_CODES, SpatiaError, type ErrorCode } from './core/errors.js';
export { LiveRun, type LiveRunOptions, type LiveSummary } from './runtime/live-run.js';
export { TickLoop, type TickLoopOptions, type TickTiming } from './runtime/tick-loop.js';
export type { Clock } from './platform/clock.js';
export { MonotonicClock } from './platform/monotonic-clock.js';
export { SensorFault, type LiveSource, type PolledSource, type PushSink, type PushSource, type TransportEvent } from './sensors/live/source.js';
export { createLiveSources, type LiveSources } from './sensors/live/create-source.js';
export { ActionDispatcher } from './actions/action-dispatcher.js';
export type { ActionCommand, ActionJob, ActionOutcome, ActionRunner } from './actions/action-runner.js';
