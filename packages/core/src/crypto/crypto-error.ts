export type CryptoErrorCode =
  | 'decrypt_failed'
  | 'bad_signature'
  | 'bad_key'
  | 'unsupported_version'
  | 'malformed'
  | 'login_failed'
  | 'expired'
  | 'recovery_key_unverified'

/** The one error every decryption or verification failure throws (STYLE.md rule 8). */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode

  constructor(code: CryptoErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options)
    this.name = 'CryptoError'
    this.code = code
  }
}
