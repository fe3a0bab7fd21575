import { readFileSync } from 'node:fs'
import { expect, test } from './fixtures.js'
import { admin, expectAccessible, expectSignedIn, signIn, signOut } from './journey.js'

// One journey (STYLE.md rule 16): the administrator creates a recovery code at setup
// (downloads it), forgets the password, resets it with the code on the sign-in page, keeps
// the vault, and is asked for a new code because the old one is spent.

const NEW_PASSWORD = 'harbour violet pencil ninety'
const NOTE = 'the alarm code is 4711'
const CODE = /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/

test('a user resets a forgotten password with their recovery code and keeps their vault', async ({
  page,
}) => {
  test.setTimeout(240_000)
  let code = ''

  await test.step('setup offers a recovery code; it is shown once and downloadable', async () => {
    await page.goto('/')
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Display name').fill(admin.displayName)
    await page.getByLabel('Email').fill(admin.email)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByLabel('Password again').fill(admin.password)
    await page.getByRole('button', { name: 'Create administrator' }).click()
    await expect(page.getByRole('heading', { name: 'Create a recovery code' })).toBeVisible({
      timeout: 30_000,
    })
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Create recovery code' }).click()
    const shown = page.getByLabel('Recovery code', { exact: true })
    await expect(shown).toHaveText(/^[0-9A-Z]{32}$/)
    const download = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Download' }).click()
    const file = readFileSync(await (await download).path(), 'utf8')
    code = /Recovery code: (\S+)/.exec(file)?.[1] ?? ''
    expect(code).toMatch(CODE)
    expect(code.replaceAll('-', '')).toBe(await shown.innerText().then((t) => t.replace(/\s/g, '')))
    const done = page.getByRole('button', { name: 'Done' })
    await expect(done).toBeDisabled()
    await expectAccessible(page)
    await page.getByText('I have written down, printed or saved my recovery code').click()
    await done.click()
    await expectSignedIn(page)
  })

  await test.step('a note goes into the vault', async () => {
    await page.getByRole('button', { name: 'New entry' }).first().click()
    const dialog = page.getByRole('dialog', { name: /^New entry/ })
    await dialog.getByLabel('Name', { exact: true }).fill('alarm')
    await dialog.getByLabel('Notes').fill(NOTE)
    await dialog.getByRole('button', { name: 'Create' }).click()
    await expect(dialog).toHaveCount(0)
    await signOut(page)
  })

  await test.step('“Forgot password?” resets the password with the code', async () => {
    await page.getByRole('link', { name: 'Forgot password?' }).click()
    await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible()
    await expectAccessible(page)
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Recovery code', { exact: true }).fill(code.toLowerCase())
    await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD)
    await page.getByLabel('Password again').fill(NEW_PASSWORD)
    await page.getByRole('button', { name: 'Reset password' }).click()
    await expect(page.getByText('Your recovery code is used up')).toBeVisible({ timeout: 30_000 })
    await expectAccessible(page)
    await page.getByRole('button', { name: 'Skip for now' }).click()
    await expectSignedIn(page)
    await page.getByRole('row', { name: /alarm/ }).first().click()
    await expect(page.getByText(NOTE)).toBeVisible()
  })

  await test.step('the old password and the spent code no longer work', async () => {
    await signOut(page)
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Password', { exact: true }).fill(admin.password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect(page.getByText('Wrong username or password.')).toBeVisible()
    await page.goto('/recover')
    await page.getByLabel('Username').fill(admin.username)
    await page.getByLabel('Recovery code', { exact: true }).fill(code)
    await page.getByLabel('Password', { exact: true }).fill('a completely different one')
    await page.getByLabel('Password again').fill('a completely different one')
    await page.getByRole('button', { name: 'Reset password' }).click()
    await expect(page.getByRole('alert')).toContainText('Wrong username or password.')
    await expectAccessible(page)
    await page.goto('/')
    await signIn(page, { ...admin, password: NEW_PASSWORD })
  })
  // The last screen, as the user leaves it: the vault, signed in with the new password.
  await expectAccessible(page)
})
