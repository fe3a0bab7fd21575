import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { useLocation } from 'react-router'
import { GroupIcon, ShieldCheckIcon, SlidersIcon, UsersIcon, WebhookIcon } from '../ui/icons'
import { useSignedIn } from '../lib/session/signed-in-context'
import { VaultNavigation } from '../features/vault/vault-navigation'
import styles from './navigation-pane.module.css'

function NavLink({ href, icon, children }: { href: string; icon: ReactNode; children: string }) {
  const { pathname } = useLocation()
  const isCurrent = href === '/' ? pathname === '/' : pathname.startsWith(href)
  return (
    <li>
      <Link href={href} className={styles.link} aria-current={isCurrent ? 'page' : undefined}>
        {icon}
        {children}
      </Link>
    </li>
  )
}

/** The vaults (switcher and tree); Administration for administrators. */
export function NavigationPane() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const isAdmin = session.user.role === 'admin'
  return (
    <nav className={styles.pane} aria-label={t('shell.navigation')}>
      <VaultNavigation
        linkClassName={styles.link}
        listClassName={styles.list}
        headingClassName={styles.heading}
      />
      {isAdmin && (
        <>
          <h2 className={styles.heading} id="nav-administration">
            {t('shell.administration')}
          </h2>
          <ul className={styles.list} aria-labelledby="nav-administration">
            <NavLink href="/admin/users" icon={<UsersIcon />}>
              {t('shell.users')}
            </NavLink>
            <NavLink href="/admin/groups" icon={<GroupIcon />}>
              {t('shell.groups')}
            </NavLink>
            <NavLink href="/admin/policies" icon={<SlidersIcon />}>
              {t('shell.policies')}
            </NavLink>
            <NavLink href="/admin/audit" icon={<ShieldCheckIcon />}>
              {t('shell.audit')}
            </NavLink>
            <NavLink href="/admin/webhooks" icon={<WebhookIcon />}>
              {t('shell.webhooks')}
            </NavLink>
          </ul>
        </>
      )}
    </nav>
  )
}
