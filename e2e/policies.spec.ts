import type { Page } from '@playwright/test'
import { expect } from './fixtures.js'
import {
  type Person,
  acceptInvite,
  admin,
  expectAccessible,
  invite,
  member,
  newBrowserPage,
  setUpAdministrator,
  testWithMember,
} from './journey.js'

// One journey (STYLE.md rule 16): an administrator sets an organisation value on Policies,
// builds a group "Contractors" with a policy of its own (no shareable links, a 7-day default
// expiry) and the contractor's compose follows it; then a message to the group "Ops" reaches
// each of its members, and their reading pane says "To: Ops (2)".

const olga: Person = {
  username: 'olga',
  displayName: 'Olga Ops',
  email: 'olga@example.com',
  password: 'saffron pylon tundra marble',
}

const test = testWithMember.extend<{ olgaPage: Page }>({
  olgaPage: async ({ browser, sealpost }, use) => {
    const page = await newBrowserPage(browser, sealpost.origin)
    await use(page)
    await page.context().close()
  },
})

const notifications = (page: Page) => page.getByRole('region', { name: 'Notifications' })
/** Live changes reach the other browser through its event stream; allow a busy machine time. */
const LIVE = { timeout: 15_000 }
const LINKS_OFF = 'Creating shareable links is turned off for your account by an administrator.'

async function openCompose(page: Page) {
  await page.getByRole('button', { name: 'New message' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await expect(dialog.getByRole('tab', { name: 'Send in-app' })).toBeVisible()
  return dialog
}

async function closeCompose(page: Page) {
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog', { name: 'New message' })).toHaveCount(0)
}

/** A value typed into a policy's field (a group's or the organisation's) and saved. */
async function setTextPolicy(page: Page, name: string, value: string) {
  const form = page.getByRole('form', { name })
  await form.getByRole('textbox', { name }).fill(value)
  await form.getByRole('button', { name: `Save ${name}` }).click()
}

/** On Groups: a new group with these people. */
async function createGroup(page: Page, name: string, people: Person[]) {
  await page.getByRole('button', { name: 'New group' }).click()
  const dialog = page.getByRole('dialog', { name: 'New group' })
  await dialog.getByLabel('Name').fill(name)
  await dialog.getByRole('button', { name: 'Create group' }).click()
  await expect(dialog).toHaveCount(0)
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible()
  await page.getByRole('button', { name: 'Add members' }).click()
  const add = page.getByRole('dialog', { name: `Add members to ${name}` })
  for (const person of people) {
    // The checkbox is a visually hidden input inside its label: operate it by keyboard.
    await add.getByRole('checkbox', { name: `${person.displayName} (${person.username})` }).focus()
    await page.keyboard.press('Space')
  }
  await add.getByRole('button', { name: /^Add \d+ members?$/ }).click()
  await expect(add).toHaveCount(0)
  await expect(page.getByRole('option', { name: new RegExp(`^${name}`) })).toContainText(
    `${people.length} active member`,
  )
}

test('an administrator sets policies for the organisation and a group, and sends to a group', async ({
  page,
  memberPage,
  olgaPage,
}) => {
  // Three key creations, group sends and several axe runs on a two-core machine.
  test.setTimeout(300_000)

  await test.step('the administrator sets up Sealpost; the contractor and Olga join', async () => {
    await setUpAdministrator(page)
    await acceptInvite(memberPage, await invite(page, member), member)
    await acceptInvite(olgaPage, await invite(page, olga), olga)
  })

  await test.step('Policies sits beside Groups and lists every key with its default', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect(nav.getByRole('link')).toContainText(['Users', 'Groups', 'Policies', 'Audit log'])
    await nav.getByRole('link', { name: 'Policies' }).click()
    await expect(page.getByRole('heading', { name: 'Policies', level: 1 })).toBeVisible()
    const expiry = page.getByRole('form', { name: 'Default expiry' })
    await expect(expiry).toContainText('The expiry preset for new messages, links and replies')
    await expect(expiry).toContainText('The default: 7d.')
    await expect(expiry).toContainText('Not set (the default)')
    await expect(page.getByRole('switch', { name: 'Create shareable links' })).toBeChecked()
    await expectAccessible(page)
  })

  await test.step('the organisation’s messages never expire unless chosen', async () => {
    await setTextPolicy(page, 'Default expiry', 'soon')
    await expect(
      page.getByText('Not a value this policy takes; see the description.'),
    ).toBeVisible()
    await setTextPolicy(page, 'Default expiry', 'never')
    await expect(
      notifications(page).getByText('Default expiry set for the organisation', { exact: true }),
    ).toBeVisible()
    await expect(page.getByRole('form', { name: 'Default expiry' })).toContainText(
      'Set for the organisation',
    )
    // The contractor's compose follows the organisation while no group says otherwise.
    await memberPage.goto('/messages/links')
    const dialog = await openCompose(memberPage)
    await expect(dialog.getByRole('button', { name: /Expires after/ })).toContainText('Never')
    await expect(dialog.getByRole('tab', { name: 'Create shareable link' })).toHaveCount(1)
    await closeCompose(memberPage)
  })

  await test.step('the administrator groups the contractor with a policy of its own', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Groups' })
      .click()
    await createGroup(page, 'Contractors', [member])
    const links = page.getByRole('switch', { name: 'Create shareable links' })
    await links.focus()
    await page.keyboard.press('Space')
    await expect(
      notifications(page).getByText('Create shareable links set for Contractors', { exact: true }),
    ).toBeVisible()
    await setTextPolicy(page, 'Default expiry', '7d')
    await expect(
      notifications(page).getByText('Default expiry set for Contractors', { exact: true }),
    ).toBeVisible()
    await expect(page.getByRole('form', { name: 'Default expiry' })).toContainText(
      'Set for this group',
    )
  })

  await test.step('the contractor’s compose drops links and presets 7 days', async () => {
    await expect(memberPage.getByText(LINKS_OFF)).toBeVisible(LIVE)
    const dialog = await openCompose(memberPage)
    await expect(dialog.getByRole('tab', { name: 'Create shareable link' })).toHaveCount(0)
    await expect(dialog.getByRole('tab', { name: 'Send by email' })).toHaveCount(0)
    await expect(dialog).toContainText(
      'Shareable links and send by email are turned off for your account by an administrator.',
    )
    await expect(dialog.getByRole('button', { name: /Expires after/ })).toContainText('7 days')
    await expectAccessible(memberPage)
    await closeCompose(memberPage)
  })

  await test.step('a group with no one else in it cannot be sent to', async () => {
    await createGroup(page, 'Ops', [admin])
    await page.goto('/messages')
    const dialog = await openCompose(page)
    const to = dialog.getByRole('combobox', { name: 'To' })
    await to.fill('ops')
    await page.getByRole('option', { name: 'Ops · 1 person' }).click()
    await dialog.getByLabel('Subject').fill('Rota')
    await dialog.getByLabel('Message').fill('The on-call rota for December.')
    await dialog.getByRole('button', { name: 'Send' }).click()
    await expect(
      dialog.getByText('Ops has no one else to send to.', { exact: false }),
    ).toBeVisible()
    await expect(dialog).toBeVisible()
    await closeCompose(page)
  })

  await test.step('a message to Ops reaches each member, and says so', async () => {
    await page.goto('/admin/groups')
    await page.getByRole('option', { name: /^Ops/ }).click()
    await page.getByRole('button', { name: 'Add members' }).click()
    const add = page.getByRole('dialog', { name: 'Add members to Ops' })
    for (const person of [member, olga]) {
      await add
        .getByRole('checkbox', { name: `${person.displayName} (${person.username})` })
        .focus()
      await page.keyboard.press('Space')
    }
    await add.getByRole('button', { name: 'Add 2 members' }).click()
    await expect(add).toHaveCount(0)

    await page.goto('/messages')
    const dialog = await openCompose(page)
    const to = dialog.getByRole('combobox', { name: 'To' })
    await to.fill('ops')
    // Three members; the sender is one of them, so it reaches the other two.
    await page.getByRole('option', { name: 'Ops · 3 people' }).click()
    await expect(dialog.getByRole('row', { name: 'Ops · 3 people' })).toBeVisible()
    await expect(to).toBeFocused()
    await expect(to).toHaveValue('')
    await expect(page.getByRole('listbox')).toHaveCount(0)
    await dialog.getByLabel('Subject').fill('Rota')
    await dialog.getByLabel('Message').fill('The on-call rota for December.')
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Send' }).click()
    await expect(dialog).toBeHidden({ timeout: 20_000 })

    for (const reader of [memberPage, olgaPage]) {
      await reader.goto('/messages')
      await reader.getByRole('row', { name: /Rota/ }).click()
      const pane = reader.getByRole('article')
      await expect(pane.getByRole('heading', { name: 'Rota', level: 2 })).toBeVisible()
      await expect(pane.getByText('To: Ops (2)', { exact: true })).toBeVisible()
    }
    await expectAccessible(olgaPage)

    // The sender's Sent shows the same, in the list and the open message.
    await page.getByRole('tab', { name: 'Sent' }).click()
    const sent = page.getByRole('row', { name: /Rota/ })
    await expect(sent).toContainText('To: Ops (2)')
    await sent.click()
    await expect(page.getByRole('article').getByText('To: Ops (2)', { exact: true })).toBeVisible()
  })
})
