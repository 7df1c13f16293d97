import pino from 'pino';
import type { LogLevel } from '../config/model.js';
import type { ErrorCode } from '../core/errors.js';

/** Extra fields of one log line. `code` names the registered error; `err` is serialized with its stack. */
export interface LogFields {
  readonly code?: ErrorCode;
  readonly err?: unknown;
  readonly [key: string]: unknown;
}

/**
 * spatia's diagnostic log (not the event log, which is stdout or `--out`): one JSON object per
 * line, `{"level":"warn","time":"...",...fields,"msg":"..."}`, for journald and `journalctl -o
 * cat`. Each call has written its line when it returns, so the line before a crash is kept.
 */
export interface Logger {
  readonly level: LogLevel;
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  isLevelEnabled(level: LogLevel): boolean;
  /** A logger whose lines all carry `bindings` (such as `{component: 'outbox'}`). */
  child(bindings: Readonly<Record<string, unknown>>): Logger;
}

/** Where the lines go: a file descriptor (default 2, stderr), a file path (appended), or a stream. */
export interface LoggerOptions {
  /** The least severe level written (`runtime.log_level`). */
  readonly level: LogLevel;
  readonly destination?: number | string | pino.DestinationStream;
}

/** Creates the diagnostic logger. */
export function createLogger(opts: LoggerOptions): Logger {
  const dest = opts.destination ?? 2;
  // sync: a buffered write would lose the last lines before a crash or process.exit; the
  // diagnostic log is a few lines a minute, so blocking writes cost nothing.
  const stream = typeof dest === 'number' || typeof dest === 'string' ? pino.destination({ dest, sync: true }) : dest;
  const base = pino(
    {
      level: opts.level,
      // journald records pid, host and its own timestamp; the ISO time still helps when stderr
      // goes to a file. Level names, not pino's numbers, so `journalctl | grep warn` works.
      base: null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  return wrap(base, opts.level);
}

function wrap(p: pino.Logger, level: LogLevel): Logger {
  const at =
    (method: LogLevel) =>
    (msg: string, fields?: LogFields): void => {
      if (fields === undefined) p[method](msg);
      else p[method](fields, msg);
    };
  return {
    level,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    isLevelEnabled: (l) => p.isLevelEnabled(l),
    child: (bindings) => wrap(p.child(bindings), level),
  };
}
