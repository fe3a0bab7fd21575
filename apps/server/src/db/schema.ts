import type { Generated } from 'kysely'
/** Booleans are stored as 0/1 integers so one schema serves SQLite and PostgreSQL. */
type Flag = number
/** Milliseconds since the epoch. */
type Millis = number

export type UsersTable = {
  id: string
  username: string
  display_name: string
  email: string
  role: 'admin' | 'member'
  status: 'invited' | 'active' | 'disabled'
  /** OPAQUE registration record; null until the user has chosen a password. */
  opaque_record: string | null
  /** JSON AccountKeys: public keys and blobs wrapped on the client. */
  account_keys: string | null
  created_at: Millis
  updated_at: Millis
  /** New-message emails (0018): the member's choice; null follows the organisation default. */
  notify_by_email: Flag | null
  /** When the last new-message email went to this member (0018). */
  message_notice_at: Millis | null
}

export type SessionsTable = {
  /** SHA-256 (hex) of the cookie token; the token itself is never stored. */
  id: string
  user_id: string
  created_at: Millis
  last_seen_at: Millis
  expires_at: Millis
  /** What the owner sees and names to end it (the id above never leaves the server). */
  public_id: string
  /** The client's User-Agent (cut to 256 characters) and address at sign-in. */
  user_agent: string | null
  ip: string | null
  /** 1 while the organisation requires two-factor and this sign-in has none set up yet. */
  needs_two_factor: Flag
}

export type InvitesTable = {
  token_hash: string
  user_id: string
  created_by: string
  created_at: Millis
  expires_at: Millis
}

export type PendingLoginsTable = {
  id: string
  username: string
  user_id: string | null
  server_state: string
  expires_at: Millis
  /** Where the sign-in came from, for the audit event if it lapses unfinished (0022). */
  ip: string | null
  user_agent: string | null
  /** Signing in, or a signed-in user proving their password again (0027). */
  purpose: Generated<PendingLoginPurpose>
}

export type PendingLoginPurpose = 'sign_in' | 'password_proof'

export type OrgSettingsTable = {
  id: number
  /** Senders see when recipients opened, saved and replied (0015-receipts). */
  receipts_enabled: Flag
  /** New-message emails for members who have not chosen (0018). */
  default_notify_by_email: Flag
}

/** One policy value (0019): `scope` is `org` or `user:<id>`; `value` is JSON the key's schema reads. */
export type PoliciesTable = {
  scope: string
  key: string
  value: string
  updated_at: Millis
}

/** A group (0020); `name_key` is the name case-folded, unique. */
export type GroupsTable = {
  id: string
  name: string
  name_key: string
  created_at: Millis
}

export type GroupMembersTable = {
  group_id: string
  user_id: string
  added_at: Millis
}

export type VaultsTable = {
  id: string
  kind: 'user' | 'shared'
  /** JSON SealedEnvelope (shared vaults); null for user vaults. */
  name: string | null
  /** 1 when created, one more at each re-key (issue 13). */
  key_version: Generated<number>
  created_at: Millis
}

export type VaultMembersTable = {
  vault_id: string
  user_id: string
  can_write: Flag
  /** JSON SealedEnvelope (user vault) or HPKE box (shared vault). */
  wrapped_key: string
  /** 1: given to the person; 0: lasts while a group grant covers them (0024). */
  direct: Generated<Flag>
}

/** Someone who lost access to a shared vault since its key was made (0026). */
export type VaultDeparturesTable = {
  vault_id: string
  user_id: string
  departed_at: Millis
}

/** A shared vault granted to a group (0024). */
export type VaultGroupGrantsTable = {
  vault_id: string
  group_id: string
  can_write: Flag
  created_at: Millis
}

export type AuditEventsTable = {
  id: string
  /** Position in the hash chain, from 1 (0014-audit-chain). */
  seq: number
  actor_id: string | null
  action: string
  target_id: string | null
  created_at: Millis
  ip: string | null
  user_agent: string | null
  /** Canonical JSON of the event's `AuditDetails`, or null (0022-audit-details). */
  details: string | null
  prev_hash: string
  hash: string
}

/** One row (id 1): the chain's newest event and where it starts after retention. */
export type AuditHeadTable = {
  id: number
  seq: number
  hash: string
  base_seq: number
  base_hash: string
}

export type MessagesTable = {
  id: string
  sender_id: string
  sent_at: Millis
  expires_at: Millis | null
  high_priority: Flag
  reply_to: string | null
  /** Id of the first message of the thread (itself when not a reply). */
  thread_id: string
  attachment_count: number
  size_bytes: number
  /** JSON MessageEnvelope: ciphertext plus the fields its AAD and signature bind. */
  envelope: string
  created_at: Millis
  /** Set for an answer from outside to this request: unsigned, shown as not verified. */
  request_id: string | null
}

export type MessageRecipientsTable = {
  message_id: string
  user_id: string
  /** 1 when in this user's inbox; the sender's own key row has 0 (unless sent to self). */
  in_inbox: Flag
  /** JSON HpkeBox: the content key sealed to this user. */
  wrapped_key: string
  sent_at: Millis
  expires_at: Millis | null
  high_priority: Flag
  /** Closed (S15): the inbox's unread state. */
  read_at: Millis | null
  /** Removed from this user's inbox. */
  deleted_at: Millis | null
  /** When this recipient was reminded that the unread message is about to expire (0021). */
  reminded_at: Millis | null
  /** Receipts (0015): first decrypted by a client, saved to a vault, replied to. */
  opened_at: Millis | null
  saved_at: Millis | null
  replied_at: Millis | null
}

export type BlobsTable = {
  id: string
  message_id: string | null
  link_id: string | null
  item_id: string | null
  /** Who uploaded it; vault files count against this user's quota. */
  owner_id: string | null
  size: number
  chunk_count: number
  created_at: Millis
}

export type BlobChunksTable = {
  blob_id: string
  idx: number
  bytes: Uint8Array
}

export type StagedChunksTable = {
  blob_id: string
  idx: number
  owner_id: string
  bytes: Uint8Array
  created_at: Millis
  /** A visitor's upload for an answer to this request (owner: the requester); else null. */
  request_id: string | null
}

export type LinksTable = {
  /** Derived from the link secret by the client; 128 bits. */
  id: string
  owner_id: string
  /** SHA-256 of the access proof (base64url). */
  access_verifier: string
  /** JSON {salt, params, verifier} when the link has a passphrase. */
  passphrase: string | null
  /** JSON SealedEnvelope of {subject, text, files}; '' once the link ended (content deleted). */
  payload: string
  /** JSON SealedEnvelope sealed with the owner's account key. */
  label: string | null
  expires_at: Millis
  max_views: number
  views: number
  failed_passphrases: number
  file_count: number
  size_bytes: number
  created_at: Millis
  /** Opens still streaming the files; a used-up link is deleted when the last one ends. */
  readers: number
  /** Until then a used-up link's files may still be streaming; the sweeper waits for it. */
  read_until: Millis
  /** When it ended (0016): used up, expired, deleted or destroyed; null while it can be opened. */
  ended_at: Millis | null
  end_reason: LinkEndReason | null
  /** Email the owner at each spent view (0017). */
  notify_on_open: Flag
  has_passphrase: Flag
}

export type LinkEndReason = 'used_up' | 'expired' | 'deleted' | 'destroyed'

/** What happened to a link, for its owner's history (0016). */
export type LinkEventsTable = {
  id: string
  link_id: string
  /** 1, 2, … within the link, in the order things happened. */
  seq: number
  event: 'revealed' | 'opened' | 'wrong_passphrase' | 'destroyed' | 'expired' | 'deleted'
  at: Millis
  /** For `opened`: which view this was. */
  view: number | null
}

export type LinkEmailsTable = {
  id: string
  link_id: string
  recipient: string
  status: 'sent' | 'failed'
  error: string | null
  created_at: Millis
}

/** One row per email sent for a member (any link), for the hourly and daily limits. */
export type SentEmailsTable = {
  id: string
  user_id: string
  created_at: Millis
}

export type VaultItemsTable = {
  id: string
  vault_id: string
  parent_id: string | null
  kind: 'folder' | 'entry'
  /** JSON SealedEnvelope; AAD binds vault, item and parent. */
  payload: string
  revision: number
  created_at: Millis
  updated_at: Millis
}

export type VaultItemHistoryTable = {
  id: string
  item_id: string
  revision: number
  action: 'created' | 'updated' | 'moved'
  actor_id: string | null
  parent_id: string | null
  payload: string
  created_at: Millis
}

export type RequestsTable = {
  /** Derived from the request secret by the client; 128 bits. */
  id: string
  owner_id: string
  /** SHA-256 of the access proof (base64url). */
  access_verifier: string
  /** JSON SealedEnvelope under a key derived from the secret. */
  note: string
  /** JSON SealedEnvelope under the owner's account key. */
  owner_copy: string
  allow_files: Flag
  max_answers: number
  answers: number
  expires_at: Millis
  created_at: Millis
}

export type AttemptsTable = {
  key: string
  count: number
  reset_at: Millis
  blocked_until: Millis
}

export type RecoveryCodesTable = {
  user_id: string
  /** SHA-256 (base64url) of the access proof the code derives. */
  verifier: string
  /** JSON SealedEnvelope: the account key under a key derived from the code. */
  wrapped_account_key: string
  created_at: Millis
}

export type TotpFactorsTable = {
  user_id: string
  /** RFC 6238 shared secret, base32; the server must compute codes, so it keeps it. */
  secret: string
  /** 0 until the user confirmed a code from their app. */
  enabled: Flag
  /** The last 30-second step whose code was accepted: each code works once. */
  last_step: number
  created_at: Millis
}

export type BackupCodesTable = {
  user_id: string
  /** SHA-256 (hex) of a one-time backup code; deleted when used. */
  code_hash: string
}

export type WebauthnCredentialsTable = {
  /** Credential id, base64url. */
  id: string
  user_id: string
  /** COSE public key, base64url. */
  public_key: string
  counter: number
  /** JSON array of transports, or null. */
  transports: string | null
  name: string
  created_at: Millis
}

/** Between a correct password and the second factor: no session exists yet. */
export type SecondFactorLoginsTable = {
  token_hash: string
  user_id: string
  webauthn_challenge: string | null
  failures: number
  expires_at: Millis
}

export type WebauthnRegistrationsTable = {
  session_id: string
  challenge: string
  expires_at: Millis
}

/** One row (id 1) while account recovery is on. */
export type OrgRecoveryKeysTable = {
  id: number
  key_id: string
  /** X25519 public key, base64url. */
  public_key: string
  created_by: string | null
  created_at: Millis
  /** The administrator whose Ed25519 signature vouches for the key (null before 0013). */
  signer_id: string | null
  /** Ed25519 signature over `recoveryKeyStatement`, base64url (null before 0013). */
  signature: string | null
}

export type RecoverySharesTable = {
  admin_id: string
  key_id: string
  /** JSON RecoveryBox: the recovery private key HPKE-sealed to this administrator. */
  box: string
}

export type RecoveryEscrowsTable = {
  user_id: string
  key_id: string
  /** JSON RecoveryBox: the user's account key HPKE-sealed to the recovery public key. */
  box: string
  created_at: Millis
}

export type PasswordResetsTable = {
  /** Derived from the link's secret by the administrator's client. */
  id: string
  user_id: string
  /** SHA-256 (base64url) of the access proof the secret derives. */
  verifier: string
  /** JSON SealedEnvelope: the account key under a key derived from the secret. */
  wrapped_account_key: string
  created_by: string
  created_at: Millis
  expires_at: Millis
}

/** One open event stream (0018): who has the app open, for every server process. */
export type EventStreamsTable = {
  id: string
  user_id: string
  /** Refreshed by the stream's heartbeat; older than a few beats, the stream is gone. */
  seen_at: Millis
}

export type WebhooksTable = {
  id: string
  url: string
  description: string
  /** JSON array of event types (0023-webhooks); empty means every event. */
  events: string
  /** `whsec_…`: signs deliveries, so the server keeps it; shown to administrators once. */
  secret: string
  enabled: Flag
  created_at: Millis
  updated_at: Millis
}

export type WebhookDeliveriesTable = {
  /** Also the `webhook-id` header, the same on every attempt. */
  id: string
  webhook_id: string
  /** The audit action, or `webhook.test`. */
  type: string
  /** The JSON body every attempt sends. */
  payload: string
  status: 'pending' | 'succeeded' | 'failed'
  attempts: number
  /** When a pending delivery is due; a claim moves it to the end of its lease. */
  next_attempt_at: Millis | null
  /** The claim of the attempt under way (random); its outcome counts only while it matches. */
  claim: string | null
  /** Retries stop after this (24 hours after it was queued or redelivered). */
  give_up_at: Millis
  last_status_code: number | null
  last_response_ms: number | null
  last_error: string | null
  created_at: Millis
  updated_at: Millis
}

export type Database = {
  event_streams: EventStreamsTable
  org_recovery_keys: OrgRecoveryKeysTable
  recovery_shares: RecoverySharesTable
  recovery_escrows: RecoveryEscrowsTable
  password_resets: PasswordResetsTable
  totp_factors: TotpFactorsTable
  backup_codes: BackupCodesTable
  webauthn_credentials: WebauthnCredentialsTable
  second_factor_logins: SecondFactorLoginsTable
  webauthn_registrations: WebauthnRegistrationsTable
  recovery_codes: RecoveryCodesTable
  attempts: AttemptsTable
  vault_items: VaultItemsTable
  vault_item_history: VaultItemHistoryTable
  links: LinksTable
  requests: RequestsTable
  link_emails: LinkEmailsTable
  sent_emails: SentEmailsTable
  link_events: LinkEventsTable
  messages: MessagesTable
  message_recipients: MessageRecipientsTable
  blobs: BlobsTable
  blob_chunks: BlobChunksTable
  staged_chunks: StagedChunksTable
  users: UsersTable
  sessions: SessionsTable
  invites: InvitesTable
  pending_logins: PendingLoginsTable
  org_settings: OrgSettingsTable
  policies: PoliciesTable
  groups: GroupsTable
  group_members: GroupMembersTable
  vaults: VaultsTable
  vault_members: VaultMembersTable
  vault_group_grants: VaultGroupGrantsTable
  vault_departures: VaultDeparturesTable
  audit_events: AuditEventsTable
  audit_head: AuditHeadTable
  webhooks: WebhooksTable
  webhook_deliveries: WebhookDeliveriesTable
}
