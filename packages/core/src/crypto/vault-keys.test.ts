import { describe, expect, it } from 'vitest'
import { createAccountKeys } from './account.js'
import { randomBytes, toBase64Url } from './bytes.js'
import { CryptoError, type CryptoErrorCode } from './crypto-error.js'
import {
  createVaultKey,
  openVaultKey,
  openVaultName,
  retargetCopiedFiles,
  sealVaultKeyTo,
  sealVaultName,
} from './vault.js'
import { type CopiedItem } from '../contracts/vault.js'

async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code })
}

async function person(username: string) {
  return {
    id: crypto.randomUUID(),
    ...(await createAccountKeys(toBase64Url(randomBytes(64)), username)),
  }
}
const [bob, carol] = await Promise.all([person('bob'), person('carol')])
const member = (p: typeof bob) => ({ userId: p.id, x25519PublicKey: p.keys.x25519PublicKey })

describe('shared vault key', () => {
  it('opens for the member it was sealed to, as the same key', async () => {
    const vaultId = crypto.randomUUID()
    const vaultKey = await createVaultKey()
    expect(vaultKey.raw).toHaveLength(32)
    const box = await sealVaultKeyTo(vaultKey, member(bob), vaultId)
    const opened = await openVaultKey(bob.account, bob.id, vaultId, box)
    expect(opened.raw).toEqual(vaultKey.raw)
    const name = await sealVaultName(vaultKey.key, vaultId, 'Team')
    expect(await openVaultName(opened.key, vaultId, name)).toBe('Team')
  })

  it('refuses a box opened by another member, for another member or for another vault', async () => {
    const vaultId = crypto.randomUUID()
    const box = await sealVaultKeyTo(await createVaultKey(), member(bob), vaultId)
    await expectCryptoError(openVaultKey(carol.account, carol.id, vaultId, box), 'decrypt_failed')
    await expectCryptoError(openVaultKey(bob.account, carol.id, vaultId, box), 'decrypt_failed')
    await expectCryptoError(
      openVaultKey(bob.account, bob.id, crypto.randomUUID(), box),
      'decrypt_failed',
    )
  })

  it('opens a vault name only for the vault it was sealed for', async () => {
    const { key } = await createVaultKey()
    const vaultId = crypto.randomUUID()
    const name = await sealVaultName(key, vaultId, 'Team')
    await expectCryptoError(openVaultName(key, crypto.randomUUID(), name), 'decrypt_failed')
  })
})

describe('copied items', () => {
  const file = (blobId: string) => ({ blobId, name: 'notes.txt', type: 'text/plain', size: 1 })
  const entry = (files: string[], children: CopiedItem[] = []): CopiedItem => ({
    kind: 'entry',
    content: { name: 'e', type: 'document', fields: [], files: files.map(file) },
    children,
  })

  it('point at the uploaded copies of their files, at every depth', () => {
    const tree = [entry(['a'], [entry(['b', 'kept'], [entry(['a'])])])]
    const retargeted = retargetCopiedFiles(
      tree,
      [{ copyOf: 'a' }, {}, { copyOf: 'b' }, { copyOf: 'lost' }],
      [{ blobId: 'A' }, { blobId: 'X' }, { blobId: 'B' }],
    )
    expect(retargeted).toEqual([entry(['A'], [entry(['B', 'kept'], [entry(['A'])])])])
    // The original tree is left as it was.
    expect(tree).toEqual([entry(['a'], [entry(['b', 'kept'], [entry(['a'])])])])
  })
})
