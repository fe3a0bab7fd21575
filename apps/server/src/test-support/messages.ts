import {
  type ApiClient,
  bytesSource,
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
