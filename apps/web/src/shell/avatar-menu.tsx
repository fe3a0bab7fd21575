import { Suspense, lazy, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { withAppStrings } from '../i18n'
import { Button, type Key, MenuTrigger } from 'react-aria-components'
import { Avatar, initialsOf } from '../ui/avatar'
import { ChevronDownIcon } from '../ui/icons'
import { Menu, MenuItem, MenuSection, MenuSeparator } from '../ui/menu'
import { useSignedIn } from '../lib/session/signed-in-context'
import { useSignOut } from '../lib/session/use-session'
import { type ThemePreference, setThemePreference, useThemePreference } from '../lib/theme'
import styles from './top-bar.module.css'

// Opened from this menu only: it loads when first opened, not with every page (issue 15).
const ProfileDialog = lazy(async () => ({
  default: (await withAppStrings(import('../features/account/profile/profile-dialog')))
    .ProfileDialog,
}))

const THEMES: readonly ThemePreference[] = ['system', 'light', 'dark']

function isTheme(key: Key): key is ThemePreference {
  return THEMES.includes(key as ThemePreference)
}

/** The avatar: profile, theme and sign-out. */
export function AvatarMenu() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const signOut = useSignOut()
  const theme = useThemePreference()
  const [isProfileOpen, setProfileOpen] = useState(false)
  const name = session.user.displayName

  const themeLabels: Record<ThemePreference, string> = {
    system: t('shell.themeSystem'),
    light: t('shell.themeLight'),
    dark: t('shell.themeDark'),
  }

  return (
    <>
      <MenuTrigger>
        <Button
          className={styles.avatarButton}
          aria-label={t('shell.accountMenu', { name, initials: initialsOf(name) })}
        >
          <Avatar name={name} />
          <ChevronDownIcon />
        </Button>
        <Menu
          onAction={(key) => {
            if (key === 'profile') setProfileOpen(true)
            if (key === 'sign-out') {
              signOut.mutate()
            }
          }}
        >
          <MenuSection>
            <MenuItem id="profile">{t('shell.profile')}</MenuItem>
          </MenuSection>
          <MenuSeparator />
          <MenuSection
            title={t('shell.theme')}
            aria-label={t('shell.theme')}
            selectionMode="single"
            disallowEmptySelection
            selectedKeys={[theme]}
            onSelectionChange={(keys) => {
              if (keys === 'all') return
              const [key] = [...keys]
              if (key !== undefined && isTheme(key)) setThemePreference(key)
            }}
          >
            {THEMES.map((option) => (
              <MenuItem key={option} id={option}>
                {themeLabels[option]}
              </MenuItem>
            ))}
          </MenuSection>
          <MenuSeparator />
          <MenuSection>
            <MenuItem id="sign-out">{t('shell.signOut')}</MenuItem>
          </MenuSection>
        </Menu>
      </MenuTrigger>
      {isProfileOpen && (
        <Suspense fallback={null}>
          <ProfileDialog isOpen onOpenChange={setProfileOpen} />
        </Suspense>
      )}
    </>
  )
}
