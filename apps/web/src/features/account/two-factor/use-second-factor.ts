import type { SecondFactorAnswer, SecondFactorChallenge } from '@sealpost/core'
import { useCallback, useRef, useState } from 'react'

const CANCELLED = 'second factor cancelled'

/** The user went back from the second-factor step: no error to show. */
export function isCancelled(error: unknown): boolean {
  return error instanceof Error && error.message === CANCELLED
}

type Pending = {
  challenge: SecondFactorChallenge
  answer: (answer: SecondFactorAnswer) => void
  cancel: () => void
}

/**
 * Bridges `signIn`'s second-factor question to the page: `ask` is signIn's callback, `pending`
 * is what the page shows until the user answers (or gives up) — the sign-in waits meanwhile.
 */
export function useSecondFactorPrompt() {
  const [pending, setPending] = useState<Pending | null>(null)
  const current = useRef<Pending | null>(null)
  const ask = useCallback(
    (challenge: SecondFactorChallenge) =>
      new Promise<SecondFactorAnswer>((resolve, reject) => {
        const next: Pending = {
          challenge,
          answer: (answer) => {
            current.current = null
            setPending(null)
            resolve(answer)
          },
          cancel: () => {
            current.current = null
            setPending(null)
            reject(new Error(CANCELLED))
          },
        }
        current.current = next
        setPending(next)
      }),
    [],
  )
  return { ask, pending }
}
