import type { ActionOutcome, ActionRunner, ActionJob } from './action-runner.js';

/** The `log` action: its rendered message goes into the event log's action record. */
export class LogRunner implements ActionRunner {
  run(job: ActionJob): Promise<ActionOutcome> {
    const m = job.request.action.model;
    const level = m.kind === 'log' ? m.level : 'info';
    return Promise.resolve({ status: 'ok', detail: { level, message: job.request.message ?? '' } });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
