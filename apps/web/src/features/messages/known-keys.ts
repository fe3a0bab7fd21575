import { type DirectoryUser, keyFingerprint } from '@sealpost/core'
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback } from 'react'
import { useSignedIn } from '../../lib/session/signed-in-context'

/*
 * Known keys (DESIGN.md §3): the first time this browser sees a contact, it pins the
 * fingerprint of their public keys; a later, different fingerprint means the server (or
 * an administrator) swapped them, and the user is warned until they trust the new ones.
 */

/** contact id → key fingerprint, per signed-in user. */
export type KnownKeys = Record<string, string>
export type SeenKey = { id: string; fingerprint: string }
export type Contact = Pick<DirectoryUser, 'id' | 'x25519PublicKey' | 'ed25519PublicKey'>

const storageKey = (userId: string) => `sealpost.known-keys.${userId}`

export function loadKnownKeys(storage: Storage, userId: string): KnownKeys {
  try {
    const value: unknown = JSON.parse(storage.getItem(storageKey(userId)) ?? '{}')
    if (typeof value !== 'object' || value === null) return {}
    return Object.fromEntries(
      Object.entries(value).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    )
  } catch {
    return {}
  }
}

export function saveKnownKeys(storage: Storage, userId: string, known: KnownKeys): void {
  try {
    storage.setItem(storageKey(userId), JSON.stringify(known))
  } catch {
    // Storage full or disabled: pinning is best effort, the check runs again next time.
  }
}

/** Pins contacts seen for the first time; returns the pins and the contacts whose keys changed. */
export function comparePins(
  known: KnownKeys,
  seen: SeenKey[],
): { known: KnownKeys; changed: SeenKey[] } {
  const next = { ...known }
  const changed: SeenKey[] = []
  for (const contact of seen) {
    const pinned = next[contact.id]
    if (pinned === undefined) next[contact.id] = contact.fingerprint
    else if (pinned !== contact.fingerprint) changed.push(contact)
  }
  return { known: next, changed }
}

/** Contacts (other than me) whose keys differ from the ones pinned; and a way to trust them. */
export function useKeyChanges(contacts: Contact[]) {
  const { session } = useSignedIn()
  const queryClient = useQueryClient()
  const me = session.user.id
  const others = contacts.filter((contact) => contact.id !== me)
  const query = useQuery({
    queryKey: [
      'known-keys',
      me,
      others.map((c) => `${c.id}/${c.x25519PublicKey}/${c.ed25519PublicKey}`),
    ],
    queryFn: async () => {
      const seen = await Promise.all(
        others.map(async (c) => ({ id: c.id, fingerprint: await keyFingerprint(c) })),
      )
      const { known, changed } = comparePins(loadKnownKeys(localStorage, me), seen)
      saveKnownKeys(localStorage, me, known)
      return changed
    },
    enabled: others.length > 0,
    staleTime: Infinity,
  })
  const changed = others.length > 0 ? (query.data ?? []) : []
  const trust = useCallback(
    (key: SeenKey) => {
      saveKnownKeys(localStorage, me, {
        ...loadKnownKeys(localStorage, me),
        [key.id]: key.fingerprint,
      })
      void queryClient.invalidateQueries({ queryKey: ['known-keys', me] })
    },
    [me, queryClient],
  )
  return { changed, trust }
}
