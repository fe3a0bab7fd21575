import { chromium } from '@playwright/test'
import { expect, test } from './fixtures.js'
import {
  expectAccessible,
  invite,
  LAPTOP,
  member,
  messagesButton,
  setUpAdministrator,
} from './journey.js'

// One journey (STYLE.md rule 16): SEALPOST_PUBLIC_URL left unset (its default is
// http://localhost:PORT) and Sealpost reached by another name, as from a colleague's computer.
// Invite and shareable links both start with the address in the browser, and the
// administrator is told that the links in emails will not.

const NAME = 'sealpost.test'

// An empty variable is the default, as in a compose file.
test.use({ sealpostEnv: { SEALPOST_PUBLIC_URL: '' } })

test('links follow the address the browser used, and the administrator hears why emails cannot', async ({
  sealpost,
}, testInfo) => {
  test.setTimeout(180_000)
  const port = new URL(sealpost.origin).port
  const here = `http://${NAME}:${port}`
  // Its own browser: the name resolves to this computer, and WebCrypto (secure contexts only)
  // is allowed on it, which takes the port, known only now.
  const browser = await chromium.launch({
    ...testInfo.project.use.launchOptions,
    args: [
      ...(testInfo.project.use.launchOptions?.args ?? []),
      `--host-resolver-rules=MAP ${NAME} 127.0.0.1`,
      `--unsafely-treat-insecure-origin-as-secure=${here}`,
    ],
  })
  try {
    const page = await (await browser.newContext({ baseURL: here, viewport: LAPTOP })).newPage()
    await setUpAdministrator(page)

    await test.step('Administration – Users names the public URL and the address to set', async () => {
      await page.goto('/admin/users')
      const warning = page.getByRole('status').filter({ hasText: 'public URL is' })
      await expect(warning).toContainText(
        `Sealpost's public URL is http://localhost:${port}, but you reached it at ${here}.`,
      )
      await expect(warning).toContainText(`SEALPOST_PUBLIC_URL=${here}`)
      await expectAccessible(page)
    })

    await test.step('an invite link starts with the address in the browser', async () => {
      expect(await invite(page, member)).toMatch(new RegExp(`^${here}/invite#`))
    })

    await test.step('so does a shareable link', async () => {
      await messagesButton(page).click()
      await page.getByRole('button', { name: 'New message' }).click()
      const dialog = page.getByRole('dialog', { name: 'New message' })
      await dialog.getByRole('tab', { name: 'Create shareable link' }).click()
      await dialog.getByLabel('Subject (optional)').fill('Wi-Fi for visitors')
      await dialog.getByLabel('Text').fill('guest / correct horse battery')
      await expectAccessible(page)
      await dialog.getByRole('button', { name: 'Create link' }).click()
      const created = page.getByRole('dialog', { name: 'Shareable link created' })
      await expect(created.getByRole('textbox', { name: 'Shareable link' })).toHaveValue(
        new RegExp(`^${here}/s/[A-Za-z0-9_-]{22}#[A-Za-z0-9_-]{43}$`),
        { timeout: 30_000 },
      )
      await expectAccessible(page)
      await created.getByRole('button', { name: 'Done' }).click()
    })

    await test.step('Links lists a link without a label under its subject', async () => {
      await page.getByRole('tab', { name: 'Links' }).click()
      await expect(page.getByRole('listitem', { name: 'Wi-Fi for visitors' })).toContainText(
        '0 of 1 views used',
      )
      await expect(page.getByText('Untitled link')).toHaveCount(0)
      await expectAccessible(page)
    })
  } finally {
    await browser.close()
  }
})
