import { expect, test } from './fixtures.js'
import { admin, expectAccessible, expectSignedIn, setUpAdministrator, signOut } from './journey.js'

// One journey (STYLE.md rule 16): a user adds a security key (Chromium's virtual WebAuthn
// authenticator over CDP) in the profile and signs in with password and key.

// WebAuthn needs a domain for the relying party: the browser reaches the server as localhost.
test.use({ sealpostHostname: 'localhost' })

test('a user adds a security key and signs in with it', async ({ page }) => {
  test.setTimeout(240_000)
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'usb',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  })
  await setUpAdministrator(page, admin)

  await test.step('the profile adds the key', async () => {
    await page.getByRole('button', { name: /^Account menu for / }).click()
    await page.getByRole('menuitem', { name: 'Profile' }).click()
    const profile = page.getByRole('dialog', { name: 'Profile' })
    await profile.getByRole('button', { name: 'Add security key or passkey…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add a security key or passkey' })
    await dialog.getByLabel('Current password').fill(admin.password)
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Continue' }).click()
    await dialog.getByLabel('Name').fill('Desk key')
    await dialog.getByRole('button', { name: 'Add key' }).click()
    await expect(
      dialog.getByRole('list', { name: 'Backup codes' }).getByRole('listitem'),
    ).toHaveCount(10, { timeout: 30_000 })
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(profile.getByText(/^On: Desk key\./)).toBeVisible()
    await expectAccessible(page)
    await page.keyboard.press('Escape')
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
  })

  await test.step('signing in asks for the key after the password', async () => {
    await signOut(page)
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible({
      timeout: 30_000,
    })
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Use security key or passkey' }).click()
    await expectSignedIn(page)
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials[0]?.signCount).toBeGreaterThan(0)
  })
  // The last screen, as the user leaves it: the vault, signed in with the key.
  await expectAccessible(page)
})
