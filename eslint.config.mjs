// Flat config: typescript-eslint's recommended rules, plus the project's house rules from STYLE.md
// (explicit exports, no `any` in the public surface).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test/fixtures/**', 'bench/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error', { selector: 'ExportAllDeclaration', message: 'Export every name explicitly (STYLE.md §4).' }],
      'no-console': 'off',
    },
  },
  {
    // Startup weight: these load only where a configuration needs them (see src/internal/optional-peer.ts
    // and src/limits/rate-limiter-flexible.ts); type imports are free.
    files: ['src/**/*.ts', 'instrumentations/**/*.ts', 'exporters/**/*.ts'],
    ignores: ['src/limits/rate-limiter-flexible.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [
        { name: 'rate-limiter-flexible', allowTypeImports: true, message: 'Import the classes from src/limits/rate-limiter-flexible (the package index loads every store).' },
        { name: 'ioredis', allowTypeImports: true, message: 'ioredis is an optional peer: loadOptionalPeer(\'ioredis\') where the Redis store is built.' },
        { name: 'nodemailer', allowTypeImports: true, message: 'nodemailer is an optional peer: load it where the e-mail channel sends.' },
        { name: 'zod', message: "zod 4's classic API loads all its locales (~95 modules) at start: import { z } from 'zod/v3' (docs/performance.md)." },
        { name: 'zod/v4', message: "zod 4's classic API loads all its locales (~95 modules) at start: import { z } from 'zod/v3' (docs/performance.md)." },
      ] }],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', setTimeout: 'readonly', URL: 'readonly' } },
  },
);
