import { expect, test } from './fixtures.js'
import {
  admin,
  expectAccessible,
  expectSignedIn,
  fingerprint,
  newBrowserPage,
  openProfile,
  setUpAdministrator,
  signIn,
  signOut,
} from './journey.js'

// One journey (STYLE.md rule 16): an administrator with a vault entry changes their password
// in the profile; their other browser is signed out, the old password stops working, the new
// one unlocks the same keys (same fingerprint) and the entry is still readable.

const NEW_PASSWORD = 'copper lantern willow seventeen'
const SECRET_NOTE = 'the router password is on the back'

test('a user changes their password and keeps their keys and vault', async ({
  browser,
  page,
  sealpost,
}) => {
  test.setTimeout(240_000)
  await setUpAdministrator(page, admin)

  await test.step('a secure note goes into the vault', async () => {
    await page.getByRole('button', { name: 'New entry' }).first().click()
    const dialog = page.getByRole('dialog', { name: /^New entry/ })
    await dialog.getByLabel('Name', { exact: true }).fill('router')
    await dialog.getByLabel('Notes').fill(SECRET_NOTE)
    await dialog.getByRole('button', { name: 'Create' }).click()
    await expect(dialog).toHaveCount(0)
  })
  const before = await fingerprint(page)

  const otherPage = await newBrowserPage(browser, sealpost.origin)
  await otherPage.goto('/')
  await signIn(otherPage, admin)

  await test.step('new-message emails turn off in the profile and stay off elsewhere', async () => {
    const name = 'Email me when a secure message arrives'
    const profile = await openProfile(page)
    const notify = profile.getByRole('switch', { name })
    await expect(notify).toBeChecked()
    // The switch is a visually hidden input inside its label: operate it by keyboard.
    await notify.focus()
    await page.keyboard.press('Space')
    await expect(notify).not.toBeChecked()
    await expectAccessible(page)
    await page.keyboard.press('Escape')
    // The other browser asks the server when its profile opens: the choice was saved there.
    const elsewhere = await openProfile(otherPage)
    await expect(elsewhere.getByRole('switch', { name })).not.toBeChecked()
    await otherPage.keyboard.press('Escape')
  })

  await test.step('a wrong current password changes nothing', async () => {
    const profile = await openProfile(page)
    await profile.getByRole('button', { name: 'Change password…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Change password' })
    await dialog.getByLabel('Current password').fill('not my password')
    await dialog.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD)
    await dialog.getByLabel('Password again').fill(NEW_PASSWORD)
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await expect(dialog.getByRole('alert')).toContainText('Wrong username or password.')
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toHaveCount(0)
    await page.keyboard.press('Escape')
  })

  await test.step('the password changes; the other browser is signed out', async () => {
    const profile = await openProfile(page)
    await profile.getByRole('button', { name: 'Change password…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Change password' })
    await dialog.getByLabel('Current password').fill(admin.password)
    await dialog.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD)
    await dialog.getByLabel('Password again').fill(NEW_PASSWORD)
    await dialog.getByRole('button', { name: 'Change password' }).click()
    await expect(page.getByText('Password changed', { exact: true })).toBeVisible({
      timeout: 30_000,
    })
    await expect(dialog).toHaveCount(0)
    await page.keyboard.press('Escape')
    await otherPage.reload()
    await expect(otherPage.getByRole('heading', { name: 'Sign in to Sealpost' })).toBeVisible()
  })

  await test.step('the old password fails, the new one unlocks the same keys', async () => {
    await signOut(page)
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByText('Wrong username or password.')).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expectSignedIn(page)
    expect(await fingerprint(page)).toBe(before)
    await page
      .getByRole('row', { name: /router/ })
      .first()
      .click()
    await expect(page.getByText(SECRET_NOTE)).toBeVisible()
  })

  await otherPage.context().close()
  // The last screen, as the user leaves it: the vault with the note open.
  await expectAccessible(page)
})
