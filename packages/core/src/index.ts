/**
 * The public surface of @sealpost/core: wire contracts (zod schemas and their types), the
 * protocol's seal/open functions and the client flows. Primitives live in
 * `@sealpost/core/primitives` for vectors, tests and the benchmark only.
 */
export * from './contracts/common.js'
export * from './contracts/auth.js'
export * from './contracts/users.js'
export * from './contracts/account.js'
export * from './contracts/audit.js'
export * from './contracts/policies.js'
export * from './contracts/groups.js'
export * from './contracts/webhooks.js'
export * from './crypto/bytes.js'
export * from './crypto/crypto-error.js'
export * from './crypto/canonical-json.js'
export {
  createAccountKeys,
  unlockAccount,
  keyFingerprint,
  type UnlockedAccount,
} from './crypto/account.js'
export * from './crypto/opaque.js'
export * from './client/api-client.js'
export * from './client/account-flows.js'
export * from './client/recovery-flows.js'
export * from './client/org-recovery-flows.js'
export {
  recoveryKeyFingerprint,
  recoveryKeyStatement,
  signRecoveryKey,
  verifyRecoveryKey,
} from './crypto/org-recovery.js'
export { generateRecoveryCode, parseRecoveryCode } from './crypto/recovery-code.js'
export * from './contracts/messages.js'
export * from './contracts/frames.js'
export * from './crypto/message.js'
export * from './client/files.js'
export * from './client/message-flows.js'
export * from './client/group-flows.js'
export * from './contracts/links.js'
export * from './crypto/link.js'
export * from './client/link-flows.js'
export * from './contracts/vault.js'
export * from './crypto/vault.js'
export * from './client/vault-flows.js'
export * from './contracts/requests.js'
export * from './crypto/request.js'
export * from './client/request-flows.js'
