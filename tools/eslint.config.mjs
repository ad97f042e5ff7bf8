// npm run lint (after prettier --check). Two jobs: services import libs/ and never each other, and the type-aware
// rules that catch promises nobody waits for (an unhandled rejection kills the process; a missed await commits
// a transaction before its work is done).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import { fileURLToPath } from 'node:url';

export default [
  { ignores: ['dist/**', 'node_modules/**', 'tmp/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['**/*.ts'],
    ignores: ['apps/web/**'],
    languageOptions: {
      parser: tseslint.parser,
      // One program for apps, libs and tools (tsconfig.base.json), one for bench: the type-aware rules need types.
      parserOptions: { project: ['./tsconfig.base.json', './bench/tsconfig.json'], tsconfigRootDir: fileURLToPath(new URL('..', import.meta.url)) },
    },
    plugins: { '@nx': nx, '@typescript-eslint': tseslint.plugin },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // The libs' own tests import the test harness (libs/testing), which imports those libs: cycles through
          // `testing` are test-only. A cycle between two libs' production code is still an error.
          ignoredCircularDependencies: [['testing', '*']],
          depConstraints: [
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            // System tests drive the services as separate processes over HTTP and Kafka: libs only, too.
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib'] },
          ],
        },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // `return promise` inside try/catch/finally skips the catch and runs the finally too early.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
    },
  },
  // The console is a browser app with its own compiler settings (apps/web/tsconfig.json): the same promise rules,
  // and it imports only the API client from libs/.
  {
    files: ['apps/web/**/*.ts', 'apps/web/**/*.tsx'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: ['./apps/web/tsconfig.json'], tsconfigRootDir: fileURLToPath(new URL('..', import.meta.url)) },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@crm/*', '!@crm/api-client'], message: 'The console uses only the public API through @crm/api-client.' }] },
      ],
    },
  },
];
