import { randomBytes } from 'node:crypto'
import { startWebhookReceiver, verifyWebhook } from '@sealpost/test-support'
import { expect, test } from './fixtures.js'
import {
  expectAccessible,
  expectNoSideScroll,
  LAPTOP,
  PHONE,
  setUpAdministrator,
} from './journey.js'

// One journey (issue 12): an administrator adds a webhook pointing at a receiver on loopback,
// copies its secret, which is shown once, sends a test event and sees it succeed; the receiver
// got that one request, signed with the secret copied. A metadata address is refused first.

/** Deliveries reach the receiver through the server's worker; allow a busy machine time. */
const DELIVERED = { timeout: 15_000 }

test('an administrator adds a webhook and sends it a test event', async ({ page }) => {
  // Setup runs OPAQUE and key creation; four axe runs at two sizes and in two themes.
  test.setTimeout(180_000)
  // The receiver answers when the journey says so, to see the page follow an attempt under way.
  let answer: (status: number) => void = () => undefined
  const answered = new Promise<number>((resolve) => (answer = resolve))
  const receiver = await startWebhookReceiver(() => answered)
  try {
    await test.step('the administrator sets up Sealpost', async () => {
      await setUpAdministrator(page)
    })

    await test.step('Webhooks sits under Administration beside Audit log and starts empty', async () => {
      const nav = page.getByRole('navigation', { name: 'Main' })
      await expect(nav.getByRole('link')).toContainText(['Audit log', 'Webhooks'])
      await nav.getByRole('link', { name: 'Webhooks' }).click()
      await expect(page.getByRole('heading', { name: 'Webhooks', level: 1 })).toBeVisible()
      await expect(page.getByRole('heading', { name: 'No webhooks yet' })).toBeVisible()
      await expectAccessible(page)
    })

    const dialog = page.getByRole('dialog', { name: 'Add a webhook' })
    const url = dialog.getByRole('textbox', { name: 'URL' })

    await test.step('a link-local address is refused on the URL field', async () => {
      await page.getByRole('button', { name: 'Add webhook' }).click()
      await expect(url).toBeFocused()
      await url.fill('http://169.254.169.254/')
      await dialog.getByRole('button', { name: 'Add webhook' }).click()
      await expect(url).toHaveAccessibleDescription(
        /The server refused this: 169\.254\.169\.254 is a link-local or metadata address\./,
      )
      await expect(url).toHaveAttribute('aria-invalid', 'true')
      // The refusal puts the focus back on the field it names.
      await expect(url).toBeFocused()
      await expectAccessible(page)
    })

    await test.step('events not named as audit actions are refused before sending', async () => {
      await url.fill(receiver.url)
      // The checkbox is a visually hidden input inside its label: operate it by keyboard.
      const everyEvent = dialog.getByRole('checkbox', { name: 'Every event' })
      await everyEvent.focus()
      await page.keyboard.press('Space')
      await expect(everyEvent).not.toBeChecked()
      const events = dialog.getByRole('textbox', { name: 'Only these events' })
      await events.fill('message sent, link.opened')
      await dialog.getByRole('button', { name: 'Add webhook' }).click()
      await expect(events).toHaveAccessibleDescription(/Not an audit action: “message sent”\./)
      await events.fill('message.sent, link.opened')
      await dialog.getByRole('textbox', { name: 'Description (optional)' }).fill('SIEM')
    })

    let secret = ''
    await test.step('the signing secret is shown once and copied', async () => {
      await dialog.getByRole('button', { name: 'Add webhook' }).click()
      await expect(dialog.getByText('This secret will not be shown again.')).toBeVisible()
      const shown = await dialog.getByRole('textbox', { name: 'Signing secret' }).inputValue()
      expect(shown).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/)
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
      await dialog.getByRole('button', { name: 'Copy' }).click()
      await expect(dialog.getByText('Copied to the clipboard')).toBeVisible()
      secret = await page.evaluate(() => navigator.clipboard.readText())
      expect(secret).toBe(shown)
      await expectAccessible(page)
      await dialog.getByRole('button', { name: 'Done' }).click()
      await expect(dialog).toHaveCount(0)
    })

    const endpoints = page.getByRole('table', { name: 'Webhook endpoints' })
    const deliveries = page.getByRole('table', {
      name: `Deliveries to ${receiver.url}, newest first`,
    })

    await test.step('the endpoint is listed, enabled, with nothing delivered yet', async () => {
      const row = endpoints.getByRole('row').filter({ hasText: receiver.url })
      await expect(row).toContainText('SIEM')
      await expect(row).toContainText('message.sent, link.opened')
      await expect(row).toContainText('None yet')
      await expect(
        row.getByRole('switch', { name: `Send events to ${receiver.url}` }),
      ).toBeChecked()
      await expect(page.getByRole('heading', { name: 'No deliveries yet' })).toBeVisible()
      expect(receiver.received).toHaveLength(0)
    })

    await test.step('a test event succeeds, with its status code and response time', async () => {
      await page.getByRole('button', { name: 'Send test event' }).click()
      const row = deliveries.getByRole('row').filter({ hasText: 'webhook.test' })
      await expect(row).toContainText('Pending')
      await receiver.nth(1, DELIVERED.timeout)
      // The page asks again while the attempt is under way (the server waits 10 s for an
      // answer), and keeps asking until the answer is in.
      const asked = await page.waitForRequest(
        (request) => request.method() === 'GET' && request.url().endsWith('/deliveries'),
        { timeout: 5_000 },
      )
      await asked.response()
      await expect(row).toContainText('Pending')
      answer(200)
      await expect(row).toContainText('Succeeded', DELIVERED)
      const cells = row.getByRole('cell')
      await expect(cells.nth(2)).toHaveText('1')
      await expect(cells.nth(3)).toHaveText('200')
      await expect(cells.nth(4)).toHaveText(/^\d+ ms$/)
      await expect(deliveries.getByRole('row')).toHaveCount(2)
      await expect(endpoints.getByRole('row').filter({ hasText: receiver.url })).toContainText(
        'Succeeded',
      )
      await expectAccessible(page)
      // Both tables scroll in their own boxes on a phone; the page itself does not.
      await page.setViewportSize(PHONE)
      await expectNoSideScroll(page)
      await page.setViewportSize(LAPTOP)
    })

    await test.step('the receiver got one request, signed with the copied secret', async () => {
      const delivery = await receiver.nth(1)
      expect(receiver.received).toHaveLength(1)
      expect(delivery.json.type).toBe('webhook.test')
      expect(verifyWebhook(secret, delivery)).toBe(true)
      // The check can fail: another secret does not verify the same request.
      expect(verifyWebhook(`whsec_${randomBytes(24).toString('base64')}`, delivery)).toBe(false)
    })

    await test.step('deleting the webhook asks first and empties the page', async () => {
      await endpoints.getByRole('button', { name: 'Delete' }).click()
      const confirm = page.getByRole('alertdialog', { name: 'Delete this webhook?' })
      await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused()
      await confirm.getByRole('button', { name: 'Delete' }).click()
      await expect(page.getByRole('heading', { name: 'No webhooks yet' })).toBeVisible()
    })
  } finally {
    await receiver.close()
  }
})
