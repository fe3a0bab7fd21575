import { describe, expect, it } from 'vitest'
import type { AccountKeys } from '../contracts/auth.js'
import { type PutMessageRequest } from '../contracts/messages.js'
import { HpkeBox } from '../contracts/common.js'
import { keyFingerprint, unlockAccount } from './account.js'
import { fromBase64Url, toBase64Url } from './bytes.js'
import {
  deriveLinkKeys,
  linkContentKey,
  openLinkContent,
  openLinkLabel,
  passphraseProof,
  stretchPassphrase,
} from './link.js'
import { openChunk, openMessage, openVerifiedSubject } from './message.js'
import { openItem, openVaultKey, openVaultName } from './vault.js'
import v1 from './vectors/sealpost-v1.json' with { type: 'json' }

/*
 * Stored data must stay openable: these were sealed once by version 1 of Sealpost's own code
 * (accounts, a message with a file and copied items, a link, a shared vault). Any change to a
 * label, an AAD, an info string or a derivation makes one of them fail to open.
 */

const { accounts, message, link, vault } = v1

async function unlock(person: typeof accounts.alice) {
  return unlockAccount(person.exportKey, person.username, person.keys as AccountKeys)
}

describe('what version 1 sealed', () => {
  it('unlocks both accounts, with the public keys and fingerprints they had', async () => {
    for (const person of [accounts.alice, accounts.bob]) {
      const account = await unlock(person)
      expect(toBase64Url(account.x25519PublicKey)).toBe(person.keys.x25519PublicKey)
      expect(toBase64Url(account.ed25519PublicKey)).toBe(person.keys.ed25519PublicKey)
      expect(await keyFingerprint(person.keys)).toBe(person.fingerprint)
    }
    expect(accounts.alice.fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/)
  })

  it('opens the message, its file and its copied items for the recipient and the sender', async () => {
    const request = message.request as PutMessageRequest
    for (const [person, id] of [
      [accounts.bob, accounts.bob.id],
      [accounts.alice, accounts.alice.id],
    ] as const) {
      const toOpen = {
        account: await unlock(person),
        readerId: id,
        envelope: request.envelope,
        key: request.keys.find((k) => k.userId === id)!.box,
        senderSigningKey: accounts.alice.keys.ed25519PublicKey,
      }
      expect(await openVerifiedSubject(toOpen)).toBe('Router')
      const opened = await openMessage(toOpen)
      expect(opened).toMatchObject({
        subject: 'Router',
        body: 'The config is attached.',
        attachments: [
          {
            blobId: message.blobId,
            name: 'router.conf',
            type: 'text/plain',
            size: fromBase64Url(message.file).length,
            chunkCount: 1,
          },
        ],
        tree: [{ kind: 'entry', content: { name: 'Router', password: 'hunter2' }, children: [] }],
      })
      const file = await openChunk(
        opened.contentKey,
        message.blobId,
        0,
        true,
        fromBase64Url(message.chunk),
      )
      expect(toBase64Url(file)).toBe(message.file)
    }
  })

  it('derives the same link id, proofs and keys, and opens the link and its label', async () => {
    const keys = await deriveLinkKeys(fromBase64Url(link.secret))
    expect({ ...keys, keyMaterial: toBase64Url(keys.keyMaterial) }).toEqual(link.keys)
    const stretched = await stretchPassphrase(
      link.passphrase,
      fromBase64Url(link.salt),
      link.argon2,
    )
    expect(toBase64Url(stretched)).toBe(link.stretched)
    expect(await passphraseProof(keys, stretched)).toEqual(link.passphraseProof)
    expect(
      await openLinkContent(await linkContentKey(keys, stretched), keys.id, link.guardedPayload),
    ).toEqual(link.content)
    expect(
      await openLinkContent(await linkContentKey(keys, null), keys.id, link.openPayload),
    ).toEqual(link.content)
    const alice = await unlock(accounts.alice)
    expect(await openLinkLabel(alice.accountKey, keys.id, link.label.sealed)).toBe(link.label.text)
  })

  it('stretches the passphrase as typed in either Unicode normal form', async () => {
    const salt = fromBase64Url(link.salt)
    const composed = await stretchPassphrase('caf\u00e9', salt, link.argon2)
    const decomposed = await stretchPassphrase('cafe\u0301', salt, link.argon2)
    expect(toBase64Url(decomposed)).toBe(toBase64Url(composed))
  })

  it('opens the shared vault key for its member, then the vault name and the item', async () => {
    const bob = await unlock(accounts.bob)
    const key = await openVaultKey(bob, accounts.bob.id, vault.vaultId, HpkeBox.parse(vault.box))
    expect(await openVaultName(key.key, vault.vaultId, vault.name.sealed)).toBe(vault.name.text)
    expect(await openItem(key.key, vault.place, vault.payload)).toEqual(vault.item)
  })
})
