// Lint: typed rules (no floating promises) everywhere, plus the architecture's import
// boundaries: the evaluation core (core, expr, conditions, vm, patterns, spatial, sensor
// runtime and filters) does no I/O and never reads the wall clock.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const PURE = [
  'src/core/**/*.ts',
  'src/expr/**/*.ts',
  'src/conditions/**/*.ts',
  'src/vm/**/*.ts',
  'src/patterns/**/*.ts',
  'src/spatial/**/*.ts',
  'src/sensors/filters/**/*.ts',
  'src/sensors/sensor-runtime.ts',
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-check/**', 'dist-bench/**', 'node_modules/**', 'coverage/**'] },
  { languageOptions: { globals: { ...globals.node } } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-self-compare': 'off',
    },
  },
  {
    files: PURE,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'fs/*', 'net', 'http', 'https', 'child_process', 'worker_threads', 'dgram', 'os', 'mqtt', 'serialport', 'onoff', 'i2c-bus', '**/platform/**', '**/cli/**', '**/actions/*-executor*'],
              message: 'The evaluation core does no I/O: put this behind a port outside src/core, src/expr, src/conditions, src/vm, src/patterns, src/spatial.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Time comes from the injected clock (the tick), never Date.now().' },
        { object: 'performance', property: 'now', message: 'Time comes from the injected clock (the tick).' },
        { object: 'process', property: 'hrtime', message: 'Time comes from the injected clock (the tick).' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'No timers in the core: deadlines are ticks.' },
        { name: 'setInterval', message: 'No timers in the core: deadlines are ticks.' },
        { name: 'setImmediate', message: 'No timers in the core.' },
        { name: 'fetch', message: 'No I/O in the core.' },
      ],
      'no-restricted-syntax': ['error', { selector: "NewExpression[callee.name='Date']", message: 'No wall clock in the core.' }],
    },
  },
);
