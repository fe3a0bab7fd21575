import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './fixtures.js'
import { expectAccessible, PHONE, LAPTOP, setUpAdministrator } from './journey.js'

// One journey (STYLE.md rule 16): an administrator builds a folder with two entries (one with
// a sub-entry and an attachment), edits an entry and reads its history, moves an entry by
// drag and drop, deletes a folder, and the server's database never holds a password in clear.

const CANARY = 'canary-Vault-7qX!pw-2b9f'
const KEY_FILE = '-----BEGIN KEY-----\nnot really a key\n-----END KEY-----\n'

const tree = (page: Page) => page.getByRole('treegrid', { name: 'Vaults' })
const list = (page: Page) => page.getByRole('grid', { name: /^Contents of / })
const treeRow = (page: Page, name: string) => tree(page).getByRole('row', { name, exact: true })
const listRow = (page: Page, name: string) => list(page).getByRole('row', { name, exact: true })
const detail = (page: Page) => page.getByRole('region', { name: 'Open entry' })

async function newEntry(page: Page, fill: (dialog: Locator) => Promise<void>) {
  const dialog = page.getByRole('dialog', { name: /^New (sub-)?entry/ })
  await expect(dialog).toBeVisible()
  await fill(dialog)
  await dialog.getByRole('button', { name: 'Create' }).click()
  await expect(dialog).toHaveCount(0)
}

test('an administrator builds, edits, moves and deletes vault items; secrets stay sealed', async ({
  page,
  sealpost,
}) => {
  test.setTimeout(240_000)
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])

  await test.step('first-run setup lands on an empty My vault', async () => {
    await setUpAdministrator(page)
    await expect(page).toHaveURL(/\/$/)
    await expect(page.getByRole('heading', { name: 'Your vault is empty' })).toBeVisible()
    await expect(treeRow(page, 'My vault')).toBeVisible()
    // The page heading names the vault; its list does not say it again (only to screen readers).
    const shownHeadings = await page
      .getByRole('heading', { name: 'My vault' })
      .evaluateAll((headings) => headings.filter((h) => h.getBoundingClientRect().height > 1))
    expect(shownHeadings.length).toBe(1)
    await expectAccessible(page)
  })

  await test.step('a folder "Servers" with two entries', async () => {
    await page.getByRole('button', { name: 'New folder' }).click()
    const dialog = page.getByRole('dialog', { name: 'New folder' })
    await dialog.getByLabel('Folder name').fill('Servers')
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Create' }).click()
    await expect(page.getByRole('heading', { name: 'Servers', level: 2 })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'This folder is empty' })).toBeVisible()
    await expect(page.getByText('Add an entry or drop one here')).toBeVisible()
    await expectAccessible(page)

    await page.getByRole('button', { name: 'New entry' }).first().click()
    await newEntry(page, async (dialog) => {
      await dialog.getByLabel('Name', { exact: true }).fill('web-01')
      await dialog.getByLabel('Username', { exact: true }).fill('root')
      await dialog.getByLabel('Password', { exact: true }).fill(CANARY)
      await dialog.getByLabel('Website').fill('https://web-01.example')
      await dialog.getByLabel('Notes').fill('front end')
    })
    await expect(detail(page).getByRole('heading', { name: 'web-01' })).toBeVisible()
    // The password stays hidden until asked for.
    await expect(detail(page).getByText(CANARY)).toHaveCount(0)
    await detail(page).getByRole('button', { name: 'Show Password' }).click()
    await expect(detail(page).getByText(CANARY)).toBeVisible()
    await detail(page).getByRole('button', { name: 'Copy Password' }).click()
    await expect(page.getByText('Password copied — clears in 30 s')).toBeVisible()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(CANARY)
    // An open entry, its password shown, and the toast of the copy.
    await expectAccessible(page)

    await page.getByRole('button', { name: 'New entry' }).first().click()
    await newEntry(page, async (dialog) => {
      await dialog.getByLabel('Name', { exact: true }).fill('db-01')
      await dialog.getByLabel('Username', { exact: true }).fill('postgres')
      // The generator fills the password.
      await dialog.getByRole('button', { name: 'Generate' }).click()
      const generator = page.getByRole('dialog', { name: 'Generate a password' })
      await generator.getByRole('button', { name: 'Use this password' }).click()
      await expect(dialog.getByLabel('Password', { exact: true })).toHaveValue(/^.{20}$/)
      await dialog.locator('input[type="file"]').setInputFiles({
        name: 'db-key.pem',
        mimeType: 'application/x-pem-file',
        buffer: Buffer.from(KEY_FILE),
      })
      await expect(dialog.getByText('db-key.pem')).toBeVisible()
    })
    await expect(detail(page).getByRole('heading', { name: 'db-01' })).toBeVisible()
    await expect(listRow(page, 'db-01')).toBeVisible()
    await expect(listRow(page, 'web-01')).toBeVisible()
  })

  await test.step('New entry keeps Create and Cancel in view on a laptop and a phone', async () => {
    await page.getByRole('button', { name: 'New entry' }).first().click()
    const dialog = page.getByRole('dialog', { name: /^New entry/ })
    const inView = async () => {
      for (const name of ['Create', 'Cancel']) {
        await expect(dialog.getByRole('button', { name, exact: true })).toBeInViewport({ ratio: 1 })
      }
    }
    await inView()
    await expectAccessible(page)
    await page.setViewportSize(PHONE)
    await inView()
    // On a phone the password takes the width, as the username above it does.
    const widthOf = async (label: string) =>
      (await dialog.getByLabel(label, { exact: true }).boundingBox())?.width ?? 0
    const username = await widthOf('Username')
    expect(username).toBeGreaterThan(200)
    expect(await widthOf('Password')).toBeGreaterThanOrEqual(username - 1)
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click()
    await expect(dialog).toHaveCount(0)
    await page.setViewportSize(LAPTOP)
  })

  await test.step('the attachment downloads decrypted', async () => {
    const download = page.waitForEvent('download')
    await detail(page).getByRole('button', { name: 'Download db-key.pem' }).click()
    const file = await download
    expect(file.suggestedFilename()).toBe('db-key.pem')
    expect(readFileSync(await file.path(), 'utf8')).toBe(KEY_FILE)
  })

  await test.step('the profile counts the file against the storage quota', async () => {
    await page.getByRole('button', { name: /^Account menu/ }).click()
    await page.getByRole('menuitem', { name: 'Profile' }).click()
    const profile = page.getByRole('dialog', { name: 'Profile' })
    await expect(profile.getByText(`${KEY_FILE.length} bytes of 1 GB used`)).toBeVisible()
    await expectAccessible(page)
    await profile.getByRole('button', { name: 'Close' }).click()
  })

  await test.step('db-01 gets a sub-entry', async () => {
    await detail(page).getByRole('button', { name: 'Add sub-entry' }).click()
    await newEntry(page, async (dialog) => {
      await dialog.getByRole('button', { name: /Type$/ }).click()
      await page.getByRole('option', { name: 'Secure note' }).click()
      await dialog.getByLabel('Name', { exact: true }).fill('replica notes')
      await dialog.getByLabel('Note', { exact: true }).fill('streams from db-01')
      await expectAccessible(page)
    })
    await expect(detail(page).getByRole('heading', { name: 'replica notes' })).toBeVisible()
    await expect(treeRow(page, 'replica notes')).toBeVisible()
    // The narrow pane may cut a name short with "…"; hovering it shows the whole name.
    await expect(treeRow(page, 'replica notes').getByText('replica notes')).toHaveAttribute(
      'title',
      'replica notes',
    )
  })

  await test.step('an edit makes a second revision, shown in the history', async () => {
    await treeRow(page, 'web-01').click()
    await expect(detail(page).getByRole('heading', { name: 'web-01' })).toBeVisible()
    await detail(page).getByRole('button', { name: 'Edit', exact: true }).click()
    await detail(page).getByLabel('Username', { exact: true }).fill('admin')
    await expectAccessible(page)
    await detail(page).getByRole('button', { name: 'Save' }).click()
    await expect(page.getByText('“web-01” saved')).toBeVisible()
    await expect(detail(page).getByText('admin', { exact: true })).toBeVisible()

    await detail(page).getByRole('button', { name: 'History' }).click()
    const history = page.getByRole('dialog', { name: 'History of “web-01”' })
    const revisions = history.getByRole('list', { name: 'Revisions, newest first' })
    await expect(revisions.locator(':scope > li')).toHaveCount(2)
    await expect(history.getByText('Changed by Ada Admin')).toBeVisible()
    await expect(history.getByText('Created by Ada Admin')).toBeVisible()
    await expect(history.getByText('Username changed')).toBeVisible()
    // Which fields changed, never their values.
    await expect(history.getByText('admin', { exact: true })).toHaveCount(0)
    await expectAccessible(page)
    await history.getByRole('button', { name: 'Close' }).click()
  })

  await test.step('web-01 moves into another folder by drag and drop', async () => {
    await page.goto('/')
    await page.getByRole('button', { name: 'New folder' }).click()
    const dialog = page.getByRole('dialog', { name: 'New folder' })
    await dialog.getByLabel('Folder name').fill('Archive')
    await dialog.getByRole('button', { name: 'Create' }).click()
    await expect(page.getByRole('heading', { name: 'Archive', level: 2 })).toBeVisible()

    await treeRow(page, 'Servers').click()
    await expect(page.getByRole('heading', { name: 'Servers', level: 2 })).toBeVisible()
    await listRow(page, 'web-01').dragTo(treeRow(page, 'Archive'))
    await expect(page.getByText('“web-01” moved to Archive')).toBeVisible()
    await expect(listRow(page, 'web-01')).toHaveCount(0)
    await treeRow(page, 'Archive').click()
    await expect(listRow(page, 'web-01')).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('the tree answers the keyboard: Enter opens, Delete asks, Esc cancels', async () => {
    await treeRow(page, 'Servers').focus()
    await page.keyboard.press('Enter')
    await expect(page.getByRole('heading', { name: 'Servers', level: 2 })).toBeVisible()
    await page.keyboard.press('Delete')
    const confirm = page.getByRole('alertdialog', { name: 'Delete “Servers” and its 2 items?' })
    await expect(confirm).toBeVisible()
    await page.keyboard.press('Escape')
    await expect(confirm).toHaveCount(0)
    await expect(treeRow(page, 'Servers')).toBeFocused()
  })

  await test.step('deleting a folder asks first and takes everything inside', async () => {
    await treeRow(page, 'Servers').getByRole('button', { name: 'More for Servers' }).click()
    await expect(page.getByRole('menuitem', { name: 'Delete' })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('menuitem', { name: 'Delete' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Delete “Servers” and its 2 items?' })
    await expect(confirm).toBeVisible()
    await expectAccessible(page)
    await confirm.getByRole('button', { name: 'Delete' }).click()
    await expect(page.getByText('“Servers” deleted')).toBeVisible()
    await expect(treeRow(page, 'Servers')).toHaveCount(0)
    await expect(treeRow(page, 'db-01')).toHaveCount(0)
    await expect(treeRow(page, 'Archive')).toBeVisible()
  })

  await test.step('a long name ends in … in the navigation, and hovering shows it whole', async () => {
    const long = 'TLS certificates for the public load balancers'
    await page.getByRole('button', { name: 'New folder' }).click()
    const dialog = page.getByRole('dialog', { name: 'New folder' })
    await dialog.getByLabel('Folder name').fill(long)
    await dialog.getByRole('button', { name: 'Create' }).click()
    const shown = treeRow(page, long).getByText(long, { exact: true })
    await expect(shown).toHaveAttribute('title', long)
    // Cut short by the pane's width: the title is what tells the whole name.
    expect(await shown.evaluate((name) => name.scrollWidth > name.clientWidth)).toBe(true)
  })

  await test.step('search finds entries by name across the vault', async () => {
    await page.getByRole('searchbox', { name: 'Search vault' }).first().fill('WEB')
    const results = page.getByRole('grid', { name: 'Search results' })
    await expect(results.getByRole('row', { name: 'web-01', exact: true })).toBeVisible()
    await expect(page.getByRole('heading', { name: '1 result for “WEB”' })).toBeVisible()
    await expectAccessible(page)
  })

  await test.step('the password never reaches the database in clear', async () => {
    for (const file of ['sealpost.db', 'sealpost.db-wal']) {
      const path = join(sealpost.dataDir, file)
      if (!existsSync(path)) continue
      const bytes = readFileSync(path)
      expect(bytes.includes(Buffer.from(CANARY)), `${file} holds the password`).toBe(false)
      expect(bytes.includes(Buffer.from('not really a key')), `${file} holds the file`).toBe(false)
    }
    expect(existsSync(join(sealpost.dataDir, 'sealpost.db'))).toBe(true)
  })
})
