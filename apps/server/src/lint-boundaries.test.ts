import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

// The repository's lint configuration enforces STYLE.md rule 5 by path. Each case lints
// one import as if it were written in a file of a zone, with only the boundary rules on.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const eslint = new ESLint({
  cwd: root,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
  ruleFilter: ({ ruleId }) =>
    ruleId === 'no-restricted-imports' ||
    ruleId === 'no-restricted-syntax' ||
    ruleId === 'import-x/no-restricted-paths',
})

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) })
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message)
}

const cases: Array<{ zone: string; file: string; code: string }> = [
  {
    zone: 'the CLI imports server code',
    file: 'apps/cli/src/commands/x.ts',
    code: "import { buildApp } from '../../../server/src/app.js'",
  },
  {
    zone: 'the web imports server code',
    file: 'apps/web/src/features/x/y.ts',
    code: "import '@sealpost/server'",
  },
  {
    zone: 'e2e imports server code',
    file: 'e2e/x.spec.ts',
    code: "import { buildApp } from '../apps/server/src/app.js'",
  },
  {
    zone: 'the CLI uses node:crypto',
    file: 'apps/cli/src/commands/x.ts',
    code: "import { createHash } from 'node:crypto'",
  },
  {
    zone: 'the web uses HPKE directly',
    file: 'apps/web/src/lib/x.ts',
    code: "import { CipherSuite } from '@hpke/core'",
  },
  {
    zone: 'core imports an app',
    file: 'packages/core/src/client/x.ts',
    code: "import '../../../../apps/web/src/api.js'",
  },
  {
    zone: 'core outside crypto/ uses OPAQUE',
    file: 'packages/core/src/client/x.ts',
    code: "import { client } from '@serenity-kit/opaque'",
  },
  {
    zone: 'core outside crypto/ uses Argon2',
    file: 'packages/core/src/contracts/x.ts',
    code: "import { argon2id } from 'hash-wasm'",
  },
  {
    zone: 'core outside crypto/ uses WebCrypto',
    file: 'packages/core/src/client/x.ts',
    code: 'export const s = globalThis.crypto.subtle',
  },
  {
    zone: 'the server uses WebCrypto',
    file: 'apps/server/src/features/x/routes.ts',
    code: 'export const s = crypto.subtle',
  },
  {
    zone: 'a server route uses node:crypto',
    file: 'apps/server/src/features/x/routes.ts',
    code: "import { createHash } from 'node:crypto'",
  },
  {
    zone: 'a server route uses Kysely',
    file: 'apps/server/src/features/x/routes.ts',
    code: "import { sql } from 'kysely'",
  },
  {
    zone: 'server http/ uses Kysely',
    file: 'apps/server/src/http/auth.ts',
    code: "import { sql } from 'kysely'",
  },
  {
    zone: 'server queries use node:crypto',
    file: 'apps/server/src/features/x/queries.ts',
    code: "import { randomBytes } from 'node:crypto'",
  },
  {
    zone: 'a server route uses the primitives',
    file: 'apps/server/src/features/x/routes.ts',
    code: "import { aesGcmEncrypt } from '@sealpost/core/primitives'",
  },
  {
    zone: 'the web uses the primitives',
    file: 'apps/web/src/features/x/y.ts',
    code: "import { hpkeSeal } from '@sealpost/core/primitives'",
  },
  {
    zone: 'the CLI uses the primitives',
    file: 'apps/cli/src/commands/x.ts',
    code: "import { deriveAesKey } from '@sealpost/core/primitives'",
  },
  // The web's layers resolve each import to its file, so these name real files.
  {
    zone: 'a web feature imports another feature',
    file: 'apps/web/src/features/messages/x.ts',
    code: "import { useVaults } from '../vault/use-vaults'",
  },
  {
    zone: 'a web feature’s sub-folder imports another feature',
    file: 'apps/web/src/features/messages/links/x.ts',
    code: "import { useVaults } from '../../vault/use-vaults'",
  },
  {
    zone: 'a web feature imports another by way of src/features/',
    file: 'apps/web/src/features/messages/x.ts',
    code: "import { useVaults } from '../../features/vault/use-vaults'",
  },
  {
    zone: 'a web feature loads another lazily',
    file: 'apps/web/src/features/account/sign-in/x.ts',
    code: "export const page = import('../../vault/vault-page')",
  },
  {
    zone: 'a web feature re-exports another',
    file: 'apps/web/src/features/vault/x.ts',
    code: "export { messagesKey } from '../messages/use-messages'",
  },
  {
    zone: 'a web feature imports the shell',
    file: 'apps/web/src/features/vault/x.ts',
    code: "import { Shell } from '../../shell/shell'",
  },
  {
    zone: 'a web feature imports the app',
    file: 'apps/web/src/features/admin/users/x.ts',
    code: "import { App } from '../../../app'",
  },
  {
    zone: 'a web feature’s test imports another feature',
    file: 'apps/web/src/features/messages/x.test.ts',
    code: "import { useVaults } from '../vault/use-vaults'",
  },
  {
    zone: 'the web’s lib/ imports a feature',
    file: 'apps/web/src/lib/x.ts',
    code: "import { useVaults } from '../features/vault/use-vaults'",
  },
  {
    zone: 'the web’s ui/ imports the shell',
    file: 'apps/web/src/ui/x.tsx',
    code: "import { TopBar } from '../shell/top-bar'",
  },
]

const allowed: Array<{ zone: string; file: string; code: string }> = [
  {
    zone: 'core crypto/ uses HPKE',
    file: 'packages/core/src/crypto/x.ts',
    code: "import { CipherSuite } from '@hpke/core'",
  },
  {
    zone: 'core crypto/ uses WebCrypto',
    file: 'packages/core/src/crypto/x.ts',
    code: 'export const s = crypto.subtle',
  },
  {
    zone: 'the server’s tokens.ts uses node:crypto',
    file: 'apps/server/src/http/tokens.ts',
    code: "import { createHash } from 'node:crypto'",
  },
  {
    zone: 'server queries use Kysely',
    file: 'apps/server/src/features/x/queries.ts',
    code: "import { sql } from 'kysely'",
  },
  {
    zone: 'server db/ uses Kysely',
    file: 'apps/server/src/db/x.ts',
    code: "import { sql } from 'kysely'",
  },
  {
    zone: 'core client/ uses core crypto',
    file: 'packages/core/src/client/x.ts',
    code: "import { sealChunk } from '../crypto/message.js'",
  },
  {
    zone: 'a CLI test makes random bytes',
    file: 'apps/cli/src/x.test.ts',
    code: "import { randomBytes } from 'node:crypto'",
  },
  {
    zone: 'a server test uses the primitives',
    file: 'apps/server/src/features/x/x.test.ts',
    code: "import { deriveAesKey } from '@sealpost/core/primitives'",
  },
  {
    zone: 'the benchmark uses the primitives',
    file: 'bench/lib/x.ts',
    code: "import { aesGcmEncrypt } from '@sealpost/core/primitives'",
  },
  {
    zone: 'a web feature imports ui/, lib/, i18n/ and api.ts',
    file: 'apps/web/src/features/messages/x.ts',
    code: [
      "import { Button } from '../../ui/button'",
      "import { useSignedIn } from '../../lib/session/signed-in-context'",
      "import { useVaultSlot } from '../../lib/slots'",
      "import { errorMessage } from '../../i18n/error-message'",
      "import { api } from '../../api'",
    ].join('\n'),
  },
  {
    zone: 'a web feature’s sub-folder imports its own feature, ui/ and lib/',
    file: 'apps/web/src/features/messages/links/x.ts',
    code: [
      "import { messagesKey } from '../use-messages'",
      "import { copiedBlobIds } from '../vault-copy/copy-tree'",
      "import { LinkCreated } from './link-created'",
      "import { Button } from '../../../ui/button'",
      "import { formatBytes } from '../../../lib/format'",
    ].join('\n'),
  },
  {
    zone: 'the shell imports every feature',
    file: 'apps/web/src/shell/x.ts',
    code: [
      "import { useVaults } from '../features/vault/use-vaults'",
      "import { messagesKey } from '../features/messages/use-messages'",
    ].join('\n'),
  },
  {
    zone: 'the web’s ui/ imports lib/',
    file: 'apps/web/src/ui/x.tsx',
    code: "import { useLocale } from '../lib/use-locale'",
  },
]

describe('lint boundaries', () => {
  it.each(cases)('rejects it when $zone', async ({ file, code }) => {
    expect(await problems(file, code)).not.toEqual([])
  })
  it.each(allowed)('accepts it when $zone', async ({ file, code }) => {
    expect(await problems(file, code)).toEqual([])
  })
})
