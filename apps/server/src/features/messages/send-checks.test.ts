import {
  BODY_MAX,
  createContentKey,
  MESSAGE_RECIPIENTS_MAX,
  type MessageDraft,
  type PutMessageRequest,
  sealMessage,
  SUBJECT_MAX,
} from '@sealpost/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { apiError, startWithPeople } from '../../test-support/accounts.js'
import { dialects, rawRequest, type TestServer } from '../../test-support/harness.js'
import type { Person } from '../../test-support/messages.js'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

describe.each(dialects)('what a send must satisfy on %s', (dialect) => {
  let server: TestServer
  let admin: Person
  let bob: Person
  let carol: Person
  const now = () => server.clock.now().getTime()

  beforeEach(async () => {
    ;({
      server,
      admin,
      members: [bob, carol],
    } = await startWithPeople(dialect, ['bob', 'carol']))
  })
  afterEach(async () => {
    await server.close()
  })

  /** A message to bob, sealed by `from` (admin) as a client would; `draft` changes any field. */
  async function sealed(
    draft: Partial<MessageDraft> = {},
    from: Person = admin,
  ): Promise<PutMessageRequest> {
    const strangers = (draft.recipientIds ?? []).filter(
      (id) => ![admin, bob, carol].some((p) => p.session.user.id === id),
    )
    return sealMessage({
      draft: {
        id: crypto.randomUUID(),
        senderId: from.session.user.id,
        recipientIds: [bob.session.user.id],
        sentAt: new Date(now()).toISOString(),
        expiresAt: null,
        highPriority: false,
        replyTo: null,
        subject: 'checks',
        body: 'body',
        attachments: [],
        ...draft,
      },
      contentKey: await createContentKey(),
      sender: from.account,
      publicKeys: new Map([
        ...[admin, bob, carol].map((p): [string, string] => [
          p.session.user.id,
          p.session.keys.x25519PublicKey,
        ]),
        // Someone the server does not know still needs a key to seal to.
        ...strangers.map((id): [string, string] => [id, carol.session.keys.x25519PublicKey]),
      ]),
    })
  }

  async function refusal(request: PutMessageRequest) {
    return apiError(() => admin.api.putMessage(request))
  }

  async function storedCount() {
    return (await server.db.selectFrom('messages').select('id').execute()).length
  }

  it('refuses an envelope whose id is not the one in the URL', async () => {
    const request = await sealed()
    const response = await rawRequest(server.app, {
      method: 'PUT',
      url: `/api/messages/${crypto.randomUUID()}`,
      cookie: admin.api.session.cookie,
      csrf: admin.session.csrfToken,
      body: request,
    })
    expect(response.status).toBe(400)
    expect(response.json().error?.message).toBe('envelope id does not match the URL')
    expect(await storedCount()).toBe(0)
  })

  it('refuses a message that names someone else as its sender', async () => {
    expect(await refusal(await sealed({ senderId: carol.session.user.id }))).toMatchObject({
      status: 400,
      message: 'senderId must be your own id',
    })
  })

  it('accepts a device clock up to ten minutes off, and no more', async () => {
    for (const offset of [10 * MINUTE, -10 * MINUTE]) {
      const request = await sealed({ sentAt: new Date(now() + offset).toISOString() })
      await expect(admin.api.putMessage(request)).resolves.toEqual({ id: request.envelope.id })
    }
    for (const offset of [10 * MINUTE + 1, -10 * MINUTE - 1]) {
      const refused = await refusal(
        await sealed({ sentAt: new Date(now() + offset).toISOString() }),
      )
      expect(refused).toMatchObject({ status: 400, code: 'invalid_input' })
      expect(refused.message).toMatch(/too far from the server time/)
    }
    expect(await storedCount()).toBe(2)
  })

  it('accepts an expiry after now and up to the organisation maximum, exactly', async () => {
    await admin.api.setOrgPolicy({ maxExpiryDays: 365 })
    const at = (ms: number) => new Date(now() + ms).toISOString()
    expect(await refusal(await sealed({ expiresAt: at(0) }))).toMatchObject({
      message: 'expiresAt is in the past',
    })
    expect(await refusal(await sealed({ expiresAt: at(365 * DAY + 1) }))).toMatchObject({
      code: 'policy_limit',
      message: 'policy maxExpiryDays: expiresAt is more than 365 days away',
    })
    for (const expiresAt of [at(1), at(365 * DAY)]) {
      const request = await sealed({ expiresAt })
      await expect(admin.api.putMessage(request)).resolves.toEqual({ id: request.envelope.id })
    }
  })

  it('refuses a recipient listed twice, one who is not active, and one who does not exist', async () => {
    const request = await sealed()
    const twice = {
      ...request,
      envelope: {
        ...request.envelope,
        recipientIds: [bob.session.user.id, bob.session.user.id],
      },
    }
    expect(await refusal(twice)).toMatchObject({ message: 'a recipient is listed twice' })

    await admin.api.updateUser(carol.session.user.id, { status: 'disabled' })
    expect(await refusal(await sealed({ recipientIds: [carol.session.user.id] }))).toMatchObject({
      message: 'a recipient is not an active user',
    })
    const toStranger = await sealed({ recipientIds: [crypto.randomUUID()] })
    expect(await refusal(toStranger)).toMatchObject({
      message: 'a recipient is not an active user',
    })
    expect(await storedCount()).toBe(0)
  })

  it(`takes in a message to ${MESSAGE_RECIPIENTS_MAX} recipients with the longest text, and refuses one recipient more as invalid`, async () => {
    const strangers = Array.from({ length: MESSAGE_RECIPIENTS_MAX + 1 }, () => crypto.randomUUID())
    // The most a message may carry besides files: a key box each, every id again in the sealed
    // header with as many groups, and subject and body of characters JSON writes as \u0001.
    const largest = await sealed({
      recipientIds: strangers.slice(0, MESSAGE_RECIPIENTS_MAX),
      subject: '\u0001'.repeat(SUBJECT_MAX),
      body: '\u0001'.repeat(BODY_MAX),
      groups: strangers
        .slice(0, MESSAGE_RECIPIENTS_MAX)
        .map(() => ({ name: '\u0001'.repeat(64), count: MESSAGE_RECIPIENTS_MAX })),
      directIds: strangers.slice(0, MESSAGE_RECIPIENTS_MAX),
    })
    // Over the app's 1 MiB body limit: the route's own limit is what lets it in.
    expect(JSON.stringify(largest).length).toBeGreaterThan(1024 * 1024)
    // Past the body limit and the schema: only the recipients being strangers stops it.
    expect(await refusal(largest)).toMatchObject({
      status: 400,
      message: 'a recipient is not an active user',
    })

    const tooMany = await sealed({ recipientIds: strangers })
    const response = await rawRequest(server.app, {
      method: 'PUT',
      url: `/api/messages/${tooMany.envelope.id}`,
      body: tooMany,
      cookie: admin.api.session.cookie,
      csrf: admin.session.csrfToken,
    })
    expect(response.status).toBe(400)
    expect(response.json().error?.message).toBe(
      `envelope.recipientIds: Too big: expected array to have <=${MESSAGE_RECIPIENTS_MAX} items; ` +
        `keys: Too big: expected array to have <=${MESSAGE_RECIPIENTS_MAX + 1} items`,
    )
    expect(await storedCount()).toBe(0)
  }, 60_000)

  it('needs exactly one key box for each recipient and the sender', async () => {
    const request = await sealed({ recipientIds: [bob.session.user.id, carol.session.user.id] })
    const box = (person: Person) => request.keys.find((k) => k.userId === person.session.user.id)!
    const outsider = { ...box(bob), userId: crypto.randomUUID() }
    const variants: Array<[string, PutMessageRequest['keys']]> = [
      ['the sender’s missing', [box(bob), box(carol)]],
      ['a recipient’s missing', [box(admin), box(bob)]],
      ['one box twice', [box(admin), box(bob), box(carol), box(bob)]],
      ['one box too many', [box(admin), box(bob), box(carol), outsider]],
      ['a box for an outsider instead', [box(admin), box(bob), outsider]],
    ]
    for (const [name, keys] of variants) {
      expect(await refusal({ ...request, keys }), name).toMatchObject({
        status: 400,
        message: 'there must be exactly one key box for each recipient and the sender',
      })
    }
    expect(await storedCount()).toBe(0)
  })

  it('refuses copied vault items without the attachment permission', async () => {
    await admin.api.updateUser(bob.session.user.id, { canSendAttachments: false })
    const withTree = await sealed(
      {
        recipientIds: [carol.session.user.id],
        tree: [
          {
            kind: 'folder',
            content: { name: 'Servers', type: 'folder', fields: [], files: [] },
            children: [],
          },
        ],
      },
      bob,
    )
    expect(await apiError(() => bob.api.putMessage(withTree))).toMatchObject({
      status: 403,
      code: 'attachments_disabled',
    })
    const plain = await sealed({ recipientIds: [carol.session.user.id] }, bob)
    await expect(bob.api.putMessage(plain)).resolves.toEqual({ id: plain.envelope.id })
  })

  it('refuses another sender’s very same request under its id', async () => {
    const request = await sealed()
    await admin.api.putMessage(request)
    expect(await apiError(() => bob.api.putMessage(request))).toMatchObject({
      status: 409,
      code: 'message_exists',
    })
    expect(await admin.api.putMessage(request)).toEqual({ id: request.envelope.id })
  })
})
