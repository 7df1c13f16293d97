import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/platform/logger.js';

let dir = '';
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'spatia-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function lines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('createLogger', () => {
  it('writes one JSON line per event, synchronously, with level names, ISO time, code and msg', () => {
    const file = join(dir, 'diag.log');
    const log = createLogger({ level: 'info', destination: file });
    log.warn('outbox full: dropped 12 messages', { code: 'SPATIA_OUTBOX_DROPPED', dropped: 12 });
    // No flush, no wait: the line is on disk when the call returns (a crash right after keeps it).
    const [line] = lines(file);
    expect(line).toEqual({ level: 'warn', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), code: 'SPATIA_OUTBOX_DROPPED', dropped: 12, msg: 'outbox full: dropped 12 messages' });
    // journald has pid and host already.
    expect(Object.keys(line ?? {})).not.toContain('pid');
    expect(Object.keys(line ?? {})).not.toContain('hostname');
  });

  it('keeps a multi-line message on one line', () => {
    const file = join(dir, 'diag.log');
    const log = createLogger({ level: 'debug', destination: file });
    log.error('first\nsecond');
    const text = readFileSync(file, 'utf8');
    expect(text.split('\n')).toHaveLength(2);
    expect(lines(file)[0]?.['msg']).toBe('first\nsecond');
  });

  it('drops lines below the configured level', () => {
    const file = join(dir, 'diag.log');
    const log = createLogger({ level: 'warn', destination: file });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines(file).map((l) => [l['level'], l['msg']])).toEqual([
      ['warn', 'w'],
      ['error', 'e'],
    ]);
    expect(log.level).toBe('warn');
    expect(log.isLevelEnabled('info')).toBe(false);
    expect(log.isLevelEnabled('error')).toBe(true);
  });

  it('serializes err with its message and stack, and carries child bindings', () => {
    const file = join(dir, 'diag.log');
    const log = createLogger({ level: 'debug', destination: file }).child({ component: 'sd-notify' });
    log.info('cannot send', { code: 'SPATIA_RUNTIME', err: new Error('ECONNREFUSED') });
    const [line] = lines(file);
    expect(line?.['component']).toBe('sd-notify');
    expect(line?.['code']).toBe('SPATIA_RUNTIME');
    expect(line?.['err']).toMatchObject({ type: 'Error', message: 'ECONNREFUSED', stack: expect.stringContaining('Error: ECONNREFUSED') });
  });

  it('writes to a given stream', () => {
    const chunks: string[] = [];
    const log = createLogger({ level: 'info', destination: { write: (s: string) => void chunks.push(s) } });
    log.info('hello');
    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0] ?? '')).toMatchObject({ level: 'info', msg: 'hello' });
  });
});
