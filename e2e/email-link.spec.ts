import { type RunningSmtpServer, startSmtpServer } from '@sealpost/test-support'
import { expect, test } from './fixtures.js'
import {
  admin,
  expectAccessible,
  messagesButton,
  newBrowserPage,
  setUpAdministrator,
} from './journey.js'

// One journey (S22): the sender emails a link to two addresses through a real SMTP server;
// one mailbox refuses it. The sender sees each delivery, the link stays in Links with the
// error, and the email that arrived carries the link, which opens in a browser. The email's
// HTML shows the sender's name as text, whatever it contains.

type Mailbox = RunningSmtpServer

const friend = 'friend@example.com'
const bounce = 'bounce@example.com'
const sender = { ...admin, displayName: 'Ada <b>x</b> Admin' }
const text = 'The door code is 4711.\nPlease delete this after reading.'

// The mailbox starts first, so the server can be told where it is.
const mailTest = test.extend<{ mailbox: Mailbox }>({
  // Playwright requires the object pattern even when the fixture needs no other fixture.
  // eslint-disable-next-line no-empty-pattern
  mailbox: async ({}, use) => {
    const mailbox = await startSmtpServer({ rejectRecipients: [bounce] })
    await use(mailbox)
    await mailbox.close()
  },
  sealpostEnv: async ({ mailbox }, use) => {
    await use({
      SEALPOST_SMTP_URL: mailbox.url,
      SEALPOST_MAIL_FROM: 'Sealpost <sealpost@example.com>',
    })
  },
})

mailTest(
  'a link sent by email reaches the mailbox that accepts it and opens in a browser',
  async ({ page, browser, sealpost, mailbox }) => {
    mailTest.setTimeout(240_000)
    await setUpAdministrator(page, sender)

    await mailTest.step('the sender emails a link to two addresses', async () => {
      await messagesButton(page).click()
      await page.getByRole('button', { name: 'New message' }).click()
      const dialog = page.getByRole('dialog', { name: 'New message' })
      // What was typed in one tab stays when switching to another.
      await dialog.getByLabel('Message').fill(text)
      await dialog.getByRole('tab', { name: 'Send by email' }).click()
      await expect(dialog.getByLabel('Text')).toHaveValue(text)
      await expect(
        dialog.getByText('The server sees the link while it emails it.', { exact: false }),
      ).toBeVisible()
      const addresses = dialog.getByRole('textbox', { name: 'Email addresses' })
      await addresses.fill(`${friend}, not-an-address`)
      await addresses.press('Enter')
      await expect(dialog.getByRole('row', { name: friend })).toBeVisible()
      await dialog.getByRole('button', { name: 'Send by email' }).click()
      await expect(dialog.getByText('“not-an-address” is not an email address.')).toBeVisible()
      await expectAccessible(page)
      await addresses.fill(bounce)
      await dialog.getByLabel('Label (optional, only you see it)').fill('Door code')
      // A number field takes what was typed when the focus leaves it.
      await dialog.getByRole('textbox', { name: 'Views allowed' }).fill('2')
      await dialog.getByRole('textbox', { name: 'Views allowed' }).press('Tab')
      await expect(dialog.getByText('The link is deleted after 2 views')).toBeVisible()
      await dialog.getByRole('button', { name: 'Send by email' }).click()

      const result = page.getByRole('dialog', { name: 'Not every email could be sent' })
      await expect(result).toBeVisible({ timeout: 30_000 })
      await expect(result).toContainText(`Sent to ${friend}`)
      await expect(result).toContainText(`Not sent to ${bounce}:`)
      await expect(result).toContainText('The link is kept in Links with the error')
      await expectAccessible(page)
      await result.getByRole('button', { name: 'Done' }).click()
      await expect(result).toBeHidden()
    })

    await mailTest.step('Links shows both deliveries, the failure in red', async () => {
      await page.getByRole('tab', { name: 'Links' }).click()
      const row = page.getByRole('listitem', { name: 'Door code' })
      await expect(row).toContainText(`Emailed to ${friend}`)
      await expect(row).toContainText(`Not delivered to ${bounce}:`)
      await expect(row).toContainText('0 of 2 views used')
      await expectAccessible(page)
    })

    const url = await mailTest.step('the email carries the link and no markup', async () => {
      expect(mailbox.received).toHaveLength(1)
      const [mail] = mailbox.received
      if (!mail) throw new Error('no email arrived')
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe(friend)
      const link = new RegExp(`${sealpost.origin}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}`).exec(
        mail.text ?? '',
      )?.[0]
      expect(link).toBeTruthy()
      const html = typeof mail.html === 'string' ? mail.html : ''
      expect(html).toContain(`href="${link}"`)
      expect(html).toContain('Ada &lt;b&gt;x&lt;/b&gt; Admin')
      expect(html).not.toContain('<b>x</b>')
      // The content itself never travels by email.
      expect(`${mail.text ?? ''}${html}`).not.toContain('4711')
      return link ?? ''
    })

    const friendPage = await newBrowserPage(browser, sealpost.origin)
    await mailTest.step('following the link shows the content', async () => {
      const { pathname, hash } = new URL(url)
      await friendPage.goto(pathname + hash)
      await friendPage.getByRole('button', { name: 'Reveal secret' }).click()
      await expect(
        friendPage.getByRole('heading', { name: 'Secure message', level: 1 }),
      ).toBeVisible()
      expect(await friendPage.getByText(/^The door code/).innerText()).toBe(text)
      await expect(friendPage.getByText('This was view 1 of 2.')).toBeVisible()
      await expect(friendPage.getByText('Views left: 1, until')).toBeVisible()
      await expectAccessible(friendPage)
    })

    await mailTest.step('the sender deletes the link at once; it no longer opens', async () => {
      await page.reload()
      const row = page.getByRole('listitem', { name: 'Door code' })
      await expect(row).toContainText('1 of 2 views used')
      await row.getByRole('button', { name: 'Delete now' }).click()
      const confirm = page.getByRole('alertdialog', { name: 'Delete this link now?' })
      await expectAccessible(page)
      await confirm.getByRole('button', { name: 'Delete now' }).click()
      await expect(confirm).toBeHidden()
      await expect(page.getByRole('heading', { name: 'No links yet' })).toBeVisible()
      // The page checks the link before it offers Reveal: a deleted one is not offered at all.
      await friendPage.reload()
      await expect(
        friendPage.getByRole('heading', { name: 'This link is not available' }),
      ).toBeVisible()
      await expect(friendPage.getByRole('button', { name: 'Reveal secret' })).toHaveCount(0)
      await expectAccessible(friendPage)
      await friendPage.context().close()
    })
    // The last screen, as the sender leaves it: Links, empty again.
    await expectAccessible(page)
  },
)
