import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, test } from './fixtures.js'
import { admin, expectAccessible, messagesButton, setUpAdministrator } from './journey.js'

// One journey (issue 14): the administrator requests a secret; someone without an account
// answers in another browser with text and a file; the answer arrives live in the inbox,
// marked as from outside and never as verified; the administrator saves it to the vault.

const note = 'VPN password for the Berlin router'
const label = 'Berlin router'
const answer = 'vpn-berlin: Tr0ub4dor&3 horse staple'

/** Every value of every text column of the server's SQLite file, read without disturbing it. */
function storedText(dataDir: string): string {
  const db = new Database(join(dataDir, 'sealpost.db'), { readonly: true, fileMustExist: true })
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
      name: string
    }[]
    return tables
      .flatMap(({ name }) => db.prepare(`SELECT * FROM "${name}"`).all() as object[])
      .map((row) => JSON.stringify(row))
      .join('\n')
  } finally {
    db.close()
  }
}

test('someone without an account answers a request; it arrives live and is saved to the vault', async ({
  page,
  browser,
  sealpost,
}) => {
  test.setTimeout(240_000)
  const fileBytes = randomBytes(64 * 1024 + 321)

  await setUpAdministrator(page)

  const url = await test.step('the administrator requests a secret', async () => {
    await messagesButton(page).click()
    await page.getByRole('tab', { name: 'Requests' }).click()
    await expect(page).toHaveURL(/\/messages\/requests$/)
    await expect(page.getByRole('heading', { name: 'No requests yet' })).toBeVisible()
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Request a secret' }).click()
    const dialog = page.getByRole('dialog', { name: 'Request a secret' })
    await dialog.getByLabel('What are you asking for?').fill(note)
    await dialog.getByLabel('Label (only you see it)').fill(label)
    await dialog.getByText('They may attach files').click()
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Create request' }).click()

    const created = page.getByRole('dialog', { name: 'Request created' })
    const field = created.getByRole('textbox', { name: 'Request link' })
    await expect(field).toHaveValue(
      new RegExp(`^${sealpost.origin}/r/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{64}$`),
      { timeout: 30_000 },
    )
    const link = await field.inputValue()
    await expectAccessible(page)
    await created.getByRole('button', { name: 'Done' }).click()
    await expect(created).toBeHidden()
    const row = page.getByRole('listitem', { name: label })
    await expect(row).toContainText('0 of 1 answers received')
    await expect(row).toContainText(note)
    await expectAccessible(page)
    return link
  })
  const secret = new URL(url).hash.slice(1)

  const visitorContext = await browser.newContext({ baseURL: sealpost.origin })
  const visitor = await visitorContext.newPage()

  await test.step('someone without an account sees who asks and what for', async () => {
    const { pathname, hash } = new URL(url)
    await visitor.goto(pathname + hash)
    await expect(
      visitor.getByRole('heading', { name: 'Someone asks you for a secret' }),
    ).toBeVisible({ timeout: 30_000 })
    await expect(visitor.getByText(`${admin.displayName} (${admin.username}) at`)).toBeVisible()
    await expect(visitor.getByText(note, { exact: true })).toBeVisible()
  })

  await test.step('they answer with text and a file, sealed in their browser', async () => {
    await visitor.getByLabel('Your answer').fill(answer)
    const chooser = visitor.waitForEvent('filechooser')
    await visitor.getByRole('button', { name: 'Add files' }).click()
    await (
      await chooser
    ).setFiles({ name: 'berlin.ovpn', mimeType: 'application/octet-stream', buffer: fileBytes })
    await expect(visitor.getByText('berlin.ovpn')).toBeVisible()
    await expectAccessible(visitor)
    await visitor.getByRole('button', { name: 'Send securely' }).click()
    await expect(visitor.getByRole('heading', { name: 'Sent securely' })).toBeVisible({
      timeout: 30_000,
    })
    await expectAccessible(visitor)
    await visitorContext.close()
  })

  await test.step('the answer arrives live, marked as from outside', async () => {
    // No reload: the event stream brings it.
    await expect(messagesButton(page)).toHaveAccessibleName('Messages, 1 unread', {
      timeout: 15_000,
    })
    await expect(page.getByRole('listitem', { name: label })).toContainText(
      '1 of 1 answers received',
    )
    await page.getByRole('tab', { name: 'Inbox' }).click()
    const row = page.getByRole('row').filter({ hasText: `Answer to your request “${note}”` })
    await expect(row).toContainText('Outside Sealpost')
    await expect(row).toContainText('From outside — sender not verified')
    await row.click()
  })

  await test.step('it reads as unverified, with the text and the file', async () => {
    const pane = page.getByRole('article')
    await expect(
      pane.getByRole('heading', { name: `Answer to your request “${note}”` }),
    ).toBeVisible()
    await expect(pane.getByText('From outside — sender not verified')).toBeVisible()
    await expect(pane.getByText('Signature verified')).toHaveCount(0)
    await expect(pane.getByText(answer, { exact: true })).toBeVisible()
    const download = page.waitForEvent('download')
    await pane.getByRole('button', { name: 'Download berlin.ovpn' }).click()
    expect(Buffer.compare(await readFile(await (await download).path()), fileBytes)).toBe(0)
    await expect(pane.getByRole('button', { name: 'Reply', exact: true })).toHaveCount(0)
    await expectAccessible(page)
  })

  await test.step('Save in user vault keeps it as one entry with the file', async () => {
    await page.getByRole('button', { name: 'Save in user vault' }).click()
    await expect(page.getByText('Saved 1 item to My vault')).toBeVisible({ timeout: 30_000 })
    await page.goto('/')
    const contents = page.getByRole('grid', { name: /^Contents of / })
    await contents.getByRole('row', { name: label, exact: true }).click()
    await expect(page.getByText('berlin.ovpn')).toBeVisible({ timeout: 30_000 })
  })

  await test.step('the server kept none of it readable', async () => {
    const stored = storedText(sealpost.dataDir)
    expect(stored).toContain(admin.email)
    for (const plain of [note, answer, label, secret]) expect(stored).not.toContain(plain)
    expect(sealpost.log()).not.toContain(secret)
  })
  // The last screen, as the user leaves it: the saved entry open in the vault.
  await expectAccessible(page)
})
