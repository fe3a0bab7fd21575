import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'

/** The relying party is the public URL: its host is the RP ID, its origin the only origin. */
export function relyingParty(publicUrl: string): { id: string; origin: string } {
  const url = new URL(publicUrl)
  return { id: url.hostname, origin: url.origin }
}

export type StoredCredential = {
  id: string
  publicKey: string
  counter: number
  transports: string[]
}

export async function registrationOptions(input: {
  publicUrl: string
  userId: string
  username: string
  displayName: string
  existing: StoredCredential[]
}) {
  return generateRegistrationOptions({
    rpName: 'Sealpost',
    rpID: relyingParty(input.publicUrl).id,
    userName: input.username,
    userDisplayName: input.displayName,
    userID: new TextEncoder().encode(input.userId),
    attestationType: 'none',
    excludeCredentials: input.existing.map((c) => ({ id: c.id, transports: c.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  })
}

/** The new credential when the browser's answer matches the challenge and this site; else undefined. */
export async function verifyRegistration(input: {
  publicUrl: string
  challenge: string
  response: unknown
}): Promise<StoredCredential | undefined> {
  const rp = relyingParty(input.publicUrl)
  try {
    const result = await verifyRegistrationResponse({
      response: input.response as RegistrationResponseJSON,
      expectedChallenge: input.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: false,
    })
    if (!result.verified) return undefined
    const { credential } = result.registrationInfo
    return {
      id: credential.id,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
    }
  } catch {
    // A malformed or foreign answer is a failed check, never a 500.
    return undefined
  }
}

export async function authenticationOptions(publicUrl: string, credentials: StoredCredential[]) {
  return generateAuthenticationOptions({
    rpID: relyingParty(publicUrl).id,
    allowCredentials: credentials.map((c) => ({
      id: c.id,
      transports: c.transports as AuthenticatorTransport[],
    })),
    userVerification: 'preferred',
  })
}

/** The credential's new signature counter when the assertion holds; else undefined. */
export async function verifyAuthentication(input: {
  publicUrl: string
  challenge: string
  response: unknown
  credentials: StoredCredential[]
}): Promise<{ id: string; counter: number } | undefined> {
  const rp = relyingParty(input.publicUrl)
  const response = input.response as AuthenticationResponseJSON
  const credential = input.credentials.find((c) => c.id === response?.id)
  if (!credential) return undefined
  try {
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: input.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: credential.id,
        publicKey: new Uint8Array(Buffer.from(credential.publicKey, 'base64url')),
        counter: credential.counter,
        transports: credential.transports,
      },
      requireUserVerification: false,
    })
    return result.verified
      ? { id: credential.id, counter: result.authenticationInfo.newCounter }
      : undefined
  } catch {
    return undefined
  }
}
