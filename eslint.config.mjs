// ESLint (flat config): typescript-eslint's recommended rules, without type information, and
// eslint-config-prettier last so no stylistic rule fights Prettier (Prettier owns the layout).
//
// Why the packages are loaded from tools/lint: typescript-eslint parses with the TypeScript *JS API*,
// which TypeScript 7 (what this project compiles with) no longer ships, and it accepts TypeScript
// < 6.1 only. tools/lint is a local package (a `file:` devDependency) that depends on TypeScript 6.0
// next to typescript-eslint, so npm installs both under tools/lint/node_modules while the root keeps
// TypeScript 7 for `tsc`. The root `overrides` entry makes ts-api-utils (a typescript-eslint
// dependency that npm would otherwise hoist beside TypeScript 7) take TypeScript 6 too.
// Type-aware rules (no-floating-promises, ...) work the same way but cost ~45 s of CPU and ~900 MB
// on this tree, so they are not part of `npm run lint`; see docs/development.md.
import { createRequire } from 'node:module';

const lintRequire = createRequire(new URL('./tools/lint/package.json', import.meta.url));
const js = lintRequire('@eslint/js');
const tseslint = lintRequire('typescript-eslint');
const globals = lintRequire('globals');
const prettier = lintRequire('eslint-config-prettier/flat');

export default tseslint.config(
  { ignores: ['dist/**', 'coverage/**', 'openapi/**', 'test-artifacts/**', '.data/**', '**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `_`-prefixed names are deliberate (unused parameters of an interface, keys dropped by a rest spread).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Tests load JSON fixtures with require(); everything else imports.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['\\.json$'] }],
    },
  },
  {
    // The server logs through pino and tests report through jest; a stray console call is a leftover.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    // A focused test silently skips the rest of its file in CI (oxlint's jest/no-focused-tests
    // does not recognise *.e2e-spec.ts as a test file).
    files: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'test/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['describe', 'it', 'test'].map((object) => ({ object, property: 'only', message: 'Focused tests skip the rest of the file.' })),
      ],
      'no-restricted-globals': ['error', ...['fdescribe', 'fit'].map((name) => ({ name, message: 'Focused tests skip the rest of the file.' }))],
    },
  },
  {
    // Browser scripts served by the connect page and the dashboard.
    files: ['src/**/assets/*.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.browser } },
  },
  {
    files: ['*.js'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
);
