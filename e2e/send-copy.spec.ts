import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import {
  type ApiClient,
  type DecryptedItem,
  type OpenVault,
  addVaultMember,
  bytesSource,
  createApiClient,
  createSharedVault,
  downloadItemFile,
  loadItems,
  openVaults,
  saveItem,
  signIn,
} from '@sealpost/core'
import type { Page } from '@playwright/test'
import { expect } from './fixtures.js'
import {
  acceptInvite,
  admin,
  expectAccessible,
  invite,
  member,
  setUpAdministrator,
  testWithMember as journey,
  type Person,
} from './journey.js'

// One journey (STYLE.md rule 16, S7–S9, S13, S16, S17): the administrator has a folder with two
// entries, one with a sub-entry and an attachment, and sends a copy of it from the vault; the
// member opens the message, sees the names, opens an entry read-only and uses *Save as* into a
// shared vault folder. The saved tree and file bytes match, the copy carries none of the
// sender's history, and a later edit of the original does not reach it. Saving twice in the
// user vault makes two copies and says so.

const PASSWORD = 'canary-Copy-7qX!pw-4c1d'
const EDITED_PASSWORD = 'edited-after-sending-9f2e'
// Two sealed chunks (64 KiB each), the last one short.
const KEY_FILE = randomBytes(64 * 1024 + 4321)

/** A person signed in through the API (node side), with their vaults opened. */
async function signInApi(origin: string, person: Person) {
  const api = createApiClient({ baseUrl: origin, manageCookies: true })
  const signedIn = await signIn(api, person)
  const me = signedIn.session.user
  const vaults = () => openVaults(api, signedIn.account, me)
  return { api, me, keys: signedIn.session.keys, vaults }
}

function userVault(vaults: OpenVault[]): OpenVault {
  const vault = vaults.find((v) => v.kind === 'user')
  if (!vault) throw new Error('no user vault')
  return vault
}

function named(items: DecryptedItem[], name: string, parentId: string | null): DecryptedItem {
  const item = items.find((i) => i.content.name === name && i.parentId === parentId)
  if (!item) throw new Error(`no item ${name} under ${parentId ?? 'the root'}`)
  return item
}

/** The item's files in the shape saveItem keeps them. */
function keptFiles(item: DecryptedItem) {
  return item.content.files.map((meta) => {
    const stored = item.files.find((f) => f.blobId === meta.blobId)
    if (!stored) throw new Error(`file ${meta.name} is not stored`)
    return { ...meta, chunkCount: stored.chunkCount }
  })
}

/** Servers/ { web (credential, a file) / web-admin, db (secure note) }; web is edited once. */
async function buildServers(api: ApiClient, vault: OpenVault) {
  const servers = await saveItem(api, vault, {
    parentId: null,
    kind: 'folder',
    content: { name: 'Servers', type: 'folder', fields: [] },
    baseRevision: 0,
  })
  const created = await saveItem(api, vault, {
    parentId: servers.id,
    kind: 'entry',
    content: {
      name: 'web',
      type: 'credential',
      username: 'root',
      password: PASSWORD,
      url: 'https://web.example.com',
      notes: 'front end',
      fields: [{ label: 'PIN', value: '4711', hidden: true }],
    },
    baseRevision: 0,
    newFiles: [bytesSource('web-key.pem', 'application/x-pem-file', KEY_FILE)],
  })
  // A second revision: history the copy must not carry (S8).
  const web = await saveItem(api, vault, {
    id: created.id,
    parentId: servers.id,
    kind: 'entry',
    content: { ...created.content, notes: 'front end, nginx' },
    baseRevision: created.revision,
    keepFiles: keptFiles(created),
  })
  await saveItem(api, vault, {
    parentId: web.id,
    kind: 'entry',
    content: { name: 'web-admin', type: 'credential', username: 'admin', fields: [] },
    baseRevision: 0,
  })
  await saveItem(api, vault, {
    parentId: servers.id,
    kind: 'entry',
    content: { name: 'db', type: 'note', notes: 'replicas: 2', fields: [] },
    baseRevision: 0,
  })
  return { servers, web }
}

const toast = (page: Page, text: string) => page.getByText(text, { exact: true })

journey(
  'a copy of a vault folder reaches a member, who opens it read-only and saves it into a shared vault',
  async ({ page, memberPage, sealpost }) => {
    journey.setTimeout(300_000)
    await memberPage.context().grantPermissions(['clipboard-read', 'clipboard-write'])

    const inviteUrl = await journey.step('the administrator sets up and invites a member', () =>
      setUpAdministrator(page).then(() => invite(page, member)),
    )
    await journey.step('the member accepts the invite in another browser', () =>
      acceptInvite(memberPage, inviteUrl, member),
    )

    const ada = await signInApi(sealpost.origin, admin)
    const { web } = await journey.step(
      'the administrator has a folder with two entries, a sub-entry and a file',
      async () => buildServers(ada.api, userVault(await ada.vaults())),
    )

    await journey.step(
      'the administrator shares "Ops" (read-write) and "Audit" (read-only) with the member',
      async () => {
        const maxUser = (await ada.api.directory()).users.find(
          (u) => u.username === member.username,
        )
        if (!maxUser) throw new Error('the member is not in the directory')
        const me = { id: ada.me.id, x25519PublicKey: ada.keys.x25519PublicKey }
        const opsId = await createSharedVault(ada.api, me, 'Ops')
        const auditId = await createSharedVault(ada.api, me, 'Audit')
        const vaults = await ada.vaults()
        const ops = vaults.find((v) => v.id === opsId)
        const audit = vaults.find((v) => v.id === auditId)
        if (!ops || !audit) throw new Error('the shared vaults did not open')
        await saveItem(ada.api, ops, {
          parentId: null,
          kind: 'folder',
          content: { name: 'Inbox', type: 'folder', fields: [] },
          baseRevision: 0,
        })
        await addVaultMember(ada.api, ops, maxUser, true)
        await addVaultMember(ada.api, audit, maxUser, false)
      },
    )

    await journey.step(
      'Send copy in the vault opens the compose form with the folder attached, then goes back',
      async () => {
        await page.goto('/')
        const tree = page.getByRole('treegrid', { name: 'Vaults' })
        const row = tree.getByRole('row', { name: 'Servers', exact: true })
        await row.click()
        const folderHeading = page.getByRole('heading', { name: 'Servers', level: 2 })
        await expect(folderHeading).toBeVisible()
        const folderUrl = page.url()
        await row.getByRole('button', { name: 'More for Servers' }).click()
        await page.getByRole('menuitem', { name: 'Send copy' }).click()

        const dialog = page.getByRole('dialog', { name: 'New message' })
        await expect(dialog).toBeVisible()
        await expect(page).toHaveURL(/\/messages$/)
        const attached = dialog.getByRole('list', { name: 'Attached vault content' })
        await expect(attached).toContainText("Folder 'Servers' (3 entries, 1 file)")
        // Below the fold of a laptop screen: "1 attached" at the top brings it into view.
        await dialog.getByRole('button', { name: '1 attached' }).click()
        await expect(attached).toBeInViewport()
        await expect(dialog.getByLabel('Subject')).toHaveValue('Servers')
        // A link may carry the copy too (S20); this one goes in-app.
        await expect(
          dialog.getByRole('tab', { name: 'Create shareable link' }),
        ).not.toHaveAttribute('aria-disabled', 'true')

        await dialog.getByRole('combobox', { name: 'To' }).fill('max')
        await page.getByRole('option', { name: /Max Member/ }).click()
        await dialog.getByLabel('Message').fill('The servers, as promised.')
        await expectAccessible(page)
        await dialog.getByRole('button', { name: 'Send' }).click()
        await expect(dialog).toBeHidden({ timeout: 30_000 })
        await expect(toast(page, 'Message sent')).toBeVisible()
        // Back where the copy was chosen, not left in Messages.
        await expect(page).toHaveURL(folderUrl)
        await expect(folderHeading).toBeVisible()
      },
    )

    const pane = memberPage.getByRole('article')
    const items = pane.getByRole('treegrid', { name: 'Copied vault items' })

    await journey.step(
      'the member opens the message and sees every name with its file',
      async () => {
        await memberPage.goto('/messages')
        await memberPage.getByRole('row', { name: /Servers/ }).click()
        await expect(pane.getByRole('heading', { name: 'Servers', level: 2 })).toBeVisible()
        await expect(pane).toContainText('Signature verified')
        // Each row reads as its name, then what it is and holds.
        const row = (name: string) => items.getByRole('row', { name: new RegExp(`^${name}, `) })
        await expect(row('Servers')).toHaveAccessibleName('Servers, 3 entries · 1 file, 68 kB')
        await expect(row('web')).toHaveAccessibleName(
          'web, Credential · 1 sub-entry · 1 file, 68 kB',
        )
        await expect(row('web-key.pem')).toHaveAccessibleName('web-key.pem, 68 kB')
        await expect(row('web-admin')).toHaveAccessibleName('web-admin, Credential')
        await expect(row('db')).toHaveAccessibleName('db, Secure note')

        const download = memberPage.waitForEvent('download')
        await items.getByRole('button', { name: 'Download web-key.pem' }).click()
        const saved = await download
        expect(saved.suggestedFilename()).toBe('web-key.pem')
        expect(Buffer.compare(await readFile(await saved.path()), KEY_FILE)).toBe(0)
        await expectAccessible(memberPage)
      },
    )

    await journey.step('an entry opens read-only, its password hidden until shown', async () => {
      await items.getByRole('button', { name: 'Open web', exact: true }).click()
      const dialog = memberPage.getByRole('dialog', { name: 'web', exact: true })
      await expect(dialog).toContainText('root')
      await expect(dialog).toContainText('https://web.example.com')
      await expect(dialog).toContainText('front end, nginx')
      await expect(dialog.getByText(PASSWORD)).toHaveCount(0)
      await dialog.getByRole('button', { name: 'Show Password' }).click()
      await expect(dialog.getByText(PASSWORD)).toBeVisible()
      await dialog.getByRole('button', { name: 'Copy Password' }).click()
      await expect(toast(memberPage, 'Password copied — clears in 30 s')).toBeVisible()
      expect(await memberPage.evaluate(() => navigator.clipboard.readText())).toBe(PASSWORD)
      await expectAccessible(memberPage)
      await dialog.getByRole('button', { name: 'Open web-admin' }).click()
      await expect(memberPage.getByRole('dialog', { name: 'web-admin' })).toContainText('admin')
      await memberPage.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
      await expect(memberPage.getByRole('dialog')).toHaveCount(0)
    })

    await journey.step(
      'Save as offers the vaults the member may write to, with their folders',
      async () => {
        await pane.getByRole('button', { name: 'Save as…' }).click()
        const dialog = memberPage.getByRole('dialog', { name: 'Save as' })
        const places = dialog.getByRole('treegrid', { name: 'Vaults and folders' })
        await expect(places.getByRole('row', { name: 'My vault', exact: true })).toBeVisible()
        await expect(places.getByRole('row', { name: 'Ops', exact: true })).toBeVisible()
        await expect(places.getByRole('row', { name: 'Audit', exact: true })).toHaveCount(0)
        await places.getByRole('row', { name: 'Inbox', exact: true }).click()
        await expectAccessible(memberPage)
        await dialog.getByRole('button', { name: 'Save here' }).click()
        await expect(dialog).toBeHidden({ timeout: 30_000 })
        await expect(toast(memberPage, 'Saved 4 items to Ops › Inbox')).toBeVisible()
      },
    )

    const max = await signInApi(sealpost.origin, member)
    const savedCopy = async () => {
      const ops = (await max.vaults()).find((v) => v.name === 'Ops')
      if (!ops) throw new Error('Ops did not open for the member')
      const all = await loadItems(max.api, ops)
      const inbox = named(all, 'Inbox', null)
      const servers = named(all, 'Servers', inbox.id)
      const savedWeb = named(all, 'web', servers.id)
      return { ops, all, servers, savedWeb }
    }

    await journey.step('the saved tree and the file bytes match what was sent', async () => {
      const { ops, all, servers, savedWeb } = await savedCopy()
      expect(servers.kind).toBe('folder')
      expect(
        all
          .filter((i) => i.parentId === servers.id)
          .map((i) => i.content.name)
          .sort(),
      ).toEqual(['db', 'web'])
      expect(named(all, 'web-admin', savedWeb.id).content).toMatchObject({
        type: 'credential',
        username: 'admin',
      })
      expect(named(all, 'db', servers.id).content).toMatchObject({
        type: 'note',
        notes: 'replicas: 2',
      })
      expect(savedWeb.content).toMatchObject({
        type: 'credential',
        username: 'root',
        password: PASSWORD,
        url: 'https://web.example.com',
        notes: 'front end, nginx',
        fields: [{ label: 'PIN', value: '4711', hidden: true }],
      })
      const [file] = savedWeb.files
      expect(savedWeb.content.files).toEqual([
        expect.objectContaining({ name: 'web-key.pem', size: KEY_FILE.length }),
      ])
      if (!file) throw new Error('the saved entry has no file')
      const bytes = await downloadItemFile(max.api, ops, savedWeb.id, file)
      expect(Buffer.compare(Buffer.from(bytes), KEY_FILE)).toBe(0)
    })

    await journey.step('the copy carries none of the sender’s history', async () => {
      const { ops, savedWeb } = await savedCopy()
      const original = await ada.api.itemHistory(userVault(await ada.vaults()).id, web.id)
      expect(original.entries.map((e) => e.action).sort()).toEqual(['created', 'updated'])
      const { entries } = await max.api.itemHistory(ops.id, savedWeb.id)
      expect(entries).toHaveLength(1)
      expect(entries[0]).toMatchObject({ action: 'created', actor: { id: max.me.id } })
    })

    await journey.step('an edit of the original afterwards does not reach the copy', async () => {
      const vault = userVault(await ada.vaults())
      const current = named(await loadItems(ada.api, vault), 'web', web.parentId)
      await saveItem(ada.api, vault, {
        id: current.id,
        parentId: current.parentId,
        kind: 'entry',
        content: { ...current.content, password: EDITED_PASSWORD, notes: 'moved to nginx 2' },
        baseRevision: current.revision,
        keepFiles: keptFiles(current),
      })
      const { savedWeb } = await savedCopy()
      expect(savedWeb.content.password).toBe(PASSWORD)
      expect(savedWeb.content.notes).toBe('front end, nginx')
      expect(savedWeb.revision).toBe(1)
    })

    await journey.step('saving in the user vault twice makes two copies and says so', async () => {
      await pane.getByRole('button', { name: 'Save in user vault' }).click()
      await expect(toast(memberPage, 'Saved 4 items to My vault')).toBeVisible({ timeout: 30_000 })
      await pane.getByRole('button', { name: 'Save in user vault' }).click()
      await expect(toast(memberPage, 'Saved again — you now have two copies')).toBeVisible({
        timeout: 30_000,
      })
      const mine = await loadItems(max.api, userVault(await max.vaults()))
      expect(
        mine
          .filter((i) => i.parentId === null)
          .map((i) => i.content.name)
          .sort(),
      ).toEqual(['Servers', 'Servers (2)'])
    })
    // The administrator's last screen: the folder the copy was sent from.
    await expectAccessible(page)
  },
)
