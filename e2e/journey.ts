import type { Browser, Page } from '@playwright/test'
import type { RunOptions } from 'axe-core'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { expect, test } from './fixtures.js'

/*
 * Steps every journey takes on the way to what it tests: first-run setup, invites, signing
 * in and out. Each spec still tells its own story (STYLE.md rule 16); these are its verbs.
 */

export type Person = { username: string; displayName: string; email: string; password: string }

export const admin: Person = {
  username: 'ada',
  displayName: 'Ada Admin',
  email: 'ada@example.com',
  password: 'orbit lantern cobalt meadow',
}

export const member: Person = {
  username: 'max',
  displayName: 'Max Member',
  email: 'max@example.com',
  password: 'violet harbour quartz sparrow',
}

export async function expectSignedIn(page: Page) {
  // Key creation and unwrapping run OPAQUE and WebCrypto in the page; allow them time.
  await expect(page.getByRole('heading', { name: 'My vault', level: 1 })).toBeVisible({
    timeout: 30_000,
  })
}

/** First-run setup: the first account, an administrator. */
export async function setUpAdministrator(page: Page, person: Person = admin) {
  await page.goto('/')
  await expect(page.getByRole('heading', { name: 'Create the administrator' })).toBeVisible()
  await page.getByLabel('Username').fill(person.username)
  await page.getByLabel('Display name').fill(person.displayName)
  await page.getByLabel('Email').fill(person.email)
  await page.getByLabel('Password', { exact: true }).fill(person.password)
  await page.getByLabel('Password again').fill(person.password)
  await page.getByRole('button', { name: 'Create administrator' }).click()
  await skipRecoveryCode(page)
  await expectSignedIn(page)
}

/** Right after a password is chosen Sealpost offers a recovery code; most journeys skip it. */
export async function skipRecoveryCode(page: Page) {
  // Key creation runs OPAQUE and WebCrypto in the page; allow it time.
  await expect(page.getByRole('heading', { name: 'Create a recovery code' })).toBeVisible({
    timeout: 30_000,
  })
  await page.getByRole('button', { name: 'Skip for now' }).click()
}

/** An administrator invites someone; answers the one-time invite link. */
export async function invite(page: Page, person: Person): Promise<string> {
  await page.goto('/admin/users')
  await page.getByRole('button', { name: 'Invite user' }).click()
  const dialog = page.getByRole('dialog', { name: 'Invite a user' })
  await dialog.getByLabel('Username').fill(person.username)
  await dialog.getByLabel('Email').fill(person.email)
  await dialog.getByLabel('Display name (optional)').fill(person.displayName)
  await dialog.getByRole('button', { name: 'Create invite link' }).click()
  const link = dialog.getByRole('textbox', { name: 'Invite link' })
  await expect(link).toHaveValue(/\/invite#[A-Za-z0-9_-]{43}$/)
  const url = await link.inputValue()
  await dialog.getByRole('button', { name: 'Done' }).click()
  return url
}

/** The invitee opens their link (same origin as the page's base URL) and chooses a password. */
export async function acceptInvite(page: Page, url: string, person: Person) {
  const { pathname, hash } = new URL(url)
  await page.goto(pathname + hash)
  await choosePassword(page, person)
}

/** On the open invite page: the password, twice, and Accept. */
export async function choosePassword(page: Page, person: Person) {
  await page.getByLabel('Password', { exact: true }).fill(person.password)
  await page.getByLabel('Password again').fill(person.password)
  await page.getByRole('button', { name: 'Accept invite' }).click()
  await skipRecoveryCode(page)
  await expectSignedIn(page)
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: /^Account menu for / }).click()
  await page.getByRole('menuitem', { name: 'Sign out' }).click()
  await expect(page.getByRole('heading', { name: 'Sign in to Sealpost' })).toBeVisible()
}

export async function signIn(page: Page, person: Person) {
  await page.getByLabel('Username').fill(person.username)
  await page.getByLabel('Password').fill(person.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expectSignedIn(page)
}

/** A second browser (its own cookies and storage) on the journey's server. */
export async function newBrowserPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL })
  return context.newPage()
}

/**
 * The journey's test with a second person's browser, closed before the server stops (open
 * event streams keep it busy).
 */
export const testWithMember = test.extend<{ memberPage: Page }>({
  memberPage: async ({ browser, sealpost }, use) => {
    const page = await newBrowserPage(browser, sealpost.origin)
    await use(page)
    await page.context().close()
  },
})

export const messagesButton = (page: Page) => page.getByRole('button', { name: /^Messages/ })

/** The profile dialog, opened from the account menu. */
export async function openProfile(page: Page) {
  await page.getByRole('button', { name: /^Account menu for / }).click()
  await page.getByRole('menuitem', { name: 'Profile' }).click()
  return page.getByRole('dialog', { name: 'Profile' })
}

/** The signed-in user's key fingerprint as the profile shows it. */
export async function fingerprint(page: Page): Promise<string> {
  const profile = await openProfile(page)
  const code = profile.locator('code')
  await expect(code).toHaveText(/^([0-9a-f]{4}){16}$/)
  const text = await code.innerText()
  await profile.getByRole('button', { name: 'Close' }).click()
  return text
}

/** The two sizes every screen must work at: a laptop's window and a small phone's. */
export const LAPTOP = { width: 1280, height: 800 }
export const PHONE = { width: 360, height: 740 }

/**
 * axe-core's WCAG 2.x A/AA rules and best practices on what the page shows now; a failure
 * lists each rule with the elements it found, so the fix can start from the message. `only`
 * narrows the run to those rules. The low-level call: journeys check a screen with
 * `expectAccessible`.
 */
export async function expectNoAxeViolations(
  page: Page,
  only?: readonly string[],
  where = 'the current theme and size',
) {
  // Violations alone: collecting every passing node for a report nobody reads is most of a
  // run's time on a large page.
  const options: RunOptions = only
    ? { resultTypes: ['violations'], runOnly: { type: 'rule', values: [...only] } }
    : {
        resultTypes: ['violations'],
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
        },
        // Experimental in axe, so off unless asked: a visible label must be part of the name.
        rules: { 'label-content-name-mismatch': { enabled: true } },
      }
  await injectAxe(page)
  // axe.run() in the page itself, as @axe-core/playwright's legacy mode does: Sealpost has no
  // frames, so nothing is left unchecked. Each rule, each element it found, and why (for
  // contrast: the colours and the ratio), put together in the page so only text comes back.
  const found = await page.evaluate(async (options) => {
    const { violations } = await window.axe.run(document, options)
    const detail = (summary = '') => summary.replace(/^/gm, '    ')
    return violations.map(
      (v) =>
        `${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(' ')}\n${detail(n.failureSummary)}`).join('\n')}`,
    )
  }, options)
  expect(found, `axe-core violations in ${where}`).toEqual([])
}

declare global {
  interface Window {
    axe: typeof import('axe-core')
  }
}

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
)

/**
 * axe-core, once per document: its 570 KB script is parsed again on every evaluation, and
 * AxeBuilder evaluated it twice per run, which was most of a journey's accessibility time.
 */
async function injectAxe(page: Page) {
  if (await page.evaluate(() => typeof window.axe === 'object')) return
  await page.evaluate(axeSource)
  await page.evaluate(() => window.axe.configure({ allowedOrigins: ['<same_origin>'] }))
}

/** The rules whose outcome depends on colours: all that can change with the theme. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'] as const

/**
 * The check of "this screen" (issue 16: no axe-core violations on any screen, in both themes,
 * at both sizes). At the page's size and then at the other one (a phone's if the window is
 * wider, else a laptop's): every rule in the light theme, then in the dark theme only the rules
 * that depend on colour. A theme changes colours, never the page's elements, so a second full
 * run would only repeat the first; a size can change the elements (a phone shows the list or
 * the open item, not both), so each size gets the full run. Afterwards the page is back at its
 * size and media, and the journey goes on as before.
 */
export async function expectAccessible(page: Page) {
  const size = page.viewportSize()
  if (!size) throw new Error('the page has no viewport size')
  const other = size.width > PHONE.width ? PHONE : LAPTOP
  const sizes = [size, other].map(({ width, height }) => `${width}×${height}`).join(' and ')
  await test.step(
    `axe-core: light and dark themes at ${sizes}`,
    async () => {
      try {
        for (const at of [size, other]) {
          if (at === other) await resize(page, other)
          for (const scheme of ['light', 'dark'] as const) {
            // Reduced motion: colours change at once, so axe never measures one mid-transition.
            await page.emulateMedia({ colorScheme: scheme, reducedMotion: 'reduce' })
            await transitionsDone(page)
            await expectNoAxeViolations(
              page,
              scheme === 'light' ? undefined : COLOUR_RULES,
              `the ${scheme} theme at ${at.width}×${at.height}`,
            )
          }
        }
      } finally {
        await resize(page, size)
        await page.emulateMedia({ colorScheme: null, reducedMotion: null })
      }
    },
    { box: true },
  )
}

/**
 * The page fits its window's width: nothing makes the whole page scroll sideways (a wide table
 * scrolls inside its own box). A failure names the outermost elements that stick out.
 */
export async function expectNoSideScroll(page: Page) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const sticksOut = (element: Element) => element.getBoundingClientRect().right > width + 1
    /**
     * Inside a box that clips or scrolls and itself fits, the page does not grow; unless the
     * element is positioned absolutely from outside that box (no positioned box between them),
     * which the box does not clip: a visually hidden label in a wide table's last column.
     */
    const contained = (element: Element) => {
      const outOfFlow = ['absolute', 'fixed'].includes(getComputedStyle(element).position)
      let anchored = !outOfFlow
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        const style = getComputedStyle(box)
        anchored ||= style.position !== 'static'
        // An svg clips its own drawing, not the page: only HTML boxes count.
        if (style.overflowX !== 'visible' && !(box instanceof SVGElement)) {
          return anchored && !sticksOut(box)
        }
      }
      return false
    }
    const out: string[] = []
    for (const element of Array.from(document.body.querySelectorAll('*'))) {
      if (element.getBoundingClientRect().width === 0 || !sticksOut(element)) continue
      if (contained(element)) continue
      // The outermost ones only: a child of an element reported already adds nothing.
      const parent = element.parentElement
      if (parent && parent !== document.body && sticksOut(parent) && !contained(parent)) continue
      const name = [element.tagName.toLowerCase(), ...Array.from(element.classList)].join('.')
      out.push(`${name}: ${Math.round(element.getBoundingClientRect().right)} px`)
    }
    return { page: document.documentElement.scrollWidth - width, out }
  })
  expect(overflow, `the page is wider than its window`).toEqual({ page: 0, out: [] })
}

/**
 * Every CSS transition the last change started has ended. Reduced motion makes them last
 * 0.01 ms, yet until the next frame a colour is still the old theme's (reading the style first
 * makes the browser start them, so none is missed).
 */
async function transitionsDone(page: Page) {
  await page.waitForFunction(() => {
    void getComputedStyle(document.body).color
    return document.getAnimations().every((animation) => !(animation instanceof CSSTransition))
  })
}

/** A new window size, once the page itself sees it (its layout follows from CSS alone). */
async function resize(page: Page, size: { width: number; height: number }) {
  await page.setViewportSize(size)
  await expect
    .poll(() => page.evaluate(() => [window.innerWidth, window.innerHeight]))
    .toEqual([size.width, size.height])
}
