import type { ErrorCode } from '../core/errors.js';
import type { SourcePos } from './model.js';

/** One problem found in a configuration. `warning`s do not make the file invalid. */
export interface ConfigIssue {
  readonly code: ErrorCode;
  readonly pos: SourcePos;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Collects every problem of a configuration in one pass, instead of stopping at the first. */
export class IssueList {
  readonly items: ConfigIssue[] = [];

  error(code: ErrorCode, pos: SourcePos, message: string): void {
    this.items.push({ code, pos, message, severity: 'error' });
  }

  warn(code: ErrorCode, pos: SourcePos, message: string): void {
    this.items.push({ code, pos, message, severity: 'warning' });
  }

  get hasErrors(): boolean {
    return this.items.some((i) => i.severity === 'error');
  }

  /** Sorted by file position, so the output reads top to bottom. */
  sorted(): ConfigIssue[] {
    return [...this.items].sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  }
}

/** `file:line:col path: message` — the format `spatia validate` prints. */
export function formatIssue(issue: ConfigIssue): string {
  const p = issue.pos;
  const sev = issue.severity === 'warning' ? 'warning: ' : '';
  return `${p.file}:${p.line}:${p.col} ${p.path}: ${sev}${issue.message} [${issue.code}]`;
}

/** Thrown by the loader and compiler when a configuration has errors; carries all of them. */
export class ConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(issues.map(formatIssue).join('\n'));
    this.name = 'ConfigError';
    this.issues = issues;
  }
}
