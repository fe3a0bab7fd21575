import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'data/**',
      'bench/results/**',
      'test-results/**',
      'playwright-report/**',
      '**/*.config.*',
      'scripts/**',
      // A one-line import shim outside any tsconfig.
      'apps/cli/bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      // Fastify plugins and handlers are async by contract even when they await nothing.
      '@typescript-eslint/require-await': 'off',
      // Boundaries (STYLE.md rule 5): only core/crypto touches WebCrypto.
      'no-restricted-properties': [
        'error',
        { object: 'crypto', property: 'subtle', message: 'Use @sealpost/core crypto functions.' },
      ],
    },
  },
  {
    files: ['packages/core/src/crypto/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['apps/web/**', 'apps/cli/**', 'e2e/**', 'bench/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/server/**', '@sealpost/server'],
              message: 'Clients never import server code.',
            },
          ],
        },
      ],
    },
  },
)
