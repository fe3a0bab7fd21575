import type { Locator, Page } from '@playwright/test'
import { expect } from './fixtures.js'
import {
  acceptInvite,
  admin,
  expectAccessible,
  invite,
  LAPTOP,
  member,
  messagesButton,
  PHONE,
  setUpAdministrator,
  signIn,
  signOut,
  testWithMember as test,
} from './journey.js'

/*
 * Issue 16: what a new team notices in its first hour. An administrator sets Sealpost up,
 * invites a member and writes to them; the member reads, replies and is then told, live,
 * that sending is off. Every screen on the way passes axe-core in both themes and at both sizes.
 */

/** WCAG relative luminance contrast of two `rgb()` colours the browser computed. */
function contrast(a: string, b: string): number {
  const luminance = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255
      return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
    })
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (bl ?? 0)
  }
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

/** The colour a row shows: its own background, or the first opaque one behind it. */
async function shownBackground(row: Locator): Promise<string> {
  return row.evaluate((element) => {
    for (let node: Element | null = element; node; node = node.parentElement) {
      const colour = getComputedStyle(node).backgroundColor
      if (colour !== 'rgba(0, 0, 0, 0)' && colour !== 'transparent') return colour
    }
    return 'rgb(255, 255, 255)'
  })
}

async function compose(page: Page) {
  await page.getByRole('button', { name: 'New message' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await expect(dialog).toBeVisible()
  return dialog
}

async function sendTo(page: Page, subject: string, options: { highPriority: boolean }) {
  const dialog = await compose(page)
  await dialog.getByRole('combobox', { name: 'To' }).fill('max')
  await page.getByRole('option', { name: /Max Member/ }).click()
  await dialog.getByLabel('Subject').fill(subject)
  await dialog.getByLabel('Message').fill(`About ${subject}.`)
  if (options.highPriority) await dialog.getByText('High priority', { exact: true }).click()
  await dialog.getByRole('button', { name: 'Send' }).click()
  await expect(dialog).toBeHidden({ timeout: 20_000 })
}

test("a new team's first hour", async ({ page, memberPage }) => {
  test.setTimeout(300_000)

  await test.step('set-up, the vault and the users page pass axe', async () => {
    await page.goto('/')
    await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible()
    await expectAccessible(page)
    await setUpAdministrator(page)
    await expectAccessible(page)
    // The avatar's visible initials are part of its name (WCAG 2.5.3).
    await expect(page.getByRole('button', { name: /^Account menu for / })).toHaveAccessibleName(
      'Account menu for Ada Admin (AA)',
    )
    const url = await invite(page, member)
    await expectAccessible(page)
    await acceptInvite(memberPage, url, member)
  })

  await test.step('the password generator passes axe', async () => {
    await page.goto('/')
    await page.getByRole('button', { name: 'New entry' }).first().click()
    const entry = page.getByRole('dialog', { name: /^New entry/ })
    await entry.getByRole('button', { name: 'Generate' }).click()
    await expect(page.getByRole('dialog', { name: 'Generate a password' })).toBeVisible()
    await expectAccessible(page)
    await page.keyboard.press('Escape')
    await entry.getByRole('button', { name: 'Cancel' }).click()
    await expect(entry).toHaveCount(0)
  })

  await test.step('the administrator writes: the picker closes after a pick, files show at the top, Ctrl+Enter sends', async () => {
    await messagesButton(page).click()
    await expect(page.getByRole('heading', { name: 'Messages', level: 1 })).toBeVisible()
    await expectAccessible(page)
    const dialog = await compose(page)
    // An administrator learns which setting turns email on.
    await expect(dialog.getByText(/An administrator can set SEALPOST_SMTP_URL/)).toBeVisible()
    const to = dialog.getByRole('combobox', { name: 'To' })
    await to.fill('a')
    await expect(page.getByRole('listbox')).toBeVisible()
    await expectAccessible(page)
    await to.fill('max')
    await page.getByRole('option', { name: /Max Member/ }).click()
    // The list does not open again over Subject offering the rest ("(you)"): once the pick has
    // settled (the chip shown, the field empty and focused), no list is open.
    await expect(dialog.getByRole('row', { name: 'Max Member' })).toBeVisible()
    await expect(to).toHaveValue('')
    await expect(to).toBeFocused()
    await expect(page.getByRole('listbox')).toHaveCount(0)
    await expect(page.getByRole('option', { name: /\(you\)/ })).toHaveCount(0)
    // Tab order: the chip, then the field, then Subject.
    await page.keyboard.press('Shift+Tab')
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.closest('[role="row"]')?.textContent))
      .toBe('Max Member')
    await page.keyboard.press('Tab')
    await expect(to).toBeFocused()
    await page.keyboard.press('Tab')
    await expect(dialog.getByLabel('Subject')).toBeFocused()
    await expect(page.getByRole('listbox')).toHaveCount(0)

    await dialog.getByLabel('Subject').fill('Welcome aboard')
    await dialog.getByLabel('Message').fill('Your onboarding notes are attached.')
    await dialog.getByText('High priority', { exact: true }).click()
    // The drop zone has a name; choosing a file shows a count at the top of the form.
    await expect(
      dialog.getByRole('button', { name: 'Drop files here to attach them' }),
    ).toHaveCount(1)
    const chooser = page.waitForEvent('filechooser')
    await dialog.getByRole('button', { name: 'Choose files…' }).click()
    await (
      await chooser
    ).setFiles({ name: 'onboarding.txt', mimeType: 'text/plain', buffer: Buffer.from('hi') })
    const attached = dialog.getByRole('button', { name: '1 attached' })
    // Back at the top of the form, where the user was before choosing.
    await dialog.evaluate((element) => {
      for (let node: Element | null = element; node; node = node.parentElement) {
        node.scrollTop = 0
      }
    })
    await expect(attached).toBeInViewport()
    await expect(dialog.getByText('onboarding.txt')).not.toBeInViewport()
    await attached.click()
    await expect(dialog.getByText('onboarding.txt')).toBeInViewport()
    await expect(dialog.getByRole('group', { name: 'Attachments' })).toBeFocused()
    await expectAccessible(page)
    // Ctrl+Enter is written next to the buttons, and describes Send.
    await expect(dialog.getByText('Ctrl+Enter sends')).toBeVisible()
    const send = dialog.getByRole('button', { name: 'Send' })
    await expect(send).toHaveAccessibleDescription('Ctrl+Enter sends')
    await dialog.getByLabel('Message').press('Control+Enter')
    await expect(dialog).toBeHidden({ timeout: 20_000 })
    await expect(page.getByText('Message sent')).toBeVisible()
    // The toast's announcement leaves nothing broken behind (role-img-alt).
    await expectAccessible(page)
  })

  await test.step('the member sees the popup with Reply and Open in inbox', async () => {
    const modal = memberPage.getByRole('dialog', { name: 'High priority message' })
    await expect(modal).toBeVisible({ timeout: 10_000 })
    await expect(modal.getByRole('heading', { name: 'Welcome aboard' })).toBeVisible()
    await expectAccessible(memberPage)
    await expect(modal.getByRole('button', { name: 'Reply' })).toBeVisible()
    await modal.getByRole('button', { name: 'Open in inbox' }).click()
    await expect(modal).toBeHidden()
    await expect(memberPage).toHaveURL(/\/messages\/[0-9a-f-]{36}$/)
    const pane = memberPage.getByRole('region', { name: 'Open message' })
    await expect(pane.getByRole('heading', { name: 'Welcome aboard' })).toBeVisible()
    await expect(messagesButton(memberPage)).toHaveAccessibleName('Messages')
  })

  await test.step('Reply in the popup opens the reply, addressed and linked', async () => {
    await sendTo(page, 'Your first week', { highPriority: true })
    const modal = memberPage.getByRole('dialog', { name: 'High priority message' })
    await expect(modal.getByRole('heading', { name: 'Your first week' })).toBeVisible({
      timeout: 10_000,
    })
    await modal.getByRole('button', { name: 'Reply' }).click()
    const reply = memberPage.getByRole('dialog', { name: 'Reply' })
    await expect(reply).toBeVisible()
    await expect(reply.getByRole('row', { name: 'Ada Admin' })).toBeVisible()
    await expect(reply.getByLabel('Subject')).toHaveValue('Re: Your first week')
    await reply.getByRole('button', { name: 'Cancel' }).click()
    await expect(reply).toBeHidden()
    await expect(
      memberPage.getByRole('region', { name: 'Open message' }).getByRole('heading', {
        name: 'Your first week',
      }),
    ).toBeVisible()
  })

  await test.step('an unread message: a count on the Messages button and a clear tint', async () => {
    await memberPage
      .getByRole('region', { name: 'Open message' })
      .getByRole('button', { name: 'Close' })
      .click()
    await sendTo(page, 'Lunch on Friday', { highPriority: false })
    const button = messagesButton(memberPage)
    await expect(button).toHaveAccessibleName('Messages, 1 unread', { timeout: 10_000 })
    await expect(button).toHaveText('1')
    const unread = memberPage.getByRole('row', { name: /Lunch on Friday/ })
    const read = memberPage.getByRole('row', { name: /Welcome aboard/ })
    await expect(unread).toHaveAttribute('data-unread', '')
    for (const colorScheme of ['light', 'dark'] as const) {
      await memberPage.emulateMedia({ colorScheme, reducedMotion: 'reduce' })
      const ratio = contrast(await shownBackground(unread), await shownBackground(read))
      console.log(`unread tint against a read row, ${colorScheme}: ${ratio.toFixed(2)}:1`)
      expect(ratio).toBeGreaterThanOrEqual(1.3)
    }
    await memberPage.emulateMedia({ colorScheme: null, reducedMotion: null })
    await expectAccessible(memberPage)
  })

  await test.step('on a phone the ways to send are one slim segmented control', async () => {
    await memberPage.setViewportSize(PHONE)
    const dialog = await compose(memberPage)
    const tabs = dialog.getByRole('tablist', { name: 'How to send' })
    const box = await tabs.boundingBox()
    expect(box?.height ?? Infinity).toBeLessThanOrEqual(44)
    const inApp = await dialog.getByRole('tab', { name: 'Send in-app' }).boundingBox()
    const link = await dialog.getByRole('tab', { name: 'Create shareable link' }).boundingBox()
    expect(Math.abs((inApp?.y ?? 0) - (link?.y ?? 100))).toBeLessThan(2)
    // A member is told to ask, not which server setting to change.
    await expect(dialog.getByText('Email is not available; ask your administrator.')).toBeVisible()
    await expect(dialog.getByText(/SEALPOST_SMTP_URL/)).toHaveCount(0)
    await expectAccessible(memberPage)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await memberPage.setViewportSize(LAPTOP)
  })

  await test.step('the administrator turns sending off; the member’s open page follows', async () => {
    await expect(memberPage.getByText(/c writes a new one/)).toBeVisible()
    await page.goto('/admin/users')
    const canSend = page.getByRole('switch', { name: `Can send messages for ${member.username}` })
    await expect(canSend).toBeChecked()
    await canSend.focus()
    await page.keyboard.press('Space')
    await expect(canSend).not.toBeChecked()
    // No reload: the account.changed event refetches the member's session.
    const newMessage = memberPage.getByRole('button', { name: 'New message' })
    await expect(newMessage).toBeDisabled({ timeout: 10_000 })
    await expect(newMessage).toHaveAccessibleDescription(
      'Sending messages is turned off for your account by an administrator.',
    )
    await expect(memberPage.getByText(/c writes a new one/)).toHaveCount(0)
    await expect(
      memberPage.getByText('Choose a message from the list. Keys: j and k move, Enter opens.'),
    ).toBeVisible()
    await memberPage.keyboard.press('c')
    await expect(memberPage.getByRole('dialog')).toHaveCount(0)
    // Links are still allowed, and offered on their own.
    await expect(memberPage.getByRole('button', { name: 'Create shareable link' })).toBeVisible()
    await expectAccessible(memberPage)
  })

  await test.step('after sign-in the focus is on the page’s main heading', async () => {
    // The account menu, open over the page; it stays open through the change of size.
    await memberPage.getByRole('button', { name: /^Account menu for / }).click()
    const signOutItem = memberPage.getByRole('menuitem', { name: 'Sign out' })
    await expect(signOutItem).toBeVisible()
    await expectAccessible(memberPage)
    await signOutItem.click()
    await expect(memberPage.getByRole('heading', { name: 'Sign in to Sealpost' })).toBeVisible()
    await expectAccessible(memberPage)
    await signIn(memberPage, member)
    await expect(memberPage.getByRole('heading', { name: 'My vault', level: 1 })).toBeFocused()
    await signOut(page)
    await signIn(page, admin)
    await expect(page.getByRole('heading', { name: 'My vault', level: 1 })).toBeFocused()
  })
})
