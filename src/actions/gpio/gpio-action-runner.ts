import type { ActionCommand, ActionJob, ActionOutcome, ActionRunner } from '../action-runner.js';
import type { GpioOutputs } from './gpio-outputs.js';

/**
 * Runs `gpio` actions (SPEC §7) over the run's {@link GpioOutputs}: drives the action's pin to its
 * `value`. Outcome detail: `{pin, value, line: 'gpio588'}`; failures carry the GPIO codes
 * (SPATIA_GPIO_PERMISSION, SPATIA_GPIO_CHIP, SPATIA_GPIO_NO_SYSFS, SPATIA_SENSOR_DISCONNECTED, ...)
 * with reasons `permission`, `chip`, `no sysfs`, `disconnected`, `io`.
 *
 * The runner owns the outputs: `close()` drives every line back to its safe level and releases it,
 * so close it after the last action (and the last callback command) has finished.
 */
export class GpioActionRunner implements ActionRunner {
  constructor(readonly outputs: GpioOutputs) {}

  async run(job: ActionJob, signal: AbortSignal): Promise<ActionOutcome> {
    const m = job.request.action.model;
    if (m.kind !== 'gpio') {
      return { status: 'failed', code: 'SPATIA_ACTION_FAILED', reason: 'unavailable', error: `the gpio runner was given a ${m.kind} action` };
    }
    return this.outputs.set(m.pin, m.chip, m.value, signal);
  }

  /**
   * Carries out a callback's `{gpio: {pin, value, chip?}}` command on a line some gpio action
   * declares; any other pin is refused (reason `undeclared`), since it has no safe level.
   */
  command(command: Extract<ActionCommand, { gpio: unknown }>['gpio'], signal?: AbortSignal): Promise<ActionOutcome> {
    return this.outputs.command(command, signal);
  }

  async close(): Promise<void> {
    await this.outputs.close();
  }
}
