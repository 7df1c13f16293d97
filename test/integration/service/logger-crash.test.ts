/** The diagnostic logger loses no line when the process is killed right after writing it. */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transpileForChild } from '../persistence/transpile-for-child.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = 'test/integration/service/fixtures/log-crash-child.ts';
let work = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'spatia-log-crash-'));
  transpileForChild(ROOT, [FIXTURE], work);
  writeFileSync(join(work, 'package.json'), '{"type":"module"}\n');
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('createLogger on stderr', () => {
  it('has written every line, the last included, when SIGKILL ends the process', async () => {
    const child = spawn(process.execPath, [join(work, FIXTURE.replace(/\.ts$/, '.js'))], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('close', (_code, s) => resolve(s)));
    expect(signal).toBe('SIGKILL');
    const lines = stderr.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(501);
    expect(lines.at(-1)).toMatchObject({ level: 'error', code: 'SPATIA_RUNTIME', msg: 'the last line before the crash' });
  });
});
