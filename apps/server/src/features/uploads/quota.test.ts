import { CHUNK_BYTES, SEALED_CHUNK_OVERHEAD, SealedEnvelope } from '@sealpost/core'
import { afterEach, describe, expect, it } from 'vitest'
import { apiError, inviteAndAccept, setupAdmin } from '../../test-support/accounts.js'
import { dialects, startTestServer, type TestServer } from '../../test-support/harness.js'
import { sweep } from '../sweeper/sweeper.js'

// The server never opens staged chunks, so any bytes of a sealed chunk's size do.
const sealedChunk = (plainBytes = CHUNK_BYTES) =>
  new Uint8Array(plainBytes + SEALED_CHUNK_OVERHEAD).fill(7)
const payload = SealedEnvelope.parse({ v: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAA' })
const MiB = 1024 * 1024

describe.each(dialects)('upload quotas on %s', (dialect) => {
  let server: TestServer
  afterEach(async () => {
    await server.close()
  })

  async function start(env: Record<string, string>) {
    server = await startTestServer(dialect, { env })
    const admin = await setupAdmin(server)
    const bob = await inviteAndAccept(server, admin.api, 'bob')
    return { admin, bob }
  }

  /** Bob with every permission off: staged files can only end up in his vault. */
  async function startWithVaultOnlyBob(env: Record<string, string>) {
    const people = await start(env)
    await people.admin.api.updateUser(people.bob.session.user.id, {
      canSendMessages: false,
      canSendAttachments: false,
      canCreateLinks: false,
    })
    return people
  }

  it('caps how many files one user may have waiting', async () => {
    const { bob } = await start({ SEALPOST_MAX_STAGED_FILES: '5' })
    const blobs = Array.from({ length: 5 }, () => crypto.randomUUID())
    for (const blobId of blobs) await bob.api.uploadChunks(blobId, 0, [sealedChunk(10)])
    const sixth = await apiError(() =>
      bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk(10)]),
    )
    expect(sixth).toMatchObject({ status: 413, code: 'payload_too_large' })
    expect(sixth.message).toContain('5 files')
    // More chunks of a file already waiting are fine.
    await bob.api.uploadChunks(blobs[0]!, 1, [sealedChunk(10)])
  })

  it('caps the bytes one user may have waiting, while others still upload', async () => {
    const { admin, bob } = await start({ SEALPOST_MAX_STAGED_MB: '0.25' })
    for (let i = 0; i < 3; i++) await bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk()])
    const fourth = await apiError(() =>
      bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk()]),
    )
    expect(fourth).toMatchObject({ status: 413, code: 'payload_too_large' })
    expect((await bob.api.storageUsage()).stagedBytes).toBe(
      3 * (CHUNK_BYTES + SEALED_CHUNK_OVERHEAD),
    )
    await admin.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk()])
  })

  it('counts a vault-only member’s staged files against the storage quota', async () => {
    const { bob } = await startWithVaultOnlyBob({ SEALPOST_USER_QUOTA_MB: '0.2' })
    for (let i = 0; i < 3; i++) await bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk()])
    const over = await apiError(() => bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk()]))
    expect(over).toMatchObject({ status: 413, code: 'quota_exceeded' })
  })

  it('refuses staging to a member who can use uploads nowhere', async () => {
    const { admin, bob } = await startWithVaultOnlyBob({ SEALPOST_USER_QUOTA_MB: '0' })
    const refused = await apiError(() =>
      bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk(10)]),
    )
    expect(refused).toMatchObject({ status: 403 })
    // The administrator keeps the attachments permission, so may stage.
    await admin.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk(10)])
  })

  it('refuses vault files beyond the quota with 413 and shows the usage', async () => {
    const { bob } = await start({ SEALPOST_USER_QUOTA_MB: '0.1' })
    const vaultId = (await bob.api.listVaults()).vaults[0]!.id
    const putEntryWithFile = async (plainBytes: number) => {
      const blobId = crypto.randomUUID()
      await bob.api.uploadChunks(blobId, 0, [sealedChunk(plainBytes)])
      return bob.api.putItem(vaultId, crypto.randomUUID(), {
        parentId: null,
        kind: 'entry',
        payload,
        baseRevision: 0,
        files: [{ blobId, size: plainBytes, chunkCount: 1 }],
      })
    }
    await putEntryWithFile(60_000)
    const over = await apiError(() => putEntryWithFile(60_000))
    expect(over).toMatchObject({ status: 413, code: 'quota_exceeded' })
    expect(over.message).toContain('quota')
    expect(await bob.api.storageUsage()).toMatchObject({
      vaultBytes: 60_000,
      quotaBytes: Math.floor(0.1 * MiB),
    })
    expect((await bob.api.vaultItems(vaultId)).items).toHaveLength(1)
  })

  it('drops an abandoned upload after the staging lifetime, but not one still in progress', async () => {
    const { bob } = await start({ SEALPOST_STAGING_TTL_MINUTES: '60' })
    const abandoned = crypto.randomUUID()
    const inProgress = crypto.randomUUID()
    await bob.api.uploadChunks(abandoned, 0, [sealedChunk(10)])
    await bob.api.uploadChunks(inProgress, 0, [sealedChunk(10)])
    server.clock.advance(45 * 60_000)
    await bob.api.uploadChunks(inProgress, 1, [sealedChunk(10)])
    server.clock.advance(30 * 60_000)
    expect((await sweep(server.app.ctx)).staleChunks).toBe(1)
    const left = await server.db.selectFrom('staged_chunks').select(['blob_id', 'idx']).execute()
    expect(left.map((r) => `${r.blob_id}:${r.idx}`).sort()).toEqual(
      [`${inProgress}:0`, `${inProgress}:1`].sort(),
    )
  })
})
