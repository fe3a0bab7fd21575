import {
  type ApiClient,
  bytesSource,
  downloadAttachment,
  openMessageDetail,
  type SendInput,
  sendMessage,
  type UnlockedAccount,
  type SessionResponse,
} from '@sealpost/core'

export type Person = { api: ApiClient; account: UnlockedAccount; session: SessionResponse }

/** Sends through the real client flow (seal, stage chunks, commit). */
export function send(
  from: Person,
  to: Person[],
  options: Partial<Omit<SendInput, 'me' | 'account' | 'recipients' | 'files'>> & {
    files?: Array<{ name: string; bytes: Uint8Array; type?: string }>
  } = {},
  now?: () => Date,
) {
  return sendMessage(from.api, {
    me: { id: from.session.user.id, x25519PublicKey: from.session.keys.x25519PublicKey },
    account: from.account,
    recipients: to.map((p) => ({
      id: p.session.user.id,
      x25519PublicKey: p.session.keys.x25519PublicKey,
    })),
    subject: options.subject ?? 'Hello',
    body: options.body ?? 'A body',
    expiresAt: options.expiresAt ?? null,
    highPriority: options.highPriority ?? false,
    replyTo: options.replyTo ?? null,
    id: options.id,
    files: (options.files ?? []).map((f) =>
      bytesSource(f.name, f.type ?? 'application/octet-stream', f.bytes),
    ),
    ...(now ? { now } : {}),
  })
}

/** `person` opens message `id` as a client does and downloads its first file, decrypted. */
export async function readFirstFile(person: Person, id: string, now: Date): Promise<Uint8Array> {
  const opened = await openMessageDetail(
    person.account,
    person.session.user.id,
    await person.api.getMessage(id),
    now,
  )
  const file = opened.attachments[0]
  if (!file) throw new Error(`message ${id} has no file`)
  return downloadAttachment(person.api, id, opened, file)
}
