import {
  ApiError,
  type MessageDetail,
  type MessageSummary,
  type SentToGroup,
  type UnlockedAccount,
  createAccountKeys,
  createContentKey,
  randomBytes,
  sealMessage,
  toBase64Url,
} from '@sealpost/core'
import { describe, expect, it } from 'vitest'
import { withSubjects } from './list-subjects'

type Person = { id: string; account: UnlockedAccount }

async function person(username: string): Promise<Person> {
  const { account } = await createAccountKeys(toBase64Url(randomBytes(64)), username)
  return { id: crypto.randomUUID(), account }
}

const [alice, bob, mallory] = await Promise.all([person('alice'), person('bob'), person('mallory')])

/** A message to bob in alice's name, signed by `signer`; what the server serves for it. */
async function stored(
  subject: string,
  signer: Person,
  to: { groups?: SentToGroup[]; directIds?: string[] } = {},
) {
  const { envelope, keys } = await sealMessage({
    draft: {
      id: crypto.randomUUID(),
      senderId: alice.id,
      recipientIds: [bob.id],
      sentAt: new Date().toISOString(),
      expiresAt: null,
      highPriority: false,
      replyTo: null,
      subject,
      body: 'Today, please.',
      attachments: [],
      ...to,
    },
    contentKey: await createContentKey(),
    sender: signer.account,
    publicKeys: new Map([
      [alice.id, toBase64Url(alice.account.x25519PublicKey)],
      [bob.id, toBase64Url(bob.account.x25519PublicKey)],
    ]),
  })
  const key = keys.find((k) => k.userId === bob.id)!.box
  const sender = { id: alice.id, username: 'alice', displayName: 'Alice' }
  const row: MessageSummary = {
    id: envelope.id,
    origin: 'member',
    sender,
    recipientIds: envelope.recipientIds,
    sentAt: envelope.sentAt,
    expiresAt: null,
    highPriority: false,
    replyTo: null,
    header: envelope.header,
    key,
    attachmentCount: 0,
    readAt: null,
  }
  const detail: MessageDetail = {
    envelope,
    key,
    sender: { ...sender, ed25519PublicKey: toBase64Url(alice.account.ed25519PublicKey) as never },
    readAt: null,
    recipients: null,
    thread: [],
  }
  return { row, detail }
}

function server(details: MessageDetail[]) {
  return {
    getMessage: async (id: string) => {
      const detail = details.find((d) => d.envelope.id === id)
      if (!detail) throw new ApiError(404, 'not_found', 'no such message')
      return detail
    },
  }
}

describe('withSubjects', () => {
  it('shows a placeholder, never the subject, for a message its sender did not sign', async () => {
    const real = await stored('Lunch on Friday', alice)
    const forged = await stored('Re-enter your password at https://evil.example', mallory)
    const rows = await withSubjects(server([real.detail, forged.detail]), bob.account, bob.id, [
      real.row,
      forged.row,
    ])
    expect(rows.map((row) => row.subject)).toEqual(['Lunch on Friday', null])
  })

  it('reads the groups a message went to from its verified header, none from a forged one', async () => {
    const groups = [{ name: 'Ops', count: 1 }]
    const toOps = await stored('Rota', alice, { groups, directIds: [] })
    const forged = await stored('Rota', mallory, { groups })
    const plain = await stored('Lunch', alice)
    const rows = await withSubjects(
      server([toOps.detail, forged.detail, plain.detail]),
      bob.account,
      bob.id,
      [toOps.row, forged.row, plain.row],
    )
    expect(rows.map((row) => row.groups)).toEqual([groups, [], []])
  })

  it('leaves out a message deleted since the list was fetched', async () => {
    const kept = await stored('Kept', alice)
    const gone = await stored('Deleted meanwhile', alice)
    const rows = await withSubjects(server([kept.detail]), bob.account, bob.id, [
      kept.row,
      gone.row,
    ])
    expect(rows.map((row) => row.summary.id)).toEqual([kept.row.id])
  })

  it('fails the list when the server cannot be reached, rather than hide subjects', async () => {
    const message = await stored('Lunch', alice)
    const offline = {
      getMessage: () => Promise.reject(new ApiError(0, 'network', 'cannot reach the server')),
    }
    await expect(withSubjects(offline, bob.account, bob.id, [message.row])).rejects.toMatchObject({
      code: 'network',
    })
  })
})
