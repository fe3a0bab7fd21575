import { readFile } from 'node:fs/promises'
import { expect, test } from './fixtures.js'
import {
  admin,
  expectAccessible,
  expectNoSideScroll,
  invite,
  LAPTOP,
  member,
  PHONE,
  setUpAdministrator,
} from './journey.js'

// One journey (issue 12): an administrator reads the audit log, filters it, verifies its
// hash chain and exports what the filter shows.

test('an administrator filters, verifies and exports the audit log', async ({ page }) => {
  test.setTimeout(180_000)

  await test.step('setting up and inviting someone are recorded', async () => {
    await setUpAdministrator(page)
    await invite(page, member)
  })

  await test.step('Administration – Audit log lists them, newest first', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click()
    await expect(page.getByRole('heading', { name: 'Audit log', level: 1 })).toBeVisible()
    const events = page.getByRole('table', { name: 'Audit events, newest first' })
    const actions = events.locator('tbody tr td:nth-child(3)')
    await expect(actions.first()).toHaveText('user.invited')
    await expect(actions.last()).toHaveText('setup')
    await expect(events.locator('tbody tr').first()).toContainText(admin.username)
    await expectAccessible(page)
    // The table scrolls in its own box on a phone; the page itself does not.
    await page.setViewportSize(PHONE)
    await expectNoSideScroll(page)
    await page.setViewportSize(LAPTOP)
  })

  await test.step('filtering by action keeps only those events', async () => {
    await page.getByLabel('Action').fill('setup')
    const actions = page
      .getByRole('table', { name: 'Audit events, newest first' })
      .locator('tbody tr td:nth-child(3)')
    await expect(actions).toHaveText(['setup'])
    await page.getByLabel('Action').fill('no.such.action')
    await expect(page.getByRole('heading', { name: 'No events' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Action').fill('user.invited')
    await expect(actions).toHaveText(['user.invited'])
  })

  await test.step('the chain verifies', async () => {
    await page.getByRole('button', { name: 'Verify the chain' }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Chain intact' })).toHaveText(
      /^Chain intact: \d+ events checked$/,
    )
    await expectAccessible(page)
  })

  await test.step('the export holds what the filter shows', async () => {
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: 'Export CSV' }).click()
    const csv = await readFile(await (await download).path(), 'utf8')
    const lines = csv.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain('user.invited')
  })
})
