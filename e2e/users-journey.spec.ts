import { expect, test } from './fixtures.js'
import {
  admin,
  choosePassword,
  expectNoAxeViolations,
  expectSignedIn,
  member,
  newBrowserPage,
  setUpAdministrator,
  signIn,
  signOut,
} from './journey.js'

// One journey (STYLE.md rule 16): first-run setup → invite → accept → sign out and in →
// an administrator turns a permission off and the member sees it.

const SENDING_OFF = 'Sending messages is turned off for your account by an administrator.'

test('an administrator sets up Sealpost, invites a member, and turns their messages off', async ({
  browser,
  page,
  sealpost,
}) => {
  test.setTimeout(180_000)

  await test.step('first-run setup creates the administrator', async () => {
    await setUpAdministrator(page, admin)
  })

  let inviteUrl = ''
  await test.step('the administrator invites a member', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Users' })
      .click()
    await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible()
    // The public URL is this very address: nothing to warn about (public-url.spec.ts has the case).
    await expect(page.getByText(/public URL is/)).toHaveCount(0)
    await page.getByRole('button', { name: 'Invite user' }).click()
    const dialog = page.getByRole('dialog', { name: 'Invite a user' })
    await dialog.getByLabel('Username').fill(member.username)
    await dialog.getByLabel('Email').fill(member.email)
    await dialog.getByLabel('Display name (optional)').fill(member.displayName)
    await dialog.getByRole('button', { name: 'Create invite link' }).click()
    const link = dialog.getByRole('textbox', { name: 'Invite link' })
    await expect(link).toHaveValue(/\/invite#[A-Za-z0-9_-]{43}$/)
    inviteUrl = await link.inputValue()
    await expect(dialog.getByText('valid for 7 days')).toBeVisible()
    await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible()
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(page.getByRole('row', { name: new RegExp(member.displayName) })).toContainText(
      'Invited',
    )
  })

  const memberPage = await newBrowserPage(browser, sealpost.origin)
  await test.step('the member accepts the invite in another browser', async () => {
    const { pathname, hash } = new URL(inviteUrl)
    await memberPage.goto(pathname + hash)
    await expect(memberPage.getByRole('heading', { name: 'Join Sealpost' })).toBeVisible()
    await expect(memberPage.getByText(member.email)).toBeVisible()
    await expect(memberPage.getByLabel('Display name')).toHaveValue(member.displayName)
    await choosePassword(memberPage, member)
    await expect(memberPage).toHaveURL(/\/$/)
    // Members see no Administration.
    await expect(memberPage.getByRole('link', { name: 'Users' })).toHaveCount(0)
  })

  await test.step('the used invite link says so and leads to sign-in', async () => {
    const { pathname, hash } = new URL(inviteUrl)
    const stranger = await newBrowserPage(browser, sealpost.origin)
    await stranger.goto(pathname + hash)
    await expect(
      stranger.getByRole('heading', { name: 'Invite expired or already used' }),
    ).toBeVisible()
    await stranger.getByRole('link', { name: 'Go to sign-in' }).click()
    await expect(stranger.getByRole('button', { name: 'Sign in' })).toBeVisible()
    await stranger.context().close()
  })

  await test.step('both sign out and sign in again; keys survive a reload', async () => {
    await signOut(page)
    await signIn(page, admin)
    await signOut(memberPage)
    await signIn(memberPage, member)
    await memberPage.reload()
    await expectSignedIn(memberPage)
    await memberPage.getByRole('button', { name: 'Messages' }).click()
    await expect(memberPage.getByRole('heading', { name: 'Messages', level: 1 })).toBeVisible()
    await expect(memberPage.getByText(SENDING_OFF)).toHaveCount(0)
  })

  await test.step('the administrator turns "can send messages" off for the member', async () => {
    await page.goto('/admin/users')
    const row = page.getByRole('row', { name: new RegExp(member.displayName) })
    await expect(row).toContainText('Active')
    const canSend = page.getByRole('switch', { name: `Can send messages for ${member.username}` })
    await expect(canSend).toBeChecked()
    const saved = page.waitForResponse(
      (response) =>
        response.request().method() === 'PATCH' && response.url().includes('/api/admin/users/'),
    )
    // The switch is a visually hidden input inside its label: operate it by keyboard.
    await canSend.focus()
    await page.keyboard.press('Space')
    expect((await saved).ok()).toBe(true)
    await page.reload()
    await expect(
      page.getByRole('switch', { name: `Can send messages for ${member.username}` }),
    ).not.toBeChecked()
  })

  await test.step('the member sees that sending is turned off', async () => {
    await memberPage.reload()
    await expect(memberPage.getByRole('heading', { name: 'Messages', level: 1 })).toBeVisible()
    await expect(memberPage.getByText(SENDING_OFF)).toBeVisible()
  })

  await memberPage.context().close()
  // The last screen, as the user leaves it: no accessibility violations (axe).
  await expectNoAxeViolations(page)
})
