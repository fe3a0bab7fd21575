import type { Page } from '@playwright/test'
import { expect } from './fixtures.js'
import {
  acceptInvite,
  expectAccessible,
  invite,
  member,
  messagesButton,
  setUpAdministrator,
  testWithMember as recipient,
} from './journey.js'

// One journey: markup in a subject, a body and file names reaches the recipient as text.
// The page's CSP would also stop inline script, so the test checks the DOM too: no element
// is ever made from the payloads.

const IMG = '<img src=x onerror="window.__pwned=1">'
const SCRIPT = '<script>window.__pwned=1</script>'
const subject = `${IMG} ${SCRIPT}`
const body = `Before ${IMG}\n${SCRIPT} after\n<a href="javascript:window.__pwned=1">click</a>`
const imgFileName = `${IMG}.txt`
const scriptFileName = `${SCRIPT}.txt`

async function expectInert(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBe(
    undefined,
  )
  await expect(page.locator('img[src="x"]')).toHaveCount(0)
  await expect(page.locator('script', { hasText: '__pwned' })).toHaveCount(0)
  await expect(page.locator('a[href^="javascript:"]')).toHaveCount(0)
}

recipient(
  'markup in a subject, body and file names renders as inert text',
  async ({ page, memberPage }) => {
    recipient.setTimeout(240_000)
    await setUpAdministrator(page)
    await acceptInvite(memberPage, await invite(page, member), member)

    await recipient.step('the administrator sends the payloads', async () => {
      await messagesButton(page).click()
      await page.getByRole('button', { name: 'New message' }).click()
      const dialog = page.getByRole('dialog', { name: 'New message' })
      await dialog.getByRole('combobox', { name: 'To' }).fill('max')
      await page.getByRole('option', { name: /Max Member/ }).click()
      await dialog.getByLabel('Subject').fill(subject)
      await dialog.getByLabel('Message').fill(body)
      await dialog.getByText('High priority', { exact: true }).click()
      const chooser = page.waitForEvent('filechooser')
      await dialog.getByRole('button', { name: 'Choose files…' }).click()
      await (
        await chooser
      ).setFiles({ name: imgFileName, mimeType: 'text/html', buffer: Buffer.from(IMG) })
      // A "/" cannot be in a file chosen from disk, but a dropped File may carry any name.
      const dropped = await page.evaluateHandle((name) => {
        // A constructed File has no file-system entry; react-aria asks for one to tell files
        // from folders, as it may for a real drop from the desktop.
        const proto = DataTransferItem.prototype
        const entryOf = Object.getOwnPropertyDescriptor(proto, 'webkitGetAsEntry')?.value as (
          this: DataTransferItem,
        ) => FileSystemEntry | null
        proto.webkitGetAsEntry = function (this: DataTransferItem) {
          return entryOf.call(this) ?? ({ isFile: true } as FileSystemEntry)
        }
        const transfer = new DataTransfer()
        transfer.items.add(new File(['<b>bold</b>'], name, { type: 'text/html' }))
        return transfer
      }, scriptFileName)
      const zone = dialog.getByText('Drop files here')
      for (const type of ['dragenter', 'dragover', 'drop']) {
        await zone.dispatchEvent(type, { dataTransfer: dropped })
      }
      await expect(dialog.getByText(imgFileName, { exact: true })).toBeVisible()
      await expect(dialog.getByText(scriptFileName, { exact: true })).toBeVisible()
      await expectAccessible(page)
      await dialog.getByRole('button', { name: 'Send' }).click()
      await expect(dialog).toBeHidden({ timeout: 20_000 })
      await expectInert(page)
    })

    await recipient.step('the high-priority modal shows them as text', async () => {
      const modal = memberPage.getByRole('dialog', { name: 'High priority message' })
      await expect(modal).toBeVisible({ timeout: 5_000 })
      await expect(modal.getByRole('heading', { name: subject })).toBeVisible()
      await expect(modal).toContainText(`Before ${IMG}`)
      await expect(modal).toContainText(`${SCRIPT} after`)
      await expect(modal.getByText(imgFileName, { exact: true })).toBeVisible()
      await expect(modal.getByText(scriptFileName, { exact: true })).toBeVisible()
      await expectInert(memberPage)
      await expectAccessible(memberPage)
      await modal.getByRole('button', { name: 'Close' }).click()
      await expect(modal).toBeHidden()
    })

    await recipient.step('the inbox row and the reading pane show them as text', async () => {
      await messagesButton(memberPage).click()
      const row = memberPage.getByRole('row', { name: /Ada Admin/ })
      await expect(row).toContainText(subject)
      await row.click()
      const pane = memberPage.getByRole('article')
      await expect(pane.getByRole('heading', { name: subject, level: 2 })).toBeVisible()
      await expect(pane).toContainText(body)
      await expect(pane.getByText(imgFileName, { exact: true })).toBeVisible()
      await expect(pane.getByText(scriptFileName, { exact: true })).toBeVisible()
      await expectInert(memberPage)
      await expectAccessible(memberPage)
    })
    // The last screen, as the sender leaves it: Messages after sending.
    await expectAccessible(page)
  },
)
