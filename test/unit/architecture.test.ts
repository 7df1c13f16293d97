import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import boundaries of eslint.config.js are what keep the evaluation core pure: prove they
 * fire on the things they forbid, and stay quiet outside the core.
 */
describe('lint keeps I/O and the wall clock out of the evaluation core', () => {
  // Type information is not needed for these rules, and the project service only knows real files.
  const eslint = new ESLint({
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false, project: null } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
  const lint = async (path: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath: path });
    return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
  };

  it.each([
    ['src/core/x.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n", 'no-restricted-imports'],
    ['src/conditions/x.ts', 'export const now = (): number => Date.now();\n', 'no-restricted-properties'],
    ['src/expr/x.ts', 'export const t = (): number => performance.now();\n', 'no-restricted-properties'],
    ['src/vm/x.ts', "import { writeFileSync } from 'node:fs';\nexport const f = writeFileSync;\n", 'no-restricted-imports'],
    ['src/core/x.ts', 'export function later(f: () => void): void {\n  setTimeout(f, 10);\n}\n', 'no-restricted-globals'],
    ['src/sensors/filters/x.ts', 'export const d = (): Date => new Date();\n', 'no-restricted-syntax'],
  ])('%s: %s is refused', async (path, code, rule) => {
    expect(await lint(path, code)).toContain(rule);
  });

  it('the same code is fine outside the core (platform, cli)', async () => {
    expect(await lint('src/platform/x.ts', 'export const now = (): number => Date.now();\n')).toEqual([]);
  });
});
