import { type RecoveryKey, checkRecoveryKey } from '@sealpost/core'
import { useQuery } from '@tanstack/react-query'
import { api } from '../../../api'

/*
 * Account recovery as the user sees it in their profile; the administrators' side (turning it
 * on, reset links) is the admin feature's.
 */

/** Whether the signed-in user's account can be recovered by administrators. */
export function useRecoveryPolicy() {
  return useQuery({ queryKey: ['account', 'recovery-policy'], queryFn: () => api.recoveryPolicy() })
}

/**
 * The recovery key's fingerprint once an administrator's signature vouches for it (the user can
 * compare it with their administrator's); an error (CryptoError 'recovery_key_unverified') when
 * none does, and then this browser does not enrol the account.
 */
export function useRecoveryKeyFingerprint(key: RecoveryKey | null | undefined) {
  return useQuery({
    queryKey: ['account', 'recovery-key', key],
    queryFn: () => (key ? checkRecoveryKey(api, key) : null),
    enabled: Boolean(key),
    retry: false,
    staleTime: Infinity,
  })
}
