// One lint config for the whole workspace.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ioModules = ['fastify', 'fastify-*', '@fastify/*', 'kafkajs', 'ioredis', 'pino', 'jose'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.tools/**', '.data/**', '.reports/**', 'infra/kafka/.libs/**', 'apps/*/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'MemberExpression[object.name="process"][property.name="exit"]', message: 'Only server.ts and CLIs may exit the process.' }],
    },
  },
  {
    // Type-aware rules, for the TypeScript files only: each file is checked against the program of
    // its nearest tsconfig.json (the root one, or apps/desk's with its DOM and JSX settings). The
    // JavaScript files (this config, scripts/bootstrap.mjs) are in no program and stay untyped.
    // Only rules that find real bugs: a promise nobody awaits or handles (its rejection would crash
    // the process or vanish), an async function where a void callback is expected (an event
    // handler, a timer: same), an await on something that is not a promise, and an object
    // interpolated into a string ("[object Object]" in a message or a URL).
    files: ['**/*.{ts,tsx,mts,cts}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/restrict-template-expressions': 'error',
    },
  },
  {
    // The domain and the catalogue are pure: no I/O, no clock, no randomness of their own.
    files: ['packages/domain/src/**', 'packages/catalogue/src/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*', ...ioModules], message: 'Pure package: keep I/O at the edge.' }] }],
      'no-restricted-globals': ['error', { name: 'Date', message: 'Time comes in through command metadata.' }, { name: 'crypto', message: 'Ids come in through command metadata.' }, { name: 'process', message: 'No environment in a pure package.' }],
    },
  },
  {
    files: ['**/server.ts', '**/cli.ts', '**/*-cli.ts', 'scripts/**', 'bench/**', 'infra/src/cli.ts', 'infra/src/start-all.ts', '**/scripts/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
