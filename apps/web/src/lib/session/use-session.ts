import {
  ApiError,
  type SessionResponse,
  type SignedIn,
  type UnlockedAccount,
  toBase64Url,
} from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { useNavigate } from 'react-router'
import { api } from '../../api'
import { forgetAccounts, loadAccount, saveAccount } from './key-store'

export const setupStatusKey = ['setup-status'] as const
export const sessionKey = ['session'] as const
const accountKey = (userId: string) => ['account', userId] as const

export function useSetupStatus() {
  return useQuery({
    queryKey: setupStatusKey,
    queryFn: () => api.setupStatus(),
    staleTime: Infinity,
  })
}

/**
 * The signed-in user as the server sees them now, or null when signed out.
 * Refetched on focus and every minute so an administrator's changes show up.
 */
export function useSession(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<SessionResponse | null> => {
      try {
        const session = await api.getSession()
        api.useSession(session)
        return session
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) {
          // The session ended (signed out elsewhere, expired, disabled): its keys go too.
          api.forgetSession()
          await forgetAccounts()
          return null
        }
        throw error
      }
    },
    enabled: options.enabled ?? true,
    refetchOnWindowFocus: true,
    // Only a signed-in page needs to notice changes made by an administrator.
    refetchInterval: (query) => (query.state.data ? 60_000 : false),
  })
}

function sameKeys(account: UnlockedAccount, session: SessionResponse): boolean {
  return (
    toBase64Url(account.x25519PublicKey) === session.keys.x25519PublicKey &&
    toBase64Url(account.ed25519PublicKey) === session.keys.ed25519PublicKey
  )
}

/** This browser's unlocked keys for the session's user, or null when they must be unlocked. */
export function useAccount(session: SessionResponse | null | undefined) {
  const userId = session?.user.id ?? ''
  return useQuery({
    queryKey: accountKey(userId),
    queryFn: async (): Promise<UnlockedAccount | null> => {
      const account = await loadAccount(userId).catch(() => undefined)
      return account && session && sameKeys(account, session) ? account : null
    },
    enabled: Boolean(session),
    staleTime: Infinity,
    gcTime: Infinity,
    refetchOnWindowFocus: false,
  })
}

/** Records a fresh sign-in (setup, sign-in, invite, unlock): session and keys. */
export function useCompleteSignIn() {
  const queryClient = useQueryClient()
  return useCallback(
    async ({ session, account, enrolmentError }: SignedIn) => {
      try {
        await saveAccount(session.user.id, account)
      } catch (error) {
        // Without IndexedDB (some private modes) the keys live in memory until the next reload.
        console.warn('could not keep the keys in this browser', error)
      }
      // The profile's recovery notice says so too (it checks the key again).
      if (enrolmentError !== undefined) {
        console.warn('not enrolled in account recovery', enrolmentError)
      }
      queryClient.setQueryData(setupStatusKey, { needsSetup: false })
      queryClient.setQueryData(accountKey(session.user.id), account)
      queryClient.setQueryData(sessionKey, session)
    },
    [queryClient],
  )
}

/** Ends the session here and on the server, forgets the keys, and returns to the start page. */
export function useSignOut() {
  const queryClient = useQueryClient()
  const navigate = useNavigate()
  return useMutation({
    mutationFn: async () => {
      try {
        await api.logout()
      } catch (error) {
        // Already signed out on the server is fine; anything else still ends the local session.
        if (!(error instanceof ApiError) || error.status !== 401) console.warn(error)
      }
      api.forgetSession()
      await forgetAccounts()
    },
    onSettled: async () => {
      await navigate('/')
      queryClient.removeQueries({ queryKey: ['account'] })
      queryClient.removeQueries({ queryKey: ['admin'] })
      // Decrypted subjects and messages leave memory with the session.
      queryClient.removeQueries({ queryKey: ['messages'] })
      queryClient.removeQueries({ queryKey: ['directory'] })
      queryClient.removeQueries({ queryKey: ['known-keys'] })
      // Decrypted vault items too.
      queryClient.removeQueries({ queryKey: ['vault'] })
      queryClient.setQueryData(sessionKey, null)
    },
  })
}
