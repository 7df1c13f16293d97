import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withReference } from '../../src/config/reference.js';
import { ERROR_CODES } from '../../src/core/errors.js';

const readme = readFileSync('README.md', 'utf8');

describe('README stays true', () => {
  it('documents every configuration key the loader accepts (run `npm run docs` after a schema change)', () => {
    expect(withReference(readme)).toBe(readme);
  });

  it('lists exactly the registered error codes, with their meaning', () => {
    const section = readme.slice(readme.indexOf('## Error codes'), readme.indexOf('## Development'));
    const rows = [...section.matchAll(/^\| `(SPATIA_[A-Z0-9_]+)` \| (.*) \|$/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(Object.entries(ERROR_CODES));
  });

  it('starts with the install-and-demo command and the test command', () => {
    const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block).toMatch(/^npm ci && node bin\/spatia\.js sim config\/demo\.yaml/m);
    expect(block).toMatch(/^npm test/m);
  });
});
