import { readdirSync } from 'node:fs'
import js from '@eslint/js'
import importX from 'eslint-plugin-import-x'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/** STYLE.md rule 1: files are kebab-case (`message-list.tsx`), components too. */
const kebabCaseFileName = {
  meta: {
    type: 'suggestion',
    schema: [],
    messages: { name: 'File names are kebab-case: {{name}}' },
  },
  create(context) {
    return {
      Program(node) {
        const name = context.filename.split(/[\\/]/).pop() ?? ''
        const stem = name.replace(/(\.(test|spec|d|module))?\.[cm]?[jt]sx?$/, '')
        if (!/^[a-z0-9]+(-[a-z0-9]+)*(\.[a-z0-9]+(-[a-z0-9]+)*)*$/.test(stem)) {
          context.report({ node, messageId: 'name', data: { name } })
        }
      },
    }
  },
}

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
      'stryker/**',
      // A one-line import shim and the CLI's build script: plain Node outside any tsconfig.
      'apps/cli/bin/**',
      'apps/cli/build.mjs',
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    plugins: { sealpost: { rules: { 'kebab-case-file-name': kebabCaseFileName } } },
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
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // One-line `if (x) return` reads well; a body on its own line gets braces.
      curly: ['error', 'multi-line'],
      'sealpost/kebab-case-file-name': 'error',
      // Boundaries (STYLE.md rule 5): only core/crypto touches WebCrypto.
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[property.name='subtle']",
          message: 'Only packages/core/src/crypto uses WebCrypto; call its functions.',
        },
      ],
    },
  },
  {
    files: ['packages/core/src/crypto/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  ...boundaries(),
)

/**
 * Import boundaries by path (STYLE.md rule 5). Each zone is one `no-restricted-imports`
 * config; ESLint keeps only the last matching config's options for a rule, so every file
 * pattern below lists all the restrictions that apply to it. `lint-boundaries.test.ts` in
 * apps/server proves each zone rejects a violating import.
 */
function boundaries() {
  const serverCode = {
    group: ['**/apps/server/**', '**/server/src/**', '**/server/dist/**', '@sealpost/server'],
    message: 'Only the server imports server code.',
  }
  const appCode = {
    group: ['**/apps/**', '@sealpost/server', '@sealpost/web', '@sealpost/cli'],
    message: 'packages/core imports no app.',
  }
  const cryptoLibraries = {
    group: ['@hpke/*', '@serenity-kit/opaque', 'hash-wasm', 'node:crypto'],
    message:
      'Cryptography lives in packages/core/src/crypto (and the server’s http/tokens.ts); call its functions.',
  }
  const kysely = {
    group: ['kysely', 'kysely/*'],
    message: 'Database access lives in apps/server/src/db and features/*/queries.ts.',
  }
  const primitives = {
    group: ['@sealpost/core/primitives'],
    message:
      'Primitives are for vectors, tests and the benchmark; call the protocol functions of @sealpost/core.',
  }
  const tests = ['**/*.test.ts', '**/*.test.tsx', '**/test-support/**']
  const zone = (files, patterns, ignores = []) => ({
    files,
    ignores,
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })
  return [
    // Product code of the clients: no server code, no crypto library of their own.
    zone(['apps/web/src/**', 'apps/cli/src/**'], [serverCode, cryptoLibraries, primitives], tests),
    // Their tests, e2e and bench may use node:crypto for test data, never server code.
    zone([...tests.map((t) => `apps/{web,cli}/src/${t}`), 'e2e/**', 'bench/**'], [serverCode]),
    // Core: no app; crypto libraries only inside crypto/.
    zone(
      ['packages/core/src/**'],
      [appCode, cryptoLibraries],
      ['packages/core/src/crypto/**', ...tests],
    ),
    zone(['packages/core/src/crypto/**'], [appCode]),
    // Server: crypto only in http/tokens.ts; Kysely only in db/ and features/*/queries.ts.
    zone(
      ['apps/server/src/**'],
      [cryptoLibraries, kysely, primitives],
      [
        'apps/server/src/db/**',
        'apps/server/src/features/*/queries.ts',
        'apps/server/src/http/tokens.ts',
        ...tests,
      ],
    ),
    zone(
      ['apps/server/src/db/**', 'apps/server/src/features/*/queries.ts'],
      [cryptoLibraries, primitives],
      tests,
    ),
    zone(['apps/server/src/http/tokens.ts'], [kysely, primitives]),
    webLayers(),
  ]
}

/**
 * The web app's layers: a feature (apps/web/src/features/<name>/) imports ui/, lib/, i18n/,
 * api.ts and its own folder, never another feature nor the shell; ui/, lib/ and i18n/ import no
 * feature. The shell, app.tsx and the entries compose the features (lib/slots.ts is how one
 * feature gets a piece of another). Imports are judged by the file they resolve to, so
 * `../vault/x` and `../../features/vault/x` from any depth of sub-folder are the same import
 * (one that resolves to no file is the type check's to reject). A rule of its own, so the
 * no-restricted-imports zones above still apply to these files.
 */
function webLayers() {
  const src = 'apps/web/src'
  const shared = ['./ui', './lib', './i18n', './api.ts']
  const features = readdirSync(`${import.meta.dirname}/${src}/features`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
  return {
    files: [`${src}/**`],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        importX.createNodeResolver({ extensions: ['.ts', '.tsx', '.d.ts', '.js'] }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          basePath: import.meta.dirname,
          zones: [
            ...features.map((feature) => ({
              target: `${src}/features/${feature}`,
              from: src,
              except: [`./features/${feature}`, ...shared],
              message: `The ${feature} feature imports ui/, lib/ and its own folder; the shell passes in anything else (lib/slots.ts).`,
            })),
            {
              target: [`${src}/ui`, `${src}/lib`, `${src}/i18n`],
              from: src,
              except: shared,
              message: 'ui/, lib/ and i18n/ serve every feature and import none.',
            },
          ],
        },
      ],
    },
  }
}
