import type { Page } from '@playwright/test'
import { expect } from './fixtures.js'
import {
  acceptInvite,
  expectAccessible,
  invite,
  member,
  setUpAdministrator,
  testWithMember as test,
} from './journey.js'

// One journey (STYLE.md rule 16): an administrator makes a group "Contractors", adds the member,
// turns shareable links off for the group, and the member's open page follows at once; then the
// group is renamed and deleted, and the member may create links again. A shared vault granted
// to the group opens to the member at once, and after leaving and rejoining the group only when
// the administrator's page seals its key to them; once the group is gone, the administrator is
// prompted to re-key the vault, and does.

const LINKS_OFF = 'Creating shareable links is turned off for your account by an administrator.'
const DEPLOY_PASSWORD = 'deploy-Re-key-9vT!'
/** Live changes reach the other browser through its event stream; allow a busy machine time. */
const LIVE = { timeout: 15_000 }

const notifications = (page: Page) => page.getByRole('region', { name: 'Notifications' })

/** The member's Links tab, which offers "Create shareable link" while links are allowed. */
async function openLinks(page: Page) {
  await page.goto('/messages/links')
  await expect(page.getByRole('heading', { name: 'No links yet' })).toBeVisible()
}

/** Whether New message offers the Create shareable link tab (it closes again, unsent). */
async function expectComposeOffersLinks(page: Page, isOffered: boolean) {
  await page.getByRole('button', { name: 'New message' }).click()
  const dialog = page.getByRole('dialog', { name: 'New message' })
  await expect(dialog.getByRole('tab', { name: 'Send in-app' })).toBeVisible()
  await expect(dialog.getByRole('tab', { name: 'Create shareable link' })).toHaveCount(
    isOffered ? 1 : 0,
  )
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
}

test('an administrator groups contractors, turns their links off, then renames and deletes the group', async ({
  page,
  memberPage,
}) => {
  // Two key creations and six axe runs on a two-core machine.
  test.setTimeout(240_000)

  await test.step('the administrator sets up Sealpost and the member joins', async () => {
    await setUpAdministrator(page)
    const url = await invite(page, member)
    await acceptInvite(memberPage, url, member)
  })

  await test.step('the member may create links and may not open Groups', async () => {
    await memberPage.goto('/admin/groups')
    await expect(memberPage.getByRole('heading', { name: 'Not allowed', level: 1 })).toBeVisible()
    await openLinks(memberPage)
    await expect(memberPage.getByRole('button', { name: 'Create shareable link' })).toBeVisible()
    await expectComposeOffersLinks(memberPage, true)
  })

  await test.step('Groups sits under Administration and starts empty', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' })
    await expect(nav.getByRole('link')).toContainText(['Users', 'Groups', 'Audit log'])
    await nav.getByRole('link', { name: 'Groups' }).click()
    await expect(page.getByRole('heading', { name: 'Groups', level: 1 })).toBeVisible()
    await expect(page.getByRole('heading', { name: 'No groups yet' })).toBeVisible()
    await expect(page.getByText('send to a whole team at once')).toBeVisible()
  })

  await test.step('the administrator creates "Contractors"', async () => {
    await page.getByRole('button', { name: 'New group' }).click()
    const dialog = page.getByRole('dialog', { name: 'New group' })
    const name = dialog.getByLabel('Name')
    await expect(name).toBeFocused()
    await expectAccessible(page)
    // A colon would make `--to group:a:b` ambiguous: the form says so before the server does.
    await name.fill('Ops: EU')
    await dialog.getByRole('button', { name: 'Create group' }).click()
    await expect(dialog.getByText(/^Use up to 64 letters/)).toBeVisible()
    await name.fill('Contractors')
    await dialog.getByRole('button', { name: 'Create group' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(
      notifications(page).getByText('Group Contractors created', { exact: true }),
    ).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Contractors', level: 2 })).toBeVisible()
    await expect(page.getByRole('option', { name: /^Contractors/ })).toContainText(
      '0 active members',
    )
  })

  await test.step('a second group of the same name, whatever the case, is refused', async () => {
    await page.getByRole('button', { name: 'New group' }).click()
    const dialog = page.getByRole('dialog', { name: 'New group' })
    await dialog.getByLabel('Name').fill('contractors')
    await dialog.getByRole('button', { name: 'Create group' }).click()
    await expect(dialog.getByText('A group with this name exists')).toBeVisible()
    await expect(dialog.getByLabel('Name')).toBeFocused()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(dialog).toHaveCount(0)
  })

  await test.step('the administrator adds the member', async () => {
    await page.getByRole('button', { name: 'Add members' }).click()
    const dialog = page.getByRole('dialog', { name: 'Add members to Contractors' })
    const choice = dialog.getByRole('checkbox', {
      name: `${member.displayName} (${member.username})`,
    })
    await expect(choice).toBeVisible()
    await expectAccessible(page)
    // The checkbox is a visually hidden input inside its label: operate it by keyboard.
    await choice.focus()
    await page.keyboard.press('Space')
    await dialog.getByRole('button', { name: 'Add 1 member' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(
      notifications(page).getByText('1 member added to Contractors', { exact: true }),
    ).toBeVisible()
    const members = page.getByRole('table', { name: 'Members' })
    await expect(members.getByRole('row', { name: new RegExp(member.username) })).toContainText(
      'Active',
    )
    await expect(page.getByRole('option', { name: /^Contractors/ })).toContainText(
      '1 active member',
    )
  })

  await test.step('the administrator turns shareable links off for the group', async () => {
    const links = page.getByRole('switch', { name: 'Create shareable links' })
    // Not set for the group: it shows the organisation's value, on.
    await expect(links).toBeChecked()
    const row = page.getByRole('listitem').filter({ has: links })
    await expect(row).toContainText('Not set (follows the organisation)')
    await links.focus()
    await page.keyboard.press('Space')
    await expect(
      notifications(page).getByText('Create shareable links set for Contractors', { exact: true }),
    ).toBeVisible()
    await expect(links).not.toBeChecked()
    await expect(row).toContainText('Set for this group')
    await expect(row.getByRole('button', { name: 'Clear Create shareable links' })).toBeVisible()
    // The page as the administrator leaves it: list, open group, members and policy.
    await expectAccessible(page)
  })

  await test.step('the member’s open page no longer offers creating a link', async () => {
    await expect(memberPage.getByText(LINKS_OFF)).toBeVisible(LIVE)
    await expect(memberPage.getByRole('button', { name: 'Create shareable link' })).toHaveCount(0)
    await expectComposeOffersLinks(memberPage, false)
  })

  await test.step('a shared vault granted to the group opens to the member at once', async () => {
    await memberPage.goto('/')
    const memberVaults = memberPage.getByRole('treegrid', { name: 'Vaults' })
    await expect(memberVaults.getByRole('row', { name: 'My vault', exact: true })).toBeVisible()
    await page.goto('/')
    await page.getByRole('button', { name: 'New shared vault' }).click()
    const create = page.getByRole('dialog', { name: 'New shared vault' })
    await create.getByLabel('Vault name').fill('Team keys')
    await create.getByRole('button', { name: 'Create' }).click()
    await expect(page.getByRole('heading', { name: 'Team keys', level: 1 })).toBeVisible()
    await page.getByRole('button', { name: 'Members', exact: true }).click()
    const dialog = page.getByRole('dialog', { name: 'Members of “Team keys”' })
    const groups = dialog.getByRole('region', { name: 'Groups' })
    await expect(groups).toContainText('No group has this vault')
    await groups.getByRole('button', { name: /Group$/ }).click()
    await page.getByRole('option', { name: 'Contractors · 1 person' }).click()
    await groups.getByRole('button', { name: 'Grant to group' }).click()
    await expect(
      notifications(page).getByText('Contractors has the vault; its key was sealed to 1 member', {
        exact: true,
      }),
    ).toBeVisible()
    const grants = groups.getByRole('list', { name: 'Groups' })
    await expect(grants.getByRole('listitem')).toHaveText([/^Contractors1 member/])
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Close' }).click()
    // The member's open page lists it without a reload.
    await expect(
      memberVaults.getByRole('row', { name: 'Shared: Team keys', exact: true }),
    ).toBeVisible(LIVE)
  })

  await test.step('a newcomer to the group waits until an administrator opens the vault to them', async () => {
    await page.goto('/admin/groups')
    await page.getByRole('option', { name: /^Contractors/ }).click()
    await page.getByRole('button', { name: `Remove ${member.username} from Contractors` }).click()
    await expect(
      notifications(page).getByText(`${member.username} removed from Contractors`, {
        exact: true,
      }),
    ).toBeVisible()
    const memberVaults = memberPage.getByRole('treegrid', { name: 'Vaults' })
    await expect(
      memberVaults.getByRole('row', { name: 'Shared: Team keys', exact: true }),
    ).toHaveCount(0, LIVE)

    // Back in the group: the server cannot give the key, only a device that holds it.
    await page.getByRole('button', { name: 'Add members' }).click()
    const add = page.getByRole('dialog', { name: 'Add members to Contractors' })
    await add.getByRole('checkbox', { name: `${member.displayName} (${member.username})` }).focus()
    await page.keyboard.press('Space')
    await add.getByRole('button', { name: 'Add 1 member' }).click()
    await expect(add).toHaveCount(0)
    await memberPage.reload()
    await expect(
      memberPage.getByText(
        'A shared vault given to Contractors waits for an administrator to sign in and open it to you.',
      ),
    ).toBeVisible()

    // The administrator's vault page names who waits, and seals only when asked.
    await page.goto('/')
    const pending = page.getByRole('status').filter({ hasText: 'waits for the key' })
    await expect(pending.getByRole('listitem')).toHaveText([
      `${member.displayName} (${member.username}) — Team keys`,
    ])
    await expectAccessible(page)
    await pending.getByRole('button', { name: 'Open it to them' }).click()
    await expect(
      notifications(page).getByText('The vault key was sealed to 1 person', { exact: true }),
    ).toBeVisible()
    await expect(pending).toHaveCount(0)
    await expect(
      memberVaults.getByRole('row', { name: 'Shared: Team keys', exact: true }),
    ).toBeVisible(LIVE)

    // Back where the rest of the journey has both of them.
    await openLinks(memberPage)
    await page.goto('/admin/groups')
    await page.getByRole('option', { name: /^Contractors/ }).click()
    await expect(page.getByRole('heading', { name: 'Contractors', level: 2 })).toBeVisible()
  })

  await test.step('the administrator renames the group', async () => {
    await page.getByRole('button', { name: 'Rename' }).click()
    const dialog = page.getByRole('dialog', { name: 'Rename Contractors' })
    const name = dialog.getByLabel('Name')
    await expect(name).toHaveValue('Contractors')
    await expectAccessible(page)
    await name.fill('Contractors EU')
    await dialog.getByRole('button', { name: 'Rename group' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(
      notifications(page).getByText('Group Contractors renamed to Contractors EU', {
        exact: true,
      }),
    ).toBeVisible()
    await expect(page.getByRole('heading', { name: 'Contractors EU', level: 2 })).toBeVisible()
    await expect(page.getByRole('option', { name: /^Contractors EU/ })).toBeVisible()
  })

  await test.step('the administrator deletes the group after a warning', async () => {
    await page.getByRole('button', { name: 'Delete group' }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Delete Contractors EU?' })
    await expect(dialog).toContainText('Its members keep everything already sent to them')
    await expect(dialog).toContainText('policy values go')
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused()
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Delete group' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(
      notifications(page).getByText('Group Contractors EU deleted', { exact: true }),
    ).toBeVisible()
    await expect(page.getByRole('heading', { name: 'No groups yet' })).toBeVisible()
    // The panel that held the focus is gone: the list of groups has it, not the page.
    await expect(page.getByRole('region', { name: 'Groups' })).toBeFocused()
  })

  await test.step('the member may create links again, without reloading', async () => {
    await expect(memberPage.getByRole('button', { name: 'Create shareable link' })).toBeVisible(
      LIVE,
    )
    await expect(memberPage.getByText(LINKS_OFF)).toHaveCount(0)
  })

  await test.step('the member lost the group’s vault with the group', async () => {
    await memberPage.goto('/')
    const memberVaults = memberPage.getByRole('treegrid', { name: 'Vaults' })
    await expect(memberVaults.getByRole('row', { name: 'My vault', exact: true })).toBeVisible()
    await expect(
      memberVaults.getByRole('row', { name: 'Shared: Team keys', exact: true }),
    ).toHaveCount(0)
  })

  await test.step('the administrator is prompted to re-key the vault the member lost', async () => {
    await page.goto('/')
    const due = page.getByRole('status').filter({ hasText: 'should be re-keyed' })
    await expect(due).toContainText('A shared vault should be re-keyed: someone lost access to it.')
    await due.getByRole('link', { name: 'Team keys' }).click()
    await expect(page.getByRole('heading', { name: 'Team keys', level: 1 })).toBeVisible()
    const prompt = page.getByRole('status').filter({ hasText: 'until the vault is re-keyed' })
    await expect(prompt).toContainText(`${member.displayName} no longer has this vault`)

    // Something stored before the re-key, to read after it.
    await page.getByRole('button', { name: 'New entry' }).first().click()
    const entry = page.getByRole('dialog', { name: /^New entry/ })
    await entry.getByLabel('Name', { exact: true }).fill('deploy')
    await entry.getByLabel('Password', { exact: true }).fill(DEPLOY_PASSWORD)
    await entry.getByRole('button', { name: 'Create' }).click()
    await expect(entry).toHaveCount(0)

    await prompt.getByRole('button', { name: 'Re-key vault' }).click()
    const dialog = page.getByRole('dialog', { name: 'Re-key “Team keys”?' })
    await expect(dialog).toContainText('Members notice nothing')
    await expectAccessible(page)
    await dialog.getByRole('button', { name: 'Re-key vault' }).click()
    await expect(dialog).toHaveCount(0)
    await expect(
      notifications(page).getByText(
        '“Team keys” re-keyed: 1 item and 0 files sealed under a new key',
        { exact: true },
      ),
    ).toBeVisible()
    await expect(prompt).toHaveCount(0)

    // The entry opens under the new key; the Members dialog still offers a re-key.
    const detail = page.getByRole('region', { name: 'Open entry' })
    await expect(detail.getByRole('heading', { name: 'deploy' })).toBeVisible()
    await detail.getByRole('button', { name: 'Show Password' }).click()
    await expect(detail.getByText(DEPLOY_PASSWORD)).toBeVisible()
    await page.getByRole('button', { name: 'Members', exact: true }).click()
    const members = page.getByRole('dialog', { name: 'Members of “Team keys”' })
    await expect(members.getByRole('region', { name: 'Vault key' })).toContainText(
      'Re-keying replaces the key',
    )
    await members.getByRole('button', { name: 'Close' }).click()
    await page.goto('/')
    await expect(page.getByText('should be re-keyed')).toHaveCount(0)
  })
})
