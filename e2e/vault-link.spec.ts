import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import {
  type OpenVault,
  bytesSource,
  createApiClient,
  openVaults,
  saveItem,
  signIn,
} from '@sealpost/core'
import { expect, test } from './fixtures.js'
import { admin, expectAccessible, setUpAdministrator } from './journey.js'

// One journey (S20, S21): the administrator has an entry with a sub-entry and a file, and uses
// *Create shareable link* on its *More* menu. The compose form opens on the link tab with the
// copy attached, and the text may stay empty. Someone without an account opens the link in
// another browser: reveal, the entry by name, read-only with its username and password, and
// its file, whose bytes match — all from what the link opened with, no further request.

const PASSWORD = 'canary-Link-9vR!pw-3e7a'
// Two sealed chunks (64 KiB each), the last one short.
const KEY_FILE = randomBytes(64 * 1024 + 1234)

function userVault(vaults: OpenVault[]): OpenVault {
  const vault = vaults.find((v) => v.kind === 'user')
  if (!vault) throw new Error('no user vault')
  return vault
}

test('a vault entry shared as a link opens read-only, with its file, for someone without an account', async ({
  page,
  browser,
  sealpost,
}) => {
  test.setTimeout(240_000)
  await setUpAdministrator(page)

  await test.step('the administrator has an entry with a sub-entry and a file', async () => {
    const api = createApiClient({ baseUrl: sealpost.origin, manageCookies: true })
    const signedIn = await signIn(api, admin)
    const vault = userVault(await openVaults(api, signedIn.account, signedIn.session.user))
    const web = await saveItem(api, vault, {
      parentId: null,
      kind: 'entry',
      content: {
        name: 'web',
        type: 'credential',
        username: 'root',
        password: PASSWORD,
        url: 'https://web.example.com',
        fields: [],
      },
      baseRevision: 0,
      newFiles: [bytesSource('web-key.pem', 'application/x-pem-file', KEY_FILE)],
    })
    await saveItem(api, vault, {
      parentId: web.id,
      kind: 'entry',
      content: { name: 'web-admin', type: 'credential', username: 'admin', fields: [] },
      baseRevision: 0,
    })
  })

  const url =
    await test.step('Create shareable link on the More menu makes a link of it', async () => {
      await page.goto('/')
      const list = page.getByRole('grid', { name: /^Contents of / })
      await list.getByRole('button', { name: 'More for web', exact: true }).click()
      await page.getByRole('menuitem', { name: 'Create shareable link' }).click()

      const dialog = page.getByRole('dialog', { name: 'New message' })
      await expect(dialog).toBeVisible()
      await expect(page).toHaveURL(/\/messages$/)
      await expect(dialog.getByRole('tab', { name: 'Create shareable link' })).toHaveAttribute(
        'aria-selected',
        'true',
      )
      const attached = dialog.getByRole('list', { name: 'Attached vault content' })
      await expect(attached).toContainText("Entry 'web' (1 sub-entry, 1 file)")
      await expect(dialog.getByLabel('Subject (optional)')).toHaveValue('web')
      // No text: the copy is the content.
      await expect(dialog.getByLabel('Text')).toHaveValue('')
      await expectAccessible(page)
      await dialog.getByRole('button', { name: 'Create link' }).click()

      const created = page.getByRole('dialog', { name: 'Shareable link created' })
      const field = created.getByRole('textbox', { name: 'Shareable link' })
      await expect(field).toHaveValue(
        new RegExp(`^${sealpost.origin}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`),
        { timeout: 30_000 },
      )
      const link = await field.inputValue()
      await expectAccessible(page)
      await created.getByRole('button', { name: 'Done' }).click()
      await expect(created).toBeHidden()
      return link
    })

  const visitorContext = await browser.newContext({ baseURL: sealpost.origin })
  const visitor = await visitorContext.newPage()
  const apiCalls: string[] = []
  visitor.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) apiCalls.push(request.url())
  })
  const items = visitor.getByRole('treegrid', { name: 'Copied vault items' })

  await test.step('someone without an account reveals it and sees the entry', async () => {
    const { pathname, hash } = new URL(url)
    await visitor.goto(pathname + hash)
    await expect(visitor.getByRole('button', { name: 'Reveal secret' })).toBeVisible()
    await expectAccessible(visitor)
    await visitor.getByRole('button', { name: 'Reveal secret' }).click()
    await expect(visitor.getByRole('heading', { name: 'web', level: 1 })).toBeVisible({
      timeout: 30_000,
    })
    await expect(visitor.getByText('This was view 1 of 1.')).toBeVisible()
    // The check on load, then Reveal: one request for a link without a passphrase.
    const id = pathname.replace('/s/', '')
    expect(apiCalls.map((call) => new URL(call).pathname)).toEqual([
      `/api/public/links/${id}/check`,
      `/api/public/links/${id}/open`,
    ])
    await expect(items.getByRole('row', { name: /^web, / })).toHaveAccessibleName(
      'web, Credential · 1 sub-entry · 1 file, 65 kB',
    )
    await expect(items.getByRole('row', { name: /^web-admin, / })).toBeVisible()
    // The entry's file shows under it, not again as a file of the link.
    await expect(visitor.getByRole('button', { name: 'Download web-key.pem' })).toHaveCount(1)
    await expectAccessible(visitor)
  })

  const requestsAfterOpening = apiCalls.length

  await test.step('the entry opens read-only with its username and password', async () => {
    await items.getByRole('button', { name: 'Open web', exact: true }).click()
    const dialog = visitor.getByRole('dialog', { name: 'web', exact: true })
    await expect(dialog).toContainText('Read-only copy shared through this link.')
    await expect(dialog).toContainText('root')
    await expect(dialog).toContainText('https://web.example.com')
    await expect(dialog.getByText(PASSWORD)).toHaveCount(0)
    await dialog.getByRole('button', { name: 'Show Password' }).click()
    await expect(dialog.getByText(PASSWORD)).toBeVisible()
    await expectAccessible(visitor)

    const download = visitor.waitForEvent('download')
    await dialog.getByRole('button', { name: 'Download web-key.pem' }).click()
    const saved = await download
    expect(saved.suggestedFilename()).toBe('web-key.pem')
    expect(Buffer.compare(await readFile(await saved.path()), KEY_FILE)).toBe(0)

    await dialog.getByRole('button', { name: 'Open web-admin' }).click()
    await expect(visitor.getByRole('dialog', { name: 'web-admin' })).toContainText('admin')
    await visitor.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await expect(visitor.getByRole('dialog')).toHaveCount(0)
  })

  await test.step('the file also downloads from the tree, without asking the server', async () => {
    const download = visitor.waitForEvent('download')
    await items.getByRole('button', { name: 'Download web-key.pem' }).click()
    const saved = await download
    expect(Buffer.compare(await readFile(await saved.path()), KEY_FILE)).toBe(0)
    expect(apiCalls).toHaveLength(requestsAfterOpening)
    await visitorContext.close()
  })
  // The last screen, as the user leaves it: Messages, after the link was made.
  await expectAccessible(page)
})
