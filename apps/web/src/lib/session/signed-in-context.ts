import type { SessionResponse, UnlockedAccount } from '@sealpost/core'
import { createContext, useContext } from 'react'

export type SignedInState = { session: SessionResponse; account: UnlockedAccount }

export const SignedInContext = createContext<SignedInState | null>(null)

/** The signed-in user and their keys; only pages inside the session gate may call it. */
export function useSignedIn(): SignedInState {
  const state = useContext(SignedInContext)
  if (!state) throw new Error('useSignedIn() used outside the session gate')
  return state
}
