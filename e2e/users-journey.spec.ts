import type { Page } from '@playwright/test'
import { expect, test } from './fixtures.js'
import {
  admin,
  choosePassword,
  expectAccessible,
  expectNoAxeViolations,
  expectSignedIn,
  LAPTOP,
  member,
  newBrowserPage,
  PHONE,
  setUpAdministrator,
  signIn,
  signOut,
} from './journey.js'

// One journey (STYLE.md rule 16): first-run setup → invite → accept → sign out and in →
// an administrator turns a permission off and the member sees it.

const SENDING_OFF = 'Sending messages is turned off for your account by an administrator.'

/**
 * Stops the page's animations (Chrome's DevTools protocol) so that a dialog's entrance can be
 * held a quarter of the way through and checked there; `release` lets everything finish.
 */
async function holdAnimations(page: Page) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Animation.enable')
  await cdp.send('Animation.setPlaybackRate', { playbackRate: 0 })
  return {
    atQuarter: () =>
      page.evaluate(() => {
        const animations = document.getAnimations()
        for (const animation of animations) {
          animation.pause()
          const duration = Number(animation.effect?.getComputedTiming().duration ?? 0)
          animation.currentTime = duration / 4
        }
        return animations.length
      }),
    release: async () => {
      await cdp.send('Animation.setPlaybackRate', { playbackRate: 1 })
      await page.evaluate(() => {
        for (const animation of document.getAnimations()) animation.finish()
      })
      await cdp.detach()
    },
  }
}

/** Each row's Actions button lies inside the window, and no column of the table is cut off. */
async function expectUsersTableFits(page: Page) {
  const viewport = page.viewportSize()
  if (!viewport) throw new Error('the page has no viewport size')
  const actions = page.getByRole('button', { name: /^Actions for / })
  await expect(actions).toHaveCount(2)
  for (const button of await actions.all()) {
    const box = await button.boundingBox()
    expect(box, 'the Actions button has a box').not.toBeNull()
    if (!box) continue
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(viewport.width)
  }
  const table = page.getByRole('table', { name: 'Users' })
  const overflow = await table.evaluate((element) => {
    const container = element.parentElement ?? element
    const headers = Array.from(element.querySelectorAll('th'))
      .filter((th) => th.getClientRects().length > 0 && th.offsetWidth > 1)
      .filter((th) => th.scrollWidth > th.clientWidth)
      .map((th) => th.textContent)
    return {
      table: element.getBoundingClientRect().width - container.clientWidth,
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      clippedHeaders: headers,
    }
  })
  expect(overflow.clippedHeaders, 'header cells cut off').toEqual([])
  expect(overflow.table, 'table wider than its card').toBeLessThanOrEqual(0)
  expect(overflow.page, 'page wider than the window').toBeLessThanOrEqual(0)
}

test('an administrator sets up Sealpost, invites a member, and turns their messages off', async ({
  browser,
  page,
  sealpost,
}) => {
  // Eight screens checked with axe (two sizes, two themes each) on top of two key creations.
  test.setTimeout(300_000)

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
    const dialog = page.getByRole('dialog', { name: 'Invite a user' })
    // Legible from the opening's first frames on, not only once it has settled (axe caught
    // the primary button at 1.5:1 while the dialog faded in).
    const animations = await holdAnimations(page)
    await page.getByRole('button', { name: 'Invite user' }).click()
    await expect(dialog).toBeVisible()
    expect(await animations.atQuarter(), 'the dialog animates its entrance').toBeGreaterThan(0)
    await expectNoAxeViolations(page, ['color-contrast'], 'the invite dialog a quarter in')
    await animations.release()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toHaveCount(0)
    // Empty, as every administrator first sees it.
    await page.getByRole('button', { name: 'Invite user' }).click()
    await expect(dialog.getByLabel('Username')).toBeFocused()
    await expectAccessible(page)
    await dialog.getByLabel('Username').fill(member.username)
    await dialog.getByLabel('Email').fill(member.email)
    await dialog.getByLabel('Display name (optional)').fill(member.displayName)
    await dialog.getByRole('button', { name: 'Create invite link' }).click()
    const link = dialog.getByRole('textbox', { name: 'Invite link' })
    await expect(link).toHaveValue(/\/invite#[A-Za-z0-9_-]{43}$/)
    inviteUrl = await link.inputValue()
    await expect(dialog.getByText('valid for 7 days')).toBeVisible()
    await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible()
    await expectAccessible(page)
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
    await expectAccessible(memberPage)
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
    await expectAccessible(stranger)
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

  await test.step('the users table fits a laptop and a phone, Actions included', async () => {
    await page.goto('/admin/users')
    await expect(page.getByRole('row', { name: new RegExp(member.displayName) })).toContainText(
      'Active',
    )
    await expectAccessible(page)
    for (const size of [PHONE, LAPTOP]) {
      await page.setViewportSize(size)
      await expectUsersTableFits(page)
    }
  })

  const patchUser = '**/api/admin/users/*'
  await test.step('a permission change the server refuses says so and leaves the switch', async () => {
    await page.route(patchUser, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 403,
            json: { error: { code: 'forbidden', message: 'Not allowed' } },
          })
        : route.fallback(),
    )
    const canSend = page.getByRole('switch', { name: `Can send messages for ${member.username}` })
    await expect(canSend).toBeChecked()
    await canSend.focus()
    await page.keyboard.press('Space')
    const notifications = page.getByRole('region', { name: 'Notifications' })
    await expect(notifications.getByText(`Could not update ${member.username}`)).toBeVisible()
    await expect(notifications.getByText('You are not allowed to do that.')).toBeVisible()
    await expect(canSend).toBeChecked()
    await expectAccessible(page)
    await notifications.getByRole('button', { name: 'Dismiss' }).click()
    await expect(notifications.getByText(`Could not update ${member.username}`)).toHaveCount(0)
    await page.unroute(patchUser)
  })

  await test.step('the administrator turns "can send messages" off for the member', async () => {
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
    await expect(
      page
        .getByRole('region', { name: 'Notifications' })
        .getByText(`${member.username} can no longer send messages`, { exact: true }),
    ).toBeVisible()
    await expectAccessible(page)
    await page.reload()
    await expect(
      page.getByRole('switch', { name: `Can send messages for ${member.username}` }),
    ).not.toBeChecked()
  })

  await test.step('the member sees that sending is turned off', async () => {
    await memberPage.reload()
    await expect(memberPage.getByRole('heading', { name: 'Messages', level: 1 })).toBeVisible()
    await expect(memberPage.getByText(SENDING_OFF)).toBeVisible()
    await expectAccessible(memberPage)
  })

  await memberPage.context().close()
})
