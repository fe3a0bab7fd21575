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
    ruleId === 'no-restricted-imports' || ruleId === 'no-restricted-syntax',
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
]

describe('lint boundaries', () => {
  it.each(cases)('rejects it when $zone', async ({ file, code }) => {
    expect(await problems(file, code)).not.toEqual([])
  })
  it.each(allowed)('accepts it when $zone', async ({ file, code }) => {
    expect(await problems(file, code)).toEqual([])
  })
})
