import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { expect } from './fixtures.js'
import {
  acceptInvite,
  expectAccessible,
  invite,
  member,
  messagesButton,
  setUpAdministrator,
  testWithMember as journey,
} from './journey.js'

// One journey (STYLE.md rule 16): an administrator sends a high-priority message with a file
// and an expiry typed in their locale's order; the member, signed in elsewhere, sees it at
// once, closes it, downloads the file and replies; the administrator reads the reply and
// follows the thread to the original.

// The administrator's browser is British (day before month, a 24-hour clock); the member's
// keeps the browser's default.
journey.use({ locale: 'en-GB' })

journey(
  'a high-priority message with a file reaches a signed-in member at once, who reads and replies',
  async ({ page, memberPage }) => {
    journey.setTimeout(300_000)
    // Four sealed chunks (64 KiB each), the last one short: the file survives chunking exactly.
    const fileBytes = randomBytes(3 * 64 * 1024 + 1234)
    const subject = 'Welcome aboard'
    const body =
      'Hello Max,\n\nyour onboarding notes are attached.\nhttps://example.com stays text.'
    // Chosen while composing: three days ahead at 14:30, the browser's local time.
    let expiry = { typed: '', day: '', iso: '' }

    const inviteUrl = await journey.step(
      'the administrator sets up Sealpost and invites a member',
      async () => {
        await setUpAdministrator(page)
        return invite(page, member)
      },
    )

    await journey.step(
      'the member accepts the invite in another browser and opens Messages',
      async () => {
        await acceptInvite(memberPage, inviteUrl, member)
        await messagesButton(memberPage).click()
        await expect(memberPage.getByRole('heading', { name: 'Messages', level: 1 })).toBeVisible()
        await expect(memberPage.getByText('Your inbox is empty')).toBeVisible()
        await expect(messagesButton(memberPage)).toHaveAccessibleName('Messages')
        await expectAccessible(memberPage)
        // Marks this document: a reload would lose it.
        await memberPage.evaluate(() => {
          ;(window as unknown as { stillHere: boolean }).stillHere = true
        })
      },
    )

    await journey.step('the administrator sends a high-priority message with a file', async () => {
      await messagesButton(page).click()
      await page.getByRole('button', { name: 'New message' }).click()
      const dialog = page.getByRole('dialog', { name: 'New message' })
      await expect(dialog.getByRole('tab', { name: 'Send in-app' })).toHaveAttribute(
        'aria-selected',
        'true',
      )
      await expect(dialog.getByRole('tab', { name: /Send by email/ })).toHaveAttribute(
        'aria-disabled',
        'true',
      )
      await dialog.getByRole('combobox', { name: 'To' }).fill('max')
      await page.getByRole('option', { name: /Max Member/ }).click()
      // The list closes after a pick; ↓ or the chevron opens it for more recipients.
      await dialog.getByLabel('Subject').fill(subject)
      await expect(dialog.getByRole('row', { name: 'Max Member' })).toBeVisible()
      await dialog.getByLabel('Message').fill(body)
      await dialog.getByText('High priority', { exact: true }).click()
      await expect(dialog.getByRole('checkbox', { name: 'High priority' })).toBeChecked()
      const chooser = page.waitForEvent('filechooser')
      await dialog.getByRole('button', { name: 'Choose files…' }).click()
      await (
        await chooser
      ).setFiles({
        name: 'onboarding.bin',
        mimeType: 'application/octet-stream',
        buffer: fileBytes,
      })
      await expect(dialog.getByText('onboarding.bin')).toBeVisible()

      // Expires after → Custom: a date-time field in the browser's locale, typed part by part.
      await dialog.getByRole('button', { name: /Expires after/ }).click()
      await page.getByRole('option', { name: 'Custom date and time…' }).click()
      const expiresAt = dialog.getByRole('group', { name: 'Expires at' })
      const parts = expiresAt.getByRole('spinbutton')
      await expect(expiresAt).toMatchAriaSnapshot(`
        - group "Expires at":
          - spinbutton "day, Expires at"
          - spinbutton "month, Expires at"
          - spinbutton "year, Expires at"
          - spinbutton "hour, Expires at"
          - spinbutton "minute, Expires at"
          - button "Calendar Expires at"
      `)
      // Yesterday first: the form refuses it in words and puts the focus back on the day.
      const yesterday = await localDate(page, -1)
      await parts.first().click()
      await page.keyboard.type(`${yesterday.typed}1430`)
      await dialog.getByRole('button', { name: 'Send' }).click()
      await expect(
        dialog.getByText('That time has passed. Choose a time in the future.'),
      ).toBeVisible()
      await expect(parts.first()).toBeFocused()
      await expectAccessible(page)
      expiry = await localDate(page, 3)
      await page.keyboard.type(`${expiry.typed}1430`)
      await expect(dialog.getByText('That time has passed.', { exact: false })).toBeHidden()
      // The day can be picked in a calendar too; it opens on the day typed.
      await expiresAt.getByRole('button', { name: 'Calendar Expires at' }).click()
      const calendar = page.getByRole('dialog', { name: 'Calendar Expires at' })
      await expect(calendar.getByRole('gridcell', { selected: true })).toHaveText(expiry.day)
      await expectAccessible(page)
      await page.keyboard.press('Escape')
      await expect(calendar).toBeHidden()
      await expect(dialog).toBeVisible()

      await dialog.getByRole('button', { name: 'Send' }).click()
      await expect(dialog).toBeHidden({ timeout: 20_000 })
      await expect(page.getByText('Message sent')).toBeVisible()
      await page.getByRole('tab', { name: 'Sent' }).click()
      await expect(page.getByRole('row', { name: new RegExp(subject) })).toContainText(
        'Not read yet',
      )
      await expectAccessible(page)
    })

    await journey.step('the member sees it in front of everything, without a reload', async () => {
      const modal = memberPage.getByRole('dialog', { name: 'High priority message' })
      await expect(modal).toBeVisible({ timeout: 5_000 })
      await expect(modal.getByRole('heading', { name: subject })).toBeVisible()
      await expect(modal).toContainText('Ada Admin')
      await expect(modal).toContainText('Signature verified')
      await expect(modal).toContainText('your onboarding notes are attached.')
      await expect(modal).toContainText('onboarding.bin')
      await expectAccessible(memberPage)
      await expect(messagesButton(memberPage)).toHaveAccessibleName('Messages, 1 unread')
      expect(
        await memberPage.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere),
      ).toBe(true)
      // Its sender learns at once, without a reload, that it was opened (a receipt).
      await expect(page.getByRole('row', { name: new RegExp(subject) })).toContainText(
        'Opened by 1 of 1',
      )
    })

    await journey.step(
      'closing it marks it read: the dot and the tint go, the sender sees it',
      async () => {
        await memberPage
          .getByRole('dialog', { name: 'High priority message' })
          .getByRole('button', { name: 'Close' })
          .click()
        await expect(memberPage.getByRole('dialog', { name: 'High priority message' })).toBeHidden()
        await expect(messagesButton(memberPage)).toHaveAccessibleName('Messages')
        const row = memberPage.getByRole('row', { name: new RegExp(subject) })
        await expect(row).toBeVisible()
        await expect(row).not.toHaveAttribute('data-unread')
        await expect(page.getByRole('row', { name: new RegExp(subject) })).toContainText(
          '✓ Read by Max Member',
        )
      },
    )

    await journey.step(
      'the member opens the message and downloads the decrypted file',
      async () => {
        await memberPage.getByRole('row', { name: new RegExp(subject) }).click()
        const pane = memberPage.getByRole('article')
        await expect(pane.getByRole('heading', { name: subject, level: 2 })).toBeVisible()
        await expect(pane).toContainText('Signature verified')
        await expect(pane).toContainText('Max,\n\nyour onboarding notes')
        // The instant the administrator typed, whatever this browser's locale shows it as.
        await expect(pane.locator(`time[datetime="${expiry.iso}"]`)).toBeVisible()
        const download = memberPage.waitForEvent('download')
        await pane.getByRole('button', { name: 'Download onboarding.bin' }).click()
        const saved = await download
        expect(saved.suggestedFilename()).toBe('onboarding.bin')
        expect(Buffer.compare(await readFile(await saved.path()), fileBytes)).toBe(0)
        await expectAccessible(memberPage)
      },
    )

    await journey.step('the member replies', async () => {
      await memberPage.getByRole('button', { name: 'Reply' }).click()
      const dialog = memberPage.getByRole('dialog', { name: 'Reply' })
      await expect(dialog.getByRole('row', { name: 'Ada Admin' })).toBeVisible()
      await expect(dialog.getByLabel('Subject')).toHaveValue(`Re: ${subject}`)
      await dialog.getByLabel('Message').fill('Thanks Ada, got it.')
      await expectAccessible(memberPage)
      await dialog.getByRole('button', { name: 'Send' }).click()
      await expect(dialog).toBeHidden({ timeout: 20_000 })
    })

    await journey.step(
      'the administrator reads the reply and follows the thread to the original',
      async () => {
        await page.getByRole('tab', { name: 'Inbox' }).click()
        const reply = page.getByRole('row', { name: new RegExp(`Re: ${subject}`) })
        await expect(reply).toBeVisible()
        await expect(reply).toHaveAttribute('data-unread')
        await expect(messagesButton(page)).toHaveAccessibleName('Messages, 1 unread')
        await expect(reply.getByText(`Re: ${subject}`)).toHaveCSS('font-weight', '700')
        await reply.click()
        // Being read, it no longer looks unread in the list; Close is what marks it read.
        await expect(reply.getByText(`Re: ${subject}`)).toHaveCSS('font-weight', '400')
        await expect(reply).toHaveAttribute('data-unread')
        const pane = page.getByRole('article')
        await expect(pane.getByRole('heading', { name: `Re: ${subject}`, level: 2 })).toBeVisible()
        await expect(pane).toContainText('Thanks Ada, got it.')
        await expect(pane.getByRole('heading', { name: 'In this conversation' })).toBeVisible()
        await expectAccessible(page)
        await pane.getByRole('link', { name: /Message from you/ }).click()
        await expect(page).toHaveURL(/\/messages\/sent\/[0-9a-f-]{36}$/)
        await expect(
          page.getByRole('article').getByRole('heading', { name: subject, level: 2 }),
        ).toBeVisible()
        // The sender sees the expiry chosen, in their own locale's clock.
        await expect(
          page.getByRole('article').locator(`time[datetime="${expiry.iso}"]`),
        ).toContainText('14:30')
        // The sender's receipts: delivered, opened, read (closed) and replied, in that order.
        const receipts = page.getByRole('list', { name: 'What Max Member did with it' })
        await expect(receipts.getByRole('listitem')).toHaveText([
          /^Delivered /,
          /^✓ Opened /,
          /^✓ Read /,
          /^✓ Replied /,
        ])
        await expectAccessible(page)
      },
    )
    await journey.step(
      'the top bar searches the messages list shown: / and Ctrl+K go to it',
      async () => {
        const search = page.getByRole('searchbox', { name: 'Search messages' })
        // Nothing focused (the caret in no field): `/` is then a shortcut, not a character.
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
        await page.keyboard.press('/')
        await expect(search).toBeFocused()
        await page.keyboard.type('MAX welcome')
        const sent = page.getByRole('grid', { name: 'Sent' })
        await expect(sent.getByRole('row')).toHaveCount(1)
        await expect(sent.getByRole('row', { name: new RegExp(subject) })).toBeVisible()
        await expect(page).toHaveURL(/\/messages\/sent\?q=MAX\+welcome$/)
        await search.fill('welcome nobody')
        await expect(page.getByRole('heading', { name: 'No message matches' })).toBeVisible()
        await expectAccessible(page)
        await page.getByRole('button', { name: 'Clear search' }).click()
        await expect(sent.getByRole('row', { name: new RegExp(subject) })).toBeVisible()
        await expect(search).toHaveValue('')
        await page.getByRole('tab', { name: 'Inbox' }).focus()
        await page.keyboard.press('Control+k')
        await expect(search).toBeFocused()
        await page.keyboard.type('thanks')
        await expect(page).toHaveURL(/\/messages\/sent\?q=thanks$/)
        // Nothing I sent has "thanks" in its subject or recipients; the reply is in the inbox.
        await expect(page.getByRole('heading', { name: 'No message matches' })).toBeVisible()
        await page.getByRole('tab', { name: 'Inbox' }).click()
        await search.fill('Max Re:')
        const inbox = page.getByRole('grid', { name: 'Inbox' })
        await expect(inbox.getByRole('row', { name: new RegExp(`Re: ${subject}`) })).toBeVisible()
      },
    )
    // The last screen, as the user leaves it: the inbox, searched.
    await expectAccessible(page)
  },
)

/**
 * A day `days` from today in the browser's time zone: as typed in en-GB's day, month, year
 * order, the day of the month, and that day at 14:30 as the ISO instant the server keeps.
 */
async function localDate(page: Page, days: number) {
  return page.evaluate((days) => {
    const at = new Date()
    at.setDate(at.getDate() + days)
    at.setHours(14, 30, 0, 0)
    const pad = (n: number) => String(n).padStart(2, '0')
    return {
      typed: `${pad(at.getDate())}${pad(at.getMonth() + 1)}${at.getFullYear()}`,
      day: String(at.getDate()),
      iso: at.toISOString(),
    }
  }, days)
}
