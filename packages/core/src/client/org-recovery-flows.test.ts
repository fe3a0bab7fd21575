import { describe, expect, it } from 'vitest'
import type { RecoveryKey, RecoveryPolicy } from '../contracts/account.js'
import { Base64Url } from '../contracts/common.js'
import type { DirectoryUser } from '../contracts/users.js'
import { createAccountKeys } from '../crypto/account.js'
import { randomBytes, toBase64Url } from '../crypto/bytes.js'
import { CryptoError } from '../crypto/crypto-error.js'
import { createOrgRecoveryKey, openEscrow, signRecoveryKey } from '../crypto/org-recovery.js'
import type { ApiClient } from './api-client.js'
import { checkRecoveryKey, enrollInAccountRecovery } from './org-recovery-flows.js'

async function person(username: string) {
  const exportKey = toBase64Url(randomBytes(64))
  return {
    id: crypto.randomUUID(),
    username,
    exportKey,
    ...(await createAccountKeys(exportKey, username)),
  }
}
const [ada, bob, mallory] = await Promise.all([person('ada'), person('bob'), person('mallory')])
const directory: DirectoryUser[] = [ada, bob].map((p) => ({
  id: p.id,
  username: p.username,
  displayName: p.username,
  x25519PublicKey: p.keys.x25519PublicKey,
  ed25519PublicKey: p.keys.ed25519PublicKey,
}))

/** A recovery key pair and the key as ada (an administrator) signs it. */
async function adaSignedKey() {
  const pair = await createOrgRecoveryKey()
  const key = {
    keyId: crypto.randomUUID(),
    publicKey: Base64Url.parse(toBase64Url(pair.publicKey)),
  }
  const signature = await signRecoveryKey(ada.account, key)
  return { pair, key: { ...key, signerId: ada.id, signature } satisfies RecoveryKey }
}

type PutEscrowRequest = Parameters<ApiClient['putEscrow']>[0]

/** A server serving `key` as the recovery key, recording what bob's client escrows. */
function fakeServer(key: RecoveryKey) {
  const escrows: PutEscrowRequest[] = []
  const api = {
    recoveryPolicy: async (): Promise<RecoveryPolicy> => ({ key, enrolled: false }),
    directory: async () => ({ users: directory }),
    putEscrow: async (body: PutEscrowRequest) => {
      escrows.push(body)
    },
  }
  return { api, escrows }
}

const enrolBob = (api: ReturnType<typeof fakeServer>['api']) =>
  enrollInAccountRecovery(api, {
    userId: bob.id,
    username: bob.username,
    exportKey: bob.exportKey,
    keys: bob.keys,
  })

async function expectNoEscrow(key: RecoveryKey) {
  const { api, escrows } = fakeServer(key)
  const error = await enrolBob(api).then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code: 'recovery_key_unverified' })
  expect(escrows).toEqual([])
}

describe('enrolment in administrator-assisted recovery', () => {
  it('escrows the account key to a recovery key an administrator signed', async () => {
    const { pair, key } = await adaSignedKey()
    const { api, escrows } = fakeServer(key)
    expect(await enrolBob(api)).toBe(true)
    expect(escrows).toHaveLength(1)
    const [escrow] = escrows
    if (!escrow) throw new Error('no escrow')
    expect(escrow.keyId).toBe(key.keyId)
    expect((await openEscrow(pair, key.keyId, bob.id, escrow.box)).length).toBe(32)
    expect(await checkRecoveryKey(api, key)).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/)
  })

  it('refuses a key the server made up, with no signature', async () => {
    const { key } = await adaSignedKey()
    const { publicKey } = await createOrgRecoveryKey()
    await expectNoEscrow({
      ...key,
      publicKey: Base64Url.parse(toBase64Url(publicKey)),
      signerId: null,
      signature: null,
    })
  })

  it('refuses a key signed by someone else’s key in the administrator’s name', async () => {
    const { key } = await adaSignedKey()
    const signature = await signRecoveryKey(mallory.account, key)
    await expectNoEscrow({ ...key, signature })
  })

  it('refuses a key whose signer is not in the directory', async () => {
    const { key } = await adaSignedKey()
    const signature = await signRecoveryKey(mallory.account, key)
    await expectNoEscrow({ ...key, signerId: mallory.id, signature })
  })

  it('refuses a signature made for another key id', async () => {
    const { key } = await adaSignedKey()
    await expectNoEscrow({ ...key, keyId: crypto.randomUUID() })
  })

  it('refuses a signature made for a different public key', async () => {
    const { key } = await adaSignedKey()
    const { publicKey } = await createOrgRecoveryKey()
    await expectNoEscrow({ ...key, publicKey: Base64Url.parse(toBase64Url(publicKey)) })
  })

  it('refuses a genuine signature claimed by another user', async () => {
    const { key } = await adaSignedKey()
    await expectNoEscrow({ ...key, signerId: bob.id })
  })
})
