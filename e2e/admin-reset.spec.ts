import { expect, test } from './fixtures.js'
import {
  acceptInvite,
  admin,
  expectAccessible,
  expectSignedIn,
  fingerprint,
  invite,
  member,
  newBrowserPage,
  openProfile,
  setUpAdministrator,
  signIn,
  signOut,
} from './journey.js'

// One journey (STYLE.md rule 16): an administrator turns account recovery on, a member is
// enrolled at sign-in, forgets the password, and the administrator's one-time reset link lets
// them choose a new one and keep their keys.

const NEW_PASSWORD = 'granite mosaic tulip eleven'

test('an administrator resets an enrolled member’s forgotten password', async ({
  browser,
  page,
  sealpost,
}) => {
  test.setTimeout(300_000)
  await setUpAdministrator(page, admin)

  await test.step('the administrator turns account recovery on', async () => {
    await page.goto('/admin/users')
    await page.getByRole('button', { name: 'Turn on account recovery' }).click()
    const confirm = page.getByRole('alertdialog', { name: 'Turn on account recovery?' })
    await expectAccessible(page)
    await confirm.getByRole('button', { name: 'Turn on account recovery' }).click()
    await expect(page.getByText(/^On: administrators can reset/)).toBeVisible({ timeout: 30_000 })
    await expectAccessible(page)
  })

  const inviteUrl = await invite(page, member)
  const memberPage = await newBrowserPage(browser, sealpost.origin)
  let memberFingerprint = ''
  let recoveryKeyFingerprint = ''
  await test.step('the member joins and is enrolled at their next sign-in', async () => {
    await acceptInvite(memberPage, inviteUrl, member)
    await signOut(memberPage)
    await signIn(memberPage, member)
    const profile = await openProfile(memberPage)
    await expect(
      memberPage.getByText('administrators can reset your password, and you keep your data'),
    ).toBeVisible()
    // The key the member's account key was sealed to, to compare with an administrator.
    const recoveryKey = profile.locator('samp')
    await expect(recoveryKey).toHaveText(/^([0-9a-f]{4}){16}$/)
    recoveryKeyFingerprint = (await recoveryKey.textContent()) ?? ''
    await expectAccessible(memberPage)
    await memberPage.keyboard.press('Escape')
    memberFingerprint = await fingerprint(memberPage)
    await signOut(memberPage)
  })

  let resetUrl = ''
  await test.step('the administrator creates a reset link', async () => {
    await page.reload()
    const profile = await openProfile(page)
    await expect(profile.locator('samp')).toHaveText(recoveryKeyFingerprint)
    await page.keyboard.press('Escape')
    const row = page.getByRole('row', { name: new RegExp(member.displayName) })
    await expect(row).toContainText('Recovery enrolled')
    await page.getByRole('button', { name: `Actions for ${member.username}` }).click()
    await page.getByRole('menuitem', { name: 'Reset password…' }).click()
    const dialog = page.getByRole('dialog', { name: `Reset link for ${member.username}` })
    const link = dialog.getByRole('textbox', { name: 'Reset link' })
    await expect(link).toHaveValue(/\/reset#[A-Za-z0-9_-]{43}$/, { timeout: 30_000 })
    resetUrl = await link.inputValue()
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Close' }).click()
  })

  await test.step('the member chooses a new password with the link and keeps their keys', async () => {
    const { pathname, hash } = new URL(resetUrl)
    await memberPage.goto(pathname + hash)
    await expect(memberPage.getByRole('heading', { name: 'Choose a new password' })).toBeVisible()
    await expectAccessible(memberPage)
    await memberPage.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD)
    await memberPage.getByLabel('Password again').fill(NEW_PASSWORD)
    await memberPage.getByRole('button', { name: 'Set new password' }).click()
    await expectSignedIn(memberPage)
    await signOut(memberPage)
    await memberPage.getByLabel('Username').fill(member.username)
    await memberPage.getByLabel('Password', { exact: true }).fill(member.password)
    await memberPage.getByRole('button', { name: 'Sign in' }).click()
    await expect(memberPage.getByText('Wrong username or password.')).toBeVisible()
    await expectAccessible(memberPage)
    await signIn(memberPage, { ...member, password: NEW_PASSWORD })
    expect(await fingerprint(memberPage)).toBe(memberFingerprint)
  })

  await test.step('the used link does not work again', async () => {
    const { pathname, hash } = new URL(resetUrl)
    const other = await newBrowserPage(browser, sealpost.origin)
    await other.goto(pathname + hash)
    await other.getByLabel('Password', { exact: true }).fill('another strong passphrase here')
    await other.getByLabel('Password again').fill('another strong passphrase here')
    await other.getByRole('button', { name: 'Set new password' }).click()
    await expect(
      other.getByText('It has expired, was used already, or is incomplete.'),
    ).toBeVisible()
    await expectAccessible(other)
    await other.context().close()
  })

  await memberPage.context().close()
  // The last screen, as the administrator leaves it.
  await expectAccessible(page)
})
