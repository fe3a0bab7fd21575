import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import Database from 'better-sqlite3'
import { expect, test } from './fixtures.js'
import { expectAccessible, messagesButton, setUpAdministrator } from './journey.js'

// One journey (S20, S21, S23): the administrator creates a 1-view link with a file and a
// passphrase; someone without an account opens it in another browser. Loading the page only
// checks the link (no view spent, nothing in its history) before it offers Reveal; a wrong
// passphrase says how many tries are left and keeps what was typed; the right one shows the
// text and the file; a reload then finds the link gone without offering Reveal; its content is
// gone from the page, the sender's list and the database, and its owner sees what happened to
// it under Show ended links.

const subject = 'Audit access'
const text = 'Server: vault-01.example.org\nUser: auditor\nPassword: Tr0ub4dor&3 horse'
const passphrase = 'maple quartz river lantern'
const label = 'For the auditor'

type LinkRows = { views: number | undefined; blobIds: string[]; chunks: number; staged: number }

/**
 * What the server's SQLite file holds of one link's content, read without disturbing the server;
 * `knownBlobIds` are looked for too once the blob rows may be gone.
 */
function linkRows(dataDir: string, linkId: string, knownBlobIds: string[] = []): LinkRows {
  const db = new Database(join(dataDir, 'sealpost.db'), { readonly: true, fileMustExist: true })
  try {
    // An ended link keeps a row for its owner's history, without its sealed content.
    const link = db
      .prepare("SELECT views FROM links WHERE id = ? AND (payload <> '' OR passphrase IS NOT NULL)")
      .get(linkId) as { views: number } | undefined
    const blobIds = (
      db.prepare('SELECT id FROM blobs WHERE link_id = ?').all(linkId) as { id: string }[]
    ).map((row) => row.id)
    const all = [...new Set([...blobIds, ...knownBlobIds])]
    return {
      views: link?.views,
      blobIds,
      chunks: countFor(db, 'blob_chunks', all),
      staged: countFor(db, 'staged_chunks', all),
    }
  } finally {
    db.close()
  }
}

function countFor(db: Database.Database, table: string, blobIds: string[]): number {
  let count = 0
  for (const id of blobIds) {
    const row = db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE blob_id = ?`).get(id) as {
      n: number
    }
    count += row.n
  }
  return count
}

/** From the messages view: the Links tab (S23). */
async function openLinks(page: Page) {
  await page.getByRole('tab', { name: 'Links' }).click()
  await expect(page).toHaveURL(/\/messages\/links$/)
}

test('a one-view link with a file and a passphrase opens once for someone without an account', async ({
  page,
  browser,
  sealpost,
}) => {
  test.setTimeout(300_000)
  // Two sealed chunks (64 KiB each), the last one short.
  const fileBytes = randomBytes(64 * 1024 + 777)

  await setUpAdministrator(page)

  const url = await test.step('the administrator creates the link', async () => {
    await messagesButton(page).click()
    await page.getByRole('button', { name: 'New message' }).click()
    const dialog = page.getByRole('dialog', { name: 'New message' })
    await dialog.getByRole('tab', { name: 'Create shareable link' }).click()
    await dialog.getByLabel('Subject (optional)').fill(subject)
    await dialog.getByLabel('Text').fill(text)
    const chooser = page.waitForEvent('filechooser')
    await dialog.getByRole('button', { name: 'Choose files…' }).click()
    await (
      await chooser
    ).setFiles({ name: 'access.bin', mimeType: 'application/octet-stream', buffer: fileBytes })
    await expect(dialog.getByText('access.bin')).toBeVisible()
    // One view (burn after reading) is the default.
    await expect(dialog.getByRole('textbox', { name: 'Views allowed' })).toHaveValue('1')
    await expect(dialog.getByText('Burn after reading')).toBeVisible()
    await dialog.getByLabel('Passphrase (optional)').fill(passphrase)
    await expect(dialog.getByText('The passphrase is not in the link')).toBeVisible()
    await dialog.getByLabel('Label (optional, only you see it)').fill(label)
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Create link' }).click()

    const created = page.getByRole('dialog', { name: 'Shareable link created' })
    const field = created.getByRole('textbox', { name: 'Shareable link' })
    await expect(field).toHaveValue(
      new RegExp(`^${sealpost.origin}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`),
      { timeout: 30_000 },
    )
    await expect(created).toContainText('Anyone with this link can open it 1 time until')
    await expect(created).toContainText('They also need the passphrase')
    const link = await field.inputValue()
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    await created.getByRole('button', { name: 'Copy link' }).click()
    await expect(created.getByText('Copied to the clipboard')).toBeVisible()
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link)
    await expectAccessible(page)
    await created.getByRole('button', { name: 'Done' }).click()
    await expect(created).toBeHidden()
    return link
  })
  const linkId = new URL(url).pathname.split('/')[2] ?? ''
  // The secret is in the fragment only: never in a request, so never in the server's log.
  const secret = new URL(url).hash.slice(1)

  const blobIds = await test.step('the Links tab lists it, unused', async () => {
    await openLinks(page)
    const row = page.getByRole('listitem', { name: label })
    await expect(row).toContainText('0 of 1 views used')
    await expect(row).toContainText('1 file')
    await expect(row.getByText('Needs a passphrase')).toBeAttached()
    const stored = linkRows(sealpost.dataDir, linkId)
    expect(stored.views).toBe(0)
    expect(stored.blobIds).toHaveLength(1)
    expect(stored.chunks).toBe(2)
    await expectAccessible(page)
    return stored.blobIds
  })

  const visitorContext = await browser.newContext({ baseURL: sealpost.origin })
  const visitor = await visitorContext.newPage()
  const apiCalls: string[] = []
  visitor.on('request', (request) => {
    const { pathname } = new URL(request.url())
    if (pathname.startsWith('/api/')) apiCalls.push(pathname)
  })

  await test.step('loading the page (as a link previewer would) spends no view', async () => {
    // A previewer without script gets the app's HTML, nothing more.
    const preview = await fetch(url)
    expect(preview.status).toBe(200)
    expect(preview.headers.get('content-type')).toContain('text/html')
    expect(linkRows(sealpost.dataDir, linkId).views).toBe(0)
    // While the link is checked the page says so and offers nothing to press: the check is
    // held here until both are seen.
    let releaseCheck = () => {}
    const checkHeld = new Promise<void>((resolve) => (releaseCheck = resolve))
    await visitor.route('**/api/public/links/*/check', async (route) => {
      await checkHeld
      await route.continue()
    })
    const { pathname, hash } = new URL(url)
    await visitor.goto(pathname + hash)
    await expect(
      visitor.getByRole('heading', { name: 'Someone shared a secure message with you' }),
    ).toBeVisible()
    await expect(visitor.getByRole('progressbar', { name: 'Checking the link…' })).toBeVisible()
    await expect(visitor.getByRole('button', { name: 'Reveal secret' })).toHaveCount(0)
    await expectAccessible(visitor)
    releaseCheck()
    await expect(visitor.getByRole('button', { name: 'Reveal secret' })).toBeVisible()
    await expect(visitor.getByRole('progressbar')).toHaveCount(0)
    await visitor.unroute('**/api/public/links/*/check')
    await visitor.reload()
    await expect(visitor.getByRole('button', { name: 'Reveal secret' })).toBeVisible()
    await visitor.waitForLoadState('networkidle')
    await expectAccessible(visitor)
    // The check alone: no reveal, no open.
    expect(apiCalls).toEqual([
      `/api/public/links/${linkId}/check`,
      `/api/public/links/${linkId}/check`,
    ])
    expect(linkRows(sealpost.dataDir, linkId).views).toBe(0)
    await page.reload()
    await expect(page.getByRole('listitem', { name: label })).toContainText('0 of 1 views used')
  })

  const open = `/api/public/links/${linkId}/open`
  const callsBeforeReveal = apiCalls.length
  await test.step('a wrong passphrase says how many tries are left and keeps it', async () => {
    await visitor.getByRole('button', { name: 'Reveal secret' }).click()
    await expect(visitor.getByRole('heading', { name: 'Enter the passphrase' })).toBeVisible()
    // Reveal is the open itself, answered passphrase_needed: no reveal request, no view spent.
    expect(apiCalls.slice(callsBeforeReveal)).toEqual([open])
    await expectAccessible(visitor)
    const field = visitor.getByLabel('Passphrase')
    await field.fill('not the passphrase')
    await visitor.getByRole('button', { name: 'Unlock' }).click()
    await expect(
      visitor.getByText('Wrong passphrase — 9 tries left before the link is destroyed.'),
    ).toBeVisible({ timeout: 30_000 })
    await expect(visitor.getByRole('heading', { name: 'Enter the passphrase' })).toBeVisible()
    await expect(field).toHaveValue('not the passphrase')
    await expect(field).toHaveAttribute('aria-invalid', 'true')
    await expect(field).toHaveAccessibleDescription(
      'Wrong passphrase — 9 tries left before the link is destroyed.',
    )
    await expect(field).toBeFocused()
    await expectAccessible(visitor)
    expect(linkRows(sealpost.dataDir, linkId).views).toBe(0)
    // Unlock derives the proof from what passphrase_needed carried: one open per try.
    expect(apiCalls.slice(callsBeforeReveal)).toEqual([open, open])
  })

  await test.step('the right passphrase shows the text and the file, once', async () => {
    await visitor.getByLabel('Passphrase').fill(passphrase)
    await visitor.getByRole('button', { name: 'Unlock' }).click()
    await expect(visitor.getByRole('heading', { name: subject, level: 1 })).toBeVisible({
      timeout: 30_000,
    })
    // Plain text with its line breaks, exactly as typed.
    expect(await visitor.getByText(/^Server: vault-01/).innerText()).toBe(text)
    await expect(visitor.getByText('This was view 1 of 1.')).toBeVisible()
    await expect(visitor.getByText('It is now deleted')).toBeVisible()
    const download = visitor.waitForEvent('download')
    await visitor.getByRole('button', { name: 'Download access.bin' }).click()
    const saved = await download
    expect(saved.suggestedFilename()).toBe('access.bin')
    expect(Buffer.compare(await readFile(await saved.path()), fileBytes)).toBe(0)
    await expectAccessible(visitor)
    expect(apiCalls.slice(callsBeforeReveal)).toEqual([open, open, open])
  })

  await test.step('reloading finds the link gone without offering Reveal', async () => {
    await visitor.reload()
    await expect(visitor.getByRole('heading', { name: 'This link is not available' })).toBeVisible()
    await expect(visitor.getByRole('button', { name: 'Reveal secret' })).toHaveCount(0)
    await expectAccessible(visitor)
    await visitorContext.close()
  })

  await test.step('nothing of it is left: not in the list, not in the database', async () => {
    await page.reload()
    await expect(page.getByRole('heading', { name: 'No links yet' })).toBeVisible()
    expect(linkRows(sealpost.dataDir, linkId, blobIds)).toEqual({
      views: undefined,
      blobIds: [],
      chunks: 0,
      staged: 0,
    })
    expect(sealpost.log()).not.toContain(secret)
  })

  await test.step('its owner still sees what happened to it, without its content', async () => {
    await page.getByText('Show ended links').click()
    const row = page.getByRole('listitem', { name: label })
    await expect(row).toContainText('Used up')
    await row.getByRole('button', { name: 'Show history' }).click()
    const events = row.getByRole('list', { name: 'What happened to this link' })
    // A page load is recorded at most once a minute, so their number depends on the pace.
    const items = events.getByRole('listitem')
    await expect(items.first()).toHaveText(/Page loaded with the full link$/)
    await expect(items.filter({ hasText: 'Wrong passphrase' })).toHaveCount(1)
    await expect(items.last()).toHaveText(/Opened \(view 1 of 1\)$/)
    await expectAccessible(page)
  })
})
