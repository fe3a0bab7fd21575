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

  it('lets uploads waiting to be sent reach the staging cap exactly, not a byte past it', async () => {
    const { bob } = await start({ SEALPOST_MAX_STAGED_MB: '1' })
    await bob.api.uploadChunks(
      crypto.randomUUID(),
      0,
      Array.from({ length: 15 }, () => sealedChunk()),
    )
    const room = MiB - 15 * (CHUNK_BYTES + SEALED_CHUNK_OVERHEAD)
    const last = crypto.randomUUID()
    const over = await apiError(() =>
      bob.api.uploadChunks(last, 0, [sealedChunk(room - SEALED_CHUNK_OVERHEAD + 1)]),
    )
    expect(over).toMatchObject({ status: 413, code: 'payload_too_large' })
    expect(over.message).toContain('may total at most 1 MB')
    await bob.api.uploadChunks(last, 0, [sealedChunk(room - SEALED_CHUNK_OVERHEAD)])
    expect((await bob.api.storageUsage()).stagedBytes).toBe(MiB)
  })

  it('lets a vault-only member’s vault files and staged uploads reach the quota exactly, not a byte past it', async () => {
    const { bob } = await startWithVaultOnlyBob({ SEALPOST_USER_QUOTA_MB: '1' })
    const vaultId = (await bob.api.listVaults()).vaults[0]!.id
    const inVault = crypto.randomUUID()
    await bob.api.uploadChunks(inVault, 0, [sealedChunk(60_000)])
    await bob.api.putItem(vaultId, crypto.randomUUID(), {
      parentId: null,
      kind: 'entry',
      payload,
      baseRevision: 0,
      files: [{ blobId: inVault, size: 60_000, chunkCount: 1 }],
    })
    await bob.api.uploadChunks(
      crypto.randomUUID(),
      0,
      Array.from({ length: 15 }, () => sealedChunk()),
    )
    // The quota counts a vault file's plaintext size and a waiting upload's sealed size.
    const room = MiB - 60_000 - 15 * (CHUNK_BYTES + SEALED_CHUNK_OVERHEAD)
    const last = crypto.randomUUID()
    const over = await apiError(() =>
      bob.api.uploadChunks(last, 0, [sealedChunk(room - SEALED_CHUNK_OVERHEAD + 1)]),
    )
    expect(over).toMatchObject({ status: 413, code: 'quota_exceeded' })
    expect(over.message).toContain('storage quota of 1 MB')
    await bob.api.uploadChunks(last, 0, [sealedChunk(room - SEALED_CHUNK_OVERHEAD)])
    expect(await bob.api.storageUsage()).toMatchObject({
      vaultBytes: 60_000,
      quotaBytes: MiB,
      stagedBytes: MiB - 60_000,
    })
  })

  it('counts staged files against the quota only for a member who may share them nowhere', async () => {
    const { admin, bob } = await start({ SEALPOST_USER_QUOTA_MB: '0.1' })
    const twoChunks = () => [sealedChunk(), sealedChunk()]
    const allow = (canSendAttachments: boolean, canCreateLinks: boolean) =>
      admin.api.updateUser(bob.session.user.id, { canSendAttachments, canCreateLinks })
    // With either permission a staged file may be sent away rather than kept: only the staging
    // caps apply, so each of these passes the 0.1 MB quota.
    await allow(true, false)
    await bob.api.uploadChunks(crypto.randomUUID(), 0, twoChunks())
    await allow(false, true)
    await bob.api.uploadChunks(crypto.randomUUID(), 0, twoChunks())
    await allow(false, false)
    expect(
      await apiError(() => bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk(10)])),
    ).toMatchObject({ status: 413, code: 'quota_exceeded' })
  })

  it('refuses staging to a member who can use uploads nowhere', async () => {
    const { admin, bob } = await startWithVaultOnlyBob({ SEALPOST_USER_QUOTA_MB: '0' })
    const refused = await apiError(() =>
      bob.api.uploadChunks(crypto.randomUUID(), 0, [sealedChunk(10)]),
    )
    expect(refused).toMatchObject({ status: 403, code: 'attachments_disabled' })
    expect(refused.message).toContain('may not upload')
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

  it('keeps an upload left for exactly the staging lifetime, and drops it a millisecond later', async () => {
    const { bob } = await start({ SEALPOST_STAGING_TTL_MINUTES: '60' })
    const blobId = crypto.randomUUID()
    await bob.api.uploadChunks(blobId, 0, [sealedChunk(10), sealedChunk(10)])
    server.clock.advance(60 * 60_000)
    expect((await sweep(server.app.ctx)).staleChunks).toBe(0)
    expect((await bob.api.storageUsage()).stagedBytes).toBe(2 * (10 + SEALED_CHUNK_OVERHEAD))
    server.clock.advance(1)
    expect((await sweep(server.app.ctx)).staleChunks).toBe(2)
    expect((await bob.api.storageUsage()).stagedBytes).toBe(0)
  })
})
