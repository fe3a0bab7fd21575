import { type OpenVault, openVaults } from '@sealpost/core'
import type { Person } from './messages.js'

/** A person as vault flows name them: their id and the public key a vault key is sealed to. */
export const keyOf = (p: Person) => ({
  id: p.session.user.id,
  x25519PublicKey: p.session.keys.x25519PublicKey,
})

/** The shared vault `id` as `p` opens it now (current key), or undefined when they cannot. */
export async function sharedVault(p: Person, id: string): Promise<OpenVault | undefined> {
  return (await openVaults(p.api, p.account, p.session.user)).find((v) => v.id === id)
}
