import { z } from 'zod'
import type * as account from '../contracts/account.js'
import * as auth from '../contracts/auth.js'
import type * as groups from '../contracts/groups.js'
import type * as audit from '../contracts/audit.js'
import {
  ACCESS_PROOF_HEADER,
  CSRF_HEADER,
  ErrorBody,
  type LinkPassphraseParams,
} from '../contracts/common.js'
import { frameChunks, readFrames } from '../contracts/frames.js'
import { CryptoError } from '../crypto/crypto-error.js'
import type * as links from '../contracts/links.js'
import type * as messages from '../contracts/messages.js'
import type * as policies from '../contracts/policies.js'
import type * as requests from '../contracts/requests.js'
import type * as users from '../contracts/users.js'
import type * as vault from '../contracts/vault.js'
import type * as webhooks from '../contracts/webhooks.js'

/** The schemas of one contract module, loaded when a call first needs one of them. */
function lazyContract<M>(load: () => Promise<M>) {
  let loaded: Promise<M> | undefined
  return <K extends keyof M>(name: K) =>
    async (): Promise<M[K]> =>
      (await (loaded ??= load()))[name]
}

/**
 * The contracts of every route but the sign-in's (auth.ts, common.ts) load with the first call
 * that needs them: a page that only signs someone in does not build the schemas of the vault,
 * the messages or the administration (issue 15). Each loads while its request is under way; one
 * const per module, so a bundle keeps only the loaders of the routes it calls.
 */
const accountSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/account.js'))
const auditSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/audit.js'))
const groupsSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/groups.js'))
const linksSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/links.js'))
const messagesSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/messages.js'))
const policiesSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/policies.js'))
const requestsSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/requests.js'))
const usersSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/users.js'))
const vaultSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/vault.js'))
const webhooksSchema = /* @__PURE__ */ lazyContract(() => import('../contracts/webhooks.js'))

/** A failed API call: the server's error code and message, or a network failure. */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  /** With `wrong_passphrase`: wrong passphrases the link still takes before it is destroyed. */
  readonly triesLeft: number | undefined
  /** With `passphrase_needed`: the salt and Argon2id parameters of the link's passphrase. */
  readonly passphrase: LinkPassphraseParams | undefined

  constructor(
    status: number,
    code: string,
    message: string,
    options?: { triesLeft?: number | undefined; passphrase?: LinkPassphraseParams | undefined },
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.triesLeft = options?.triesLeft
    this.passphrase = options?.passphrase
  }
}

/**
 * The part of `fetch` the client uses: the browser's and Node's `fetch` fit it, and so does a
 * smaller transport (the CLI's over `node:http`, which starts faster).
 */
export type FetchLike = (
  url: string,
  init: {
    method: string
    headers: Record<string, string>
    body: string | Uint8Array | undefined
    credentials: 'same-origin'
  },
) => Promise<FetchLikeResponse>

export type FetchLikeResponse = {
  ok: boolean
  status: number
  headers: { get(name: string): string | null }
  /** Streamed as it arrives (the audit export); or read whole with text() or arrayBuffer(). */
  body: ReadableStream<Uint8Array> | null
  text(): Promise<string>
  arrayBuffer(): Promise<ArrayBuffer>
}

/** The platform's `fetch` (browser or Node) as a FetchLike: the client's default transport. */
export const platformFetch: FetchLike = (url, init) =>
  // Uint8Array<ArrayBufferLike> is a body fetch takes; TypeScript's DOM types want ArrayBuffer.
  globalThis.fetch(url, { ...init, body: init.body as BodyInit | undefined })

export type ApiClientOptions = {
  /** Origin of the server, e.g. http://localhost:8080; '' for same-origin in the browser. */
  baseUrl: string
  /** `globalThis.fetch` unless given. */
  fetch?: FetchLike
  /** Keep the session cookie by hand (CLI, tests); browsers keep it themselves. */
  manageCookies?: boolean
  cookie?: string
  csrfToken?: string
  /** Sent as User-Agent where the platform allows it (the CLI: its sessions show as "CLI"). */
  userAgent?: string
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'

/** Typed client over the HTTP API; every response is validated with the shared contracts. */
export function createApiClient(options: ApiClientOptions) {
  const transport = createTransport(options)
  const { state, request, send, query, id, none } = transport

  return {
    /** Current cookie and CSRF token, for a CLI to persist between runs. */
    get session() {
      return { cookie: state.cookie, csrfToken: state.csrfToken }
    },
    useSession(session: auth.SessionResponse) {
      state.csrfToken = session.csrfToken
    },
    forgetSession() {
      state.cookie = undefined
      state.csrfToken = undefined
    },

    health: () => request('GET', '/api/health', usersSchema('Health')),
    setupStatus: () => request('GET', '/api/setup', auth.SetupStatus),
    setupStart: (body: z.input<typeof auth.RegistrationStartRequest>) =>
      request('POST', '/api/setup/start', auth.RegistrationStartResponse, body),
    setupFinish: (body: z.input<typeof auth.SetupFinishRequest>) =>
      request('POST', '/api/setup/finish', auth.SessionResponse, body),

    loginStart: (body: z.input<typeof auth.LoginStartRequest>) =>
      request('POST', '/api/auth/login/start', auth.LoginStartResponse, body),
    loginFinish: (body: z.input<typeof auth.LoginFinishRequest>) =>
      request('POST', '/api/auth/login/finish', accountSchema('LoginFinishResponse'), body),
    loginSecondFactor: (body: z.input<typeof account.SecondFactorRequest>) =>
      request('POST', '/api/auth/login/second-factor', auth.SessionResponse, body),
    logout: () => request('POST', '/api/auth/logout', none),
    getSession: () => request('GET', '/api/auth/session', auth.SessionResponse),
    changePasswordStart: (body: z.input<typeof account.ChangePasswordStartRequest>) =>
      request(
        'POST',
        '/api/account/password/start',
        accountSchema('ChangePasswordStartResponse'),
        body,
      ),
    changePasswordFinish: (body: z.input<typeof account.ChangePasswordFinishRequest>) =>
      request('POST', '/api/account/password/finish', auth.SessionResponse, body),
    listSessions: () => request('GET', '/api/account/sessions', accountSchema('SessionList')),
    getNotifications: () =>
      request('GET', '/api/account/notifications', accountSchema('NotificationSettings')),
    setNotifications: (body: account.NotificationSettings) =>
      request('PUT', '/api/account/notifications', accountSchema('NotificationSettings'), body),
    twoFactorStatus: () => request('GET', '/api/account/2fa', accountSchema('TwoFactorStatus')),
    totpSetup: (body: z.input<typeof account.FreshProofRequest> = {}) =>
      request('POST', '/api/account/2fa/totp', accountSchema('TotpSetup'), body),
    totpConfirm: (body: z.input<typeof account.TotpConfirmRequest>) =>
      request('POST', '/api/account/2fa/totp/confirm', accountSchema('BackupCodes'), body),
    twoFactorOff: (body: z.input<typeof account.TwoFactorOffRequest>) =>
      request('POST', '/api/account/2fa/off', none, body),
    webauthnRegistrationOptions: (body: z.input<typeof account.FreshProofRequest> = {}) =>
      request(
        'POST',
        '/api/account/2fa/webauthn/options',
        accountSchema('WebauthnRegistrationOptions'),
        body,
      ),
    webauthnRegister: (body: z.input<typeof account.WebauthnRegisterRequest>) =>
      request('POST', '/api/account/2fa/webauthn', accountSchema('BackupCodes'), body),
    twoFactorPolicy: () =>
      request('GET', '/api/admin/two-factor', accountSchema('TwoFactorPolicy')),
    setTwoFactorPolicy: (body: z.input<typeof account.TwoFactorPolicy>) =>
      request('PUT', '/api/admin/two-factor', accountSchema('TwoFactorPolicy'), body),
    removeUserTwoFactor: (userId: string) =>
      request('DELETE', `/api/admin/users/${encodeURIComponent(userId)}/two-factor`, none),
    recoveryPolicy: () =>
      request('GET', '/api/account/recovery-enrollment', accountSchema('RecoveryPolicy')),
    putEscrow: (body: z.input<typeof account.PutEscrowRequest>) =>
      request('PUT', '/api/account/escrow', none, body),
    myRecoveryShare: () => request('GET', '/api/recovery/share', accountSchema('RecoveryShare')),
    recoveryOverview: () =>
      request('GET', '/api/admin/recovery', accountSchema('RecoveryOverview')),
    enableRecovery: (body: z.input<typeof account.EnableRecoveryRequest>) =>
      request('POST', '/api/admin/recovery', accountSchema('RecoveryOverview'), body),
    putRecoveryShare: (userId: string, body: z.input<typeof account.PutShareRequest>) =>
      request('PUT', `/api/admin/recovery/shares/${encodeURIComponent(userId)}`, none, body),
    userEscrow: (userId: string) =>
      request(
        'GET',
        `/api/admin/users/${encodeURIComponent(userId)}/escrow`,
        accountSchema('Escrow'),
      ),
    createReset: (userId: string, body: z.input<typeof account.CreateResetRequest>) =>
      request(
        'POST',
        `/api/admin/users/${encodeURIComponent(userId)}/reset`,
        accountSchema('CreateResetResponse'),
        body,
      ),
    resetStart: (body: z.input<typeof account.ResetStartRequest>) =>
      request('POST', '/api/reset/start', accountSchema('ResetStartResponse'), body),
    resetFinish: (body: z.input<typeof account.ResetFinishRequest>) =>
      request('POST', '/api/reset/finish', none, body),
    reauthStart: (body: z.input<typeof account.ReauthStartRequest>) =>
      request('POST', '/api/account/reauth/start', accountSchema('ReauthStartResponse'), body),
    recoveryCodeStatus: () =>
      request('GET', '/api/account/recovery-code', accountSchema('RecoveryCodeStatus')),
    putRecoveryCode: (body: z.input<typeof account.PutRecoveryCodeRequest>) =>
      request('PUT', '/api/account/recovery-code', accountSchema('RecoveryCodeStatus'), body),
    recoverStart: (body: z.input<typeof account.RecoverStartRequest>) =>
      request('POST', '/api/recovery/start', accountSchema('RecoverStartResponse'), body),
    recoverFinish: (body: z.input<typeof account.RecoverFinishRequest>) =>
      request('POST', '/api/recovery/finish', none, body),
    /** Ends one of the user's own sessions (404 for any other id). */
    endSession: (sessionId: string) =>
      request('DELETE', `/api/account/sessions/${encodeURIComponent(sessionId)}`, none),
    endOtherSessions: () =>
      request('POST', '/api/account/sessions/end-others', accountSchema('EndedSessions'), {}),
    endUserSessions: (userId: string) =>
      request(
        'POST',
        `/api/admin/users/${encodeURIComponent(userId)}/sessions/end`,
        accountSchema('EndedSessions'),
        {},
      ),

    inviteLookup: (body: z.input<typeof users.InviteLookupRequest>) =>
      request('POST', '/api/invites/lookup', usersSchema('InviteLookupResponse'), body),
    inviteRegisterStart: (body: z.input<typeof users.InviteRegisterStartRequest>) =>
      request('POST', '/api/invites/register/start', auth.RegistrationStartResponse, body),
    inviteRegisterFinish: (body: z.input<typeof users.InviteRegisterFinishRequest>) =>
      request('POST', '/api/invites/register/finish', auth.SessionResponse, body),

    directory: () => request('GET', '/api/users', usersSchema('Directory')),

    listUsers: () => request('GET', '/api/admin/users', usersSchema('UserList')),
    listAudit: (params: Partial<audit.AuditQuery> = {}) =>
      request('GET', `/api/admin/audit${query(params)}`, auditSchema('AuditPage')),
    verifyAudit: () => request('GET', '/api/admin/audit/verify', auditSchema('AuditVerifyResult')),
    /** The export as the server streams it (NDJSON or CSV), for piping to a file. */
    exportAudit: (
      params: Omit<Partial<audit.AuditQuery>, 'before' | 'limit'> & {
        format: 'ndjson' | 'csv'
      },
    ) => send('GET', `/api/admin/audit/export${query(params)}`, undefined),
    listWebhooks: () => request('GET', '/api/admin/webhooks', webhooksSchema('WebhookList')),
    /** The answer holds the endpoint's signing secret: the only time it is shown. */
    createWebhook: (body: webhooks.CreateWebhookRequest) =>
      request('POST', '/api/admin/webhooks', webhooksSchema('CreatedWebhook'), body),
    updateWebhook: (webhookId: string, body: webhooks.UpdateWebhookRequest) =>
      request('PATCH', `/api/admin/webhooks/${id(webhookId)}`, webhooksSchema('Webhook'), body),
    deleteWebhook: (webhookId: string) =>
      request('DELETE', `/api/admin/webhooks/${id(webhookId)}`, none),
    webhookDeliveries: (webhookId: string, params: { limit?: number } = {}) =>
      request(
        'GET',
        `/api/admin/webhooks/${id(webhookId)}/deliveries${query(params)}`,
        webhooksSchema('WebhookDeliveryList'),
      ),
    /** Queues a `webhook.test` delivery to this endpoint only. */
    testWebhook: (webhookId: string) =>
      request(
        'POST',
        `/api/admin/webhooks/${id(webhookId)}/test`,
        webhooksSchema('WebhookDelivery'),
        {},
      ),
    /** Queues the delivery again, with the same id, for another 24 hours of attempts. */
    redeliverWebhook: (webhookId: string, deliveryId: string) =>
      request(
        'POST',
        `/api/admin/webhooks/${id(webhookId)}/deliveries/${id(deliveryId)}/redeliver`,
        webhooksSchema('WebhookDelivery'),
        {},
      ),
    inviteUser: (body: z.input<typeof users.InviteRequest>) =>
      request('POST', '/api/admin/users', usersSchema('InviteResponse'), body),
    reinviteUser: (id: string) =>
      request(
        'POST',
        `/api/admin/users/${encodeURIComponent(id)}/invite`,
        usersSchema('InviteResponse'),
        {},
      ),
    updateUser: (id: string, body: users.UpdateUserRequest) =>
      request(
        'PATCH',
        `/api/admin/users/${encodeURIComponent(id)}`,
        usersSchema('UserResponse'),
        body,
      ),
    getSettings: () => request('GET', '/api/admin/settings', usersSchema('OrgSettings')),

    messagingLimits: () =>
      request('GET', '/api/messages/limits', messagesSchema('MessagingLimits')),
    /** Stages sealed chunks `from`, `from + 1`, … of a file (at most CHUNKS_PER_REQUEST). */
    uploadChunks: async (blobId: string, from: number, sealed: Uint8Array[]) => {
      await send('PUT', `/api/uploads/${id(blobId)}/chunks/${from}`, {
        bytes: frameChunks(sealed),
      })
    },
    putMessage: (body: messages.PutMessageRequest) =>
      request('PUT', `/api/messages/${id(body.envelope.id)}`, z.object({ id: z.string() }), body),
    inbox: (params: { before?: string; limit?: number; unread?: boolean } = {}) =>
      request('GET', `/api/messages/inbox${query(params)}`, messagesSchema('MessagePage')),
    sent: (params: { before?: string; limit?: number } = {}) =>
      request('GET', `/api/messages/sent${query(params)}`, messagesSchema('SentPage')),
    unreadCount: () => request('GET', '/api/messages/unread', messagesSchema('UnreadCount')),
    priorityMessages: () =>
      request('GET', '/api/messages/priority', messagesSchema('PriorityList')),
    /** Refuses an answer about another message than the one asked for. */
    getMessage: async (messageId: string) => {
      const detail = await request(
        'GET',
        `/api/messages/${id(messageId)}`,
        messagesSchema('MessageDetail'),
      )
      if (detail.envelope.id !== messageId) {
        throw new ApiError(0, 'bad_response', 'the server answered with a different message')
      }
      return detail
    },
    markRead: (messageId: string) => request('POST', `/api/messages/${id(messageId)}/read`, none),
    /** Tells the sender (if receipts are on) that this client opened the message or saved it. */
    recordReceipt: (messageId: string, event: messages.ReceiptEvent) =>
      request('POST', `/api/messages/${id(messageId)}/receipts`, none, { event }),
    receipts: (messageId: string) =>
      request('GET', `/api/messages/${id(messageId)}/receipts`, messagesSchema('MessageReceipts')),
    deleteMessage: (messageId: string) => request('DELETE', `/api/messages/${id(messageId)}`, none),
    putLink: (id: string, body: links.PutLinkRequest) =>
      request('PUT', `/api/links/${encodeURIComponent(id)}`, z.object({ id: z.string() }), body),
    /** My links that can still be opened; with `all`, ended ones too (without content). */
    listLinks: (params: { all?: boolean } = {}) =>
      request('GET', `/api/links${params.all ? '?all=true' : ''}`, linksSchema('LinkList')),
    /** One of my links, with what happened to it. */
    getLink: (linkId: string) =>
      request('GET', `/api/links/${id(linkId)}`, linksSchema('LinkDetail')),
    deleteLink: (linkId: string) => request('DELETE', `/api/links/${id(linkId)}`, none),
    emailLink: (linkId: string, body: z.input<typeof links.EmailLinkRequest>) =>
      request('POST', `/api/links/${id(linkId)}/email`, linksSchema('EmailLinkResponse'), body),
    mailStatus: () => request('GET', '/api/mail/status', linksSchema('MailStatus')),
    putRequest: (requestId: string, body: requests.PutRequestRequest) =>
      request('PUT', `/api/requests/${id(requestId)}`, z.object({ id: z.string() }), body),
    listRequests: () => request('GET', '/api/requests', requestsSchema('RequestList')),
    getRequest: (requestId: string) =>
      request('GET', `/api/requests/${id(requestId)}`, requestsSchema('RequestSummary')),
    /** Close now: no more answers; the answers already received stay in the inbox. */
    deleteRequest: (requestId: string) => request('DELETE', `/api/requests/${id(requestId)}`, none),
    emailRequest: (requestId: string, body: z.input<typeof requests.EmailRequestRequest>) =>
      request(
        'POST',
        `/api/requests/${id(requestId)}/email`,
        linksSchema('EmailLinkResponse'),
        body,
      ),
    listVaults: () => request('GET', '/api/vaults', vaultSchema('VaultList')),
    createVault: (body: z.input<typeof vault.CreateVaultRequest>) =>
      request('POST', '/api/vaults', z.object({ id: z.string() }), body),
    vaultMembers: (vaultId: string) =>
      request('GET', `/api/vaults/${id(vaultId)}/members`, vaultSchema('VaultMembers')),
    putVaultMember: (
      vaultId: string,
      userId: string,
      body: z.input<typeof vault.PutVaultMemberRequest>,
    ) => request('PUT', `/api/vaults/${id(vaultId)}/members/${id(userId)}`, none, body),
    removeVaultMember: (vaultId: string, userId: string) =>
      request('DELETE', `/api/vaults/${id(vaultId)}/members/${id(userId)}`, none),
    vaultGroupGrants: (vaultId: string) =>
      request('GET', `/api/vaults/${id(vaultId)}/groups`, vaultSchema('VaultGroupGrants')),
    putVaultGroupGrant: (
      vaultId: string,
      groupId: string,
      body: z.input<typeof vault.PutVaultGroupGrantRequest>,
    ) => request('PUT', `/api/vaults/${id(vaultId)}/groups/${id(groupId)}`, none, body),
    removeVaultGroupGrant: (vaultId: string, groupId: string) =>
      request('DELETE', `/api/vaults/${id(vaultId)}/groups/${id(groupId)}`, none),
    pendingVaultGrants: () =>
      request('GET', '/api/vault-grants/pending', vaultSchema('PendingVaultGrants')),
    sealVaultGrant: (body: z.input<typeof vault.SealVaultGrantRequest>) =>
      request('POST', '/api/vault-grants/seal', none, body),
    waitingVaults: () => request('GET', '/api/vault-grants/waiting', vaultSchema('WaitingVaults')),
    storageUsage: () => request('GET', '/api/uploads/usage', vaultSchema('StorageUsage')),
    vaultItems: (vaultId: string) =>
      request('GET', `/api/vaults/${id(vaultId)}/items`, vaultSchema('VaultItems')),
    putItem: (vaultId: string, itemId: string, body: vault.PutItemRequest) =>
      request(
        'PUT',
        `/api/vaults/${id(vaultId)}/items/${id(itemId)}`,
        vaultSchema('VaultItem'),
        body,
      ),
    createItems: (vaultId: string, body: vault.CreateItemsRequest) =>
      request('POST', `/api/vaults/${id(vaultId)}/items`, z.object({ created: z.number() }), body),
    deleteItem: (vaultId: string, itemId: string) =>
      request(
        'DELETE',
        `/api/vaults/${id(vaultId)}/items/${id(itemId)}`,
        z.object({ deleted: z.number() }),
      ),
    /** Every stored revision of every item, for re-keying. */
    vaultHistory: (vaultId: string) =>
      request('GET', `/api/vaults/${id(vaultId)}/history`, vaultSchema('VaultHistoryRows')),
    /** Swaps everything sealed under the vault key for its re-sealed copy, in one transaction. */
    rekeyVault: (vaultId: string, body: vault.RekeyVaultRequest) =>
      request('POST', `/api/vaults/${id(vaultId)}/rekey`, vaultSchema('RekeyVaultResponse'), body),
    itemHistory: (vaultId: string, itemId: string) =>
      request(
        'GET',
        `/api/vaults/${id(vaultId)}/items/${id(itemId)}/history`,
        vaultSchema('ItemHistory'),
      ),
    downloadItemChunk: async (vaultId: string, itemId: string, blobId: string, index: number) => {
      const response = await send(
        'GET',
        `/api/vaults/${id(vaultId)}/items/${id(itemId)}/files/${id(blobId)}/chunks/${index}`,
        undefined,
      )
      return new Uint8Array(await response.arrayBuffer())
    },
    /** Sealed chunks `from` … `from + count - 1` of an attachment (count ≤ CHUNKS_PER_REQUEST). */
    downloadChunks: async (messageId: string, blobId: string, from: number, count: number) => {
      const response = await send(
        'GET',
        `/api/messages/${id(messageId)}/attachments/${id(blobId)}/chunks/${from}?count=${count}`,
        undefined,
      )
      const chunks = readFrames(new Uint8Array(await response.arrayBuffer()), count)
      if (chunks?.length !== count) {
        throw new CryptoError('malformed', 'the server answered other chunks than asked for')
      }
      return chunks
    },
    updateSettings: (body: users.UpdateOrgSettings) =>
      request('PUT', '/api/admin/settings', usersSchema('OrgSettings'), body),
    orgPolicy: () => request('GET', '/api/admin/policy', policiesSchema('OrgPolicyResponse')),
    setOrgPolicy: (body: policies.PolicySettings) =>
      request('PUT', '/api/admin/policy', policiesSchema('OrgPolicyResponse'), body),
    userPolicy: (userId: string) =>
      request(
        'GET',
        `/api/admin/users/${encodeURIComponent(userId)}/policy`,
        policiesSchema('UserPolicyResponse'),
      ),
    /** A value overrides the key for this user; null removes the override. */
    setUserPolicy: (userId: string, body: policies.PolicyUpdate) =>
      request(
        'PUT',
        `/api/admin/users/${encodeURIComponent(userId)}/policy`,
        policiesSchema('UserPolicyResponse'),
        body,
      ),
    myPolicy: () => request('GET', '/api/account/policy', policiesSchema('EffectivePolicy')),
    listGroups: () => request('GET', '/api/groups', groupsSchema('GroupList')),
    /** The group's active members: whom a message to it is sealed to. */
    group: (groupId: string) =>
      request('GET', `/api/groups/${id(groupId)}`, groupsSchema('GroupDetail')),
    adminGroup: (groupId: string) =>
      request('GET', `/api/admin/groups/${id(groupId)}`, groupsSchema('GroupDetail')),
    createGroup: (body: groups.CreateGroupRequest) =>
      request('POST', '/api/admin/groups', groupsSchema('GroupDetail'), body),
    renameGroup: (groupId: string, body: groups.RenameGroupRequest) =>
      request('PATCH', `/api/admin/groups/${id(groupId)}`, groupsSchema('GroupDetail'), body),
    deleteGroup: (groupId: string) => request('DELETE', `/api/admin/groups/${id(groupId)}`, none),
    changeGroupMembers: (groupId: string, body: groups.GroupMembersUpdate) =>
      request(
        'POST',
        `/api/admin/groups/${id(groupId)}/members`,
        groupsSchema('GroupDetail'),
        body,
      ),
    groupPolicy: (groupId: string) =>
      request(
        'GET',
        `/api/admin/groups/${id(groupId)}/policy`,
        groupsSchema('GroupPolicyResponse'),
      ),
    /** A value sets the key for the group; null removes it. */
    setGroupPolicy: (groupId: string, body: policies.PolicyUpdate) =>
      request(
        'PUT',
        `/api/admin/groups/${id(groupId)}/policy`,
        groupsSchema('GroupPolicyResponse'),
        body,
      ),
    ...publicRoutes(transport),
  }
}

/**
 * Only the routes anyone may call without an account: the whole client of the public link and
 * request pages, which then bundle none of the other routes' contracts (issue 15).
 */
export function createPublicApiClient(options: ApiClientOptions) {
  return publicRoutes(createTransport(options))
}

export type PublicApiClient = ReturnType<typeof createPublicApiClient>

function publicRoutes({ request, send, id, none }: Transport) {
  return {
    /** Whether the link can still be opened; spends no view and records nothing. */
    checkLink: (linkId: string, body: z.input<typeof links.RevealLinkRequest>) =>
      request('POST', `/api/public/links/${id(linkId)}/check`, none, body),
    /** Whether a passphrase is needed, spending no view; openLink learns it from open instead. */
    revealLink: (linkId: string, body: z.input<typeof links.RevealLinkRequest>) =>
      request(
        'POST',
        `/api/public/links/${id(linkId)}/reveal`,
        linksSchema('RevealLinkResponse'),
        body,
      ),
    /**
     * Spends a view; answers the sealed content as one binary frame (see link-flows.ts). Without
     * a passphrase proof, a link with a passphrase throws ApiError passphrase_needed instead.
     */
    openLink: async (linkId: string, body: z.input<typeof links.OpenLinkRequest>) => {
      const response = await send('POST', `/api/public/links/${id(linkId)}/open`, { json: body })
      return new Uint8Array(await response.arrayBuffer())
    },
    viewRequest: (requestId: string, body: z.input<typeof requests.ViewRequestRequest>) =>
      request(
        'POST',
        `/api/public/requests/${id(requestId)}/view`,
        requestsSchema('RequestView'),
        body,
      ),
    /** A visitor stages one sealed chunk of an answer's file, with the request's access proof. */
    uploadAnswerChunk: async (
      requestId: string,
      accessProof: string,
      blobId: string,
      index: number,
      sealed: Uint8Array,
    ) => {
      await send(
        'PUT',
        `/api/public/requests/${id(requestId)}/uploads/${id(blobId)}/chunks/${index}`,
        { bytes: sealed },
        { [ACCESS_PROOF_HEADER]: accessProof },
      )
    },
    putAnswer: (requestId: string, answerId: string, body: requests.PutAnswerRequest) =>
      request(
        'PUT',
        `/api/public/requests/${id(requestId)}/answers/${id(answerId)}`,
        z.object({ id: z.string() }),
        body,
      ),
  }
}

type Transport = ReturnType<typeof createTransport>

/** Sends requests, keeps the cookie and CSRF token, and checks every answer against its schema. */
function createTransport(options: ApiClientOptions) {
  const doFetch = options.fetch ?? platformFetch
  const state = { cookie: options.cookie, csrfToken: options.csrfToken }

  async function send(
    method: Method,
    path: string,
    body: { json: unknown } | { bytes: Uint8Array } | undefined,
    extraHeaders: Record<string, string> = {},
  ): Promise<FetchLikeResponse> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders }
    if (body && 'json' in body) headers['content-type'] = 'application/json'
    if (body && 'bytes' in body) headers['content-type'] = 'application/octet-stream'
    if (method !== 'GET') headers[CSRF_HEADER] = state.csrfToken ?? '1'
    if (options.manageCookies && state.cookie) headers.cookie = state.cookie
    if (options.userAgent) headers['user-agent'] = options.userAgent
    let response: FetchLikeResponse
    try {
      response = await doFetch(options.baseUrl + path, {
        method,
        headers,
        body: !body ? undefined : 'json' in body ? JSON.stringify(body.json) : body.bytes,
        credentials: 'same-origin',
      })
    } catch (cause) {
      throw new ApiError(
        0,
        'network',
        `cannot reach the server at ${options.baseUrl || 'this site'}: ${String(cause)}`,
      )
    }
    if (options.manageCookies) {
      const setCookie = response.headers.get('set-cookie')
      if (setCookie) {
        const pair = setCookie.split(';')[0] ?? ''
        const value = pair.slice(pair.indexOf('=') + 1)
        state.cookie = value ? pair : undefined
      }
    }
    if (!response.ok) {
      const text = await response.text()
      let json: unknown = {}
      try {
        json = text ? JSON.parse(text) : {}
      } catch {
        // not JSON: a proxy's error page, say
      }
      const parsed = ErrorBody.safeParse(json)
      if (parsed.success) {
        const { code, message, triesLeft, passphrase } = parsed.data.error
        throw new ApiError(response.status, code, message, { triesLeft, passphrase })
      }
      throw new ApiError(response.status, 'http_error', `HTTP ${response.status}`)
    }
    return response
  }

  /** Sends the request and checks its answer against `schema` (or the one it loads meanwhile). */
  async function request<T extends z.ZodType>(
    method: Method,
    path: string,
    schema: T | (() => Promise<T>),
    body?: unknown,
  ): Promise<z.infer<T>> {
    const [response, parser] = await Promise.all([
      send(method, path, body === undefined ? undefined : { json: body }),
      typeof schema === 'function' ? schema() : schema,
    ])
    const text = await response.text()
    return parser.parse(text ? JSON.parse(text) : {})
  }

  function query(params: Record<string, string | number | boolean | undefined>): string {
    const entries = Object.entries(params).filter(([, v]) => v !== undefined)
    return entries.length
      ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}`
      : ''
  }

  const id = (value: string) => encodeURIComponent(value)

  const none = z.unknown()

  return { state, request, send, query, id, none }
}

export type ApiClient = ReturnType<typeof createApiClient>
