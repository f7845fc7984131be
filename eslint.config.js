// ESLint (typescript-eslint) over the sources and tests; `npm run lint`, also run by `npm test`.
// The type checker (tsc --noEmit, with noUnusedLocals) catches what types can; this catches the
// rest: unused imports and variables, floating mistakes, and code the rules/ layer must not use.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['node_modules/**', '.output*/**', '.wxt/**', 'test/e2e/out/**', 'bench/out/**', 'docs/**', 'public/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.browser, ...globals.node, ...globals.webextensions },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      // Types from the page and from storage are `unknown` until validated; `any` hides that.
      '@typescript-eslint/no-explicit-any': 'error',
      // WXT's auto-imports (defineContentScript, defineBackground …) are globals here.
      'no-undef': 'off',
      // An empty catch is the idiom for "keep the default" around page and storage data.
      'no-empty': ['error', { allowEmptyCatch: true }],
      // Control characters are used on purpose: i18n placeholders marks, HTML name grammars.
      'no-control-regex': 'off',
    },
  },
  {
    // rules/ is pure (docs/architecture.md): no DOM, no browser API, no clock.
    files: ['rules/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'document', 'window', 'navigator', 'location', 'browser', 'chrome', 'localStorage', 'fetch'],
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'rules/ takes `now` as a parameter (docs/contract.md §2).' }],
      'no-restricted-imports': ['error', { patterns: ['wxt', 'wxt/*', '../lib/*', '../panel/*', '../components/*', '../entrypoints/*', '../background/*', '../storage/*', '../csv/*'] }],
    },
  },
  // What each folder may import (docs/architecture.md, "Folders and what each may import"):
  // the lower layers never reach up, so a page-side helper cannot pull in the background or storage.
  ...[
    ['lib', ['panel', 'storage', 'csv', 'background', 'components', 'entrypoints']],
    ['panel', ['storage', 'csv', 'background', 'components', 'entrypoints']],
    ['storage', ['csv', 'background', 'components', 'entrypoints']],
    ['csv', ['background', 'components', 'entrypoints']],
    ['background', ['components', 'entrypoints']],
    ['components', ['entrypoints']],
  ].map(([folder, banned]) => ({
    files: [`${folder}/**/*.{ts,tsx}`],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          group: banned.flatMap((b) => [`../${b}/*`, `../../${b}/*`, `../../../${b}/*`]),
          // A type is no dependency at run time (panel/flags.ts reads the Settings type).
          allowTypeImports: true,
          message: `${folder}/ may not import this folder (docs/architecture.md).`,
        }],
      }],
    },
  })),
  {
    // The rules' public face (rules/index.ts, docs/contract.md §2) is the one place the rest of the
    // product imports the rules from; tests may reach inside.
    files: ['components/**/*.{ts,tsx}', 'panel/**/*.ts', 'lib/**/*.ts', 'storage/**/*.ts', 'csv/**/*.ts', 'background/**/*.ts', 'entrypoints/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '^(\\.\\./)+rules/(?!index$)', message: 'Import the rules from their public face, rules/index.ts.' }] }],
    },
  },
  {
    // Fixture pages carry the panel's own page scripts, serialised into the page as they are
    // written (old-style `var` included), so the page code stays what a page would run.
    files: ['test/fixtures/**'],
    rules: { 'no-var': 'off' },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
