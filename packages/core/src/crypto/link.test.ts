import { describe, expect, it } from 'vitest'
import { importAesKey } from './aes-gcm.js'
import { fromBase64Url, randomBytes, toBase64Url } from './bytes.js'
import { CryptoError, type CryptoErrorCode } from './crypto-error.js'
import { sha256 } from './hkdf.js'
import {
  deriveLinkKeys,
  LINK_ARGON2,
  linkContentKey,
  linkUrl,
  newLinkSecret,
  openLinkContent,
  openLinkLabel,
  parseLinkUrl,
  passphraseProof,
  sealLinkContent,
  sealLinkLabel,
  stretchPassphrase,
} from './link.js'

async function expectCryptoError(promise: Promise<unknown>, code: CryptoErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  expect(error).toBeInstanceOf(CryptoError)
  expect(error).toMatchObject({ code })
}

const FAST = { memoryKiB: 8 * 1024, iterations: 1, parallelism: 1 }
const content = { subject: 'Wi-Fi', text: 'the password is hunter2', files: [] }

describe('link passphrase cost', () => {
  it('is Argon2id with 64 MiB, 3 passes and 1 lane (DESIGN.md §3)', () => {
    expect(LINK_ARGON2).toEqual({ memoryKiB: 65_536, iterations: 3, parallelism: 1 })
  })
})

describe('link secret', () => {
  it('is 32 random bytes that yield a 128-bit id, an access proof and its SHA-256', async () => {
    const secret = newLinkSecret()
    expect(secret).toHaveLength(32)
    expect(toBase64Url(secret)).not.toBe(toBase64Url(newLinkSecret()))
    const keys = await deriveLinkKeys(secret)
    expect(keys.id).toMatch(/^[A-Za-z0-9_-]{22}$/)
    expect(keys.accessVerifier).toBe(toBase64Url(await sha256(fromBase64Url(keys.accessProof))))
    expect(keys.keyMaterial).toHaveLength(32)
    const other = await deriveLinkKeys(newLinkSecret())
    expect(other.id).not.toBe(keys.id)
    expect(other.accessProof).not.toBe(keys.accessProof)
  })

  it('refuses a secret that is not 32 bytes', async () => {
    for (const length of [31, 33]) {
      await expectCryptoError(deriveLinkKeys(randomBytes(length)), 'bad_key')
    }
  })
})

describe('link passphrase', () => {
  it('stretches differently for another salt or cost', async () => {
    const salt = randomBytes(16)
    const base = toBase64Url(await stretchPassphrase('correct horse', salt, FAST))
    expect(toBase64Url(await stretchPassphrase('correct horse', randomBytes(16), FAST))).not.toBe(
      base,
    )
    expect(
      toBase64Url(await stretchPassphrase('correct horse', salt, { ...FAST, iterations: 2 })),
    ).not.toBe(base)
    expect(toBase64Url(await stretchPassphrase('correct horsE', salt, FAST))).not.toBe(base)
  })

  it('proves the passphrase with a proof bound to the link, whose SHA-256 the server keeps', async () => {
    const stretched = await stretchPassphrase('correct horse', randomBytes(16), FAST)
    const keys = await deriveLinkKeys(newLinkSecret())
    const { proof, verifier } = await passphraseProof(keys, stretched)
    expect(verifier).toBe(toBase64Url(await sha256(fromBase64Url(proof))))
    const elsewhere = await passphraseProof(await deriveLinkKeys(newLinkSecret()), stretched)
    expect(elsewhere.proof).not.toBe(proof)
  })

  it('needs the passphrase to open content sealed with it', async () => {
    const keys = await deriveLinkKeys(newLinkSecret())
    const stretched = await stretchPassphrase('correct horse', randomBytes(16), FAST)
    const payload = await sealLinkContent(await linkContentKey(keys, stretched), keys.id, content)
    expect(await openLinkContent(await linkContentKey(keys, stretched), keys.id, payload)).toEqual(
      content,
    )
    await expectCryptoError(
      openLinkContent(await linkContentKey(keys, null), keys.id, payload),
      'decrypt_failed',
    )
  })
})

describe('link content and label', () => {
  it('opens content only under the link id it was sealed for', async () => {
    const keys = await deriveLinkKeys(newLinkSecret())
    const key = await linkContentKey(keys, null)
    const payload = await sealLinkContent(key, keys.id, content)
    expect(await openLinkContent(key, keys.id, payload)).toEqual(content)
    const otherId = (await deriveLinkKeys(newLinkSecret())).id
    await expectCryptoError(openLinkContent(key, otherId, payload), 'decrypt_failed')
  })

  it('opens a label only under the link id it was sealed for', async () => {
    const accountKey = await importAesKey(randomBytes(32))
    const label = await sealLinkLabel(accountKey, 'AAAAAAAAAAAAAAAAAAAAAA', 'for the contractor')
    expect(await openLinkLabel(accountKey, 'AAAAAAAAAAAAAAAAAAAAAA', label)).toBe(
      'for the contractor',
    )
    await expectCryptoError(
      openLinkLabel(accountKey, 'BAAAAAAAAAAAAAAAAAAAAA', label),
      'decrypt_failed',
    )
  })
})

describe('link URL', () => {
  const id = 'AbCdEfGhIjKlMnOpQrSt_-'
  const secret = new Uint8Array(32).fill(7)

  it('puts the secret in the fragment and reads it back', () => {
    const url = linkUrl('https://vault.example.org///', id, secret)
    expect(url).toBe(`https://vault.example.org/s/${id}#${toBase64Url(secret)}`)
    expect(parseLinkUrl(`  ${url}\n`)).toEqual({
      origin: 'https://vault.example.org',
      id,
      secret,
    })
    expect(parseLinkUrl(linkUrl('http://127.0.0.1:3000', id, secret)).origin).toBe(
      'http://127.0.0.1:3000',
    )
  })

  it('refuses anything that is not a Sealpost link as malformed', () => {
    const good = linkUrl('https://vault.example.org', id, secret)
    for (const url of [
      good.replace('#', ''),
      good.replace('/s/', '/x/'),
      good.replace('https://', 'ftp://'),
      good.replace(id, id.slice(1)),
      `${good}A`,
      good.replace('https://vault.example.org', 'https://vault.example.org/base'),
      `x${good}`,
    ]) {
      expect(() => parseLinkUrl(url), url).toThrow(CryptoError)
    }
  })
})
