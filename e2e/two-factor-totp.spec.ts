import { createHmac } from 'node:crypto'
import { expect, test } from './fixtures.js'
import { admin, expectAccessible, expectSignedIn, setUpAdministrator, signOut } from './journey.js'

// One journey (STYLE.md rule 16): a user turns on an authenticator app in the profile, keeps
// the backup codes, and signs in with password and code; a wrong code is refused.

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s): the journey's authenticator app. */
function totp(secret: string, atMs: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const c of secret) bits += alphabet.indexOf(c).toString(2).padStart(5, '0')
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)))
  const counter = Buffer.alloc(8)
  counter.writeBigUInt64BE(BigInt(Math.floor(atMs / 30_000)))
  const mac = createHmac('sha1', key).update(counter).digest()
  const offset = (mac[19] ?? 0) & 0xf
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0')
}

test('a user sets up an authenticator app and signs in with a code', async ({ page }) => {
  test.setTimeout(240_000)
  await setUpAdministrator(page, admin)
  let secret = ''

  await test.step('the profile sets up the authenticator app', async () => {
    await page.getByRole('button', { name: /^Account menu for / }).click()
    await page.getByRole('menuitem', { name: 'Profile' }).click()
    const profile = page.getByRole('dialog', { name: 'Profile' })
    await expect(profile.getByText('Off: your password alone signs you in.')).toBeVisible()
    await profile.getByRole('button', { name: 'Set up authenticator app…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Set up an authenticator app' })
    await dialog.getByLabel('Current password').fill(admin.password)
    await dialog.getByRole('button', { name: 'Continue' }).click()
    const shown = dialog.getByLabel('Secret', { exact: true })
    await expect(shown).toHaveText(/^[A-Z2-7]{32}$/, { timeout: 30_000 })
    secret = await shown.innerText()
    await expect(
      dialog.getByRole('link', { name: 'Open in an authenticator app' }),
    ).toHaveAttribute(
      'href',
      new RegExp(`^otpauth://totp/Sealpost:${admin.username}\\?.*secret=${secret}`),
    )
    await dialog.getByLabel('Code from the app').fill('000000')
    await dialog.getByRole('button', { name: 'Turn on' }).click()
    await expect(dialog.getByRole('alert')).toBeVisible()
    // The secret, the link to an app, and the refused code.
    await expectAccessible(page)
    await dialog.getByLabel('Code from the app').fill(totp(secret, Date.now()))
    await dialog.getByRole('button', { name: 'Turn on' }).click()
    const codes = dialog.getByRole('list', { name: 'Backup codes' }).getByRole('listitem')
    await expect(codes).toHaveCount(10)
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Done' }).click()
    await expect(
      profile.getByText(/^On: authenticator app\. 10 backup codes left\.$/),
    ).toBeVisible()
    await expectAccessible(page)
    // Close, not Escape: the focus is still coming back from the closed setup dialog (its
    // button was replaced by "Turn off two-factor"), and a key pressed meanwhile goes nowhere.
    await profile.getByRole('button', { name: 'Close', exact: true }).click()
    await expect(profile).toBeHidden()
  })

  await test.step('signing in asks for the code after the password', async () => {
    await signOut(page)
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByRole('heading', { name: 'Two-factor sign-in' })).toBeVisible({
      timeout: 30_000,
    })
    await page.getByLabel('Code').fill('123456')
    await page.getByRole('button', { name: 'Verify' }).click()
    await expect(page.getByText('That code or security key was not accepted.')).toBeVisible()
    await expectAccessible(page)
    // The code of the next 30 s step: the one that turned TOTP on is spent.
    await page.getByLabel('Code').fill(totp(secret, Date.now() + 30_000))
    await page.getByRole('button', { name: 'Verify' }).click()
    await expectSignedIn(page)
  })
  // The last screen, as the user leaves it: the vault, signed in with the code.
  await expectAccessible(page)
})
