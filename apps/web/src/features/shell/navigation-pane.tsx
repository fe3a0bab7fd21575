import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { useLocation } from 'react-router'
import { UsersIcon, VaultIcon } from '../../ui/icons'
import { useSignedIn } from '../session/signed-in-context'
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

/** My vault now; shared vaults with the vault issue; Administration for administrators. */
export function NavigationPane() {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const isAdmin = session.user.role === 'admin'
  return (
    <nav className={styles.pane} aria-label={t('shell.navigation')}>
      <ul className={styles.list}>
        <NavLink href="/" icon={<VaultIcon />}>
          {t('shell.myVault')}
        </NavLink>
      </ul>
      {isAdmin && (
        <>
          <h2 className={styles.heading} id="nav-administration">
            {t('shell.administration')}
          </h2>
          <ul className={styles.list} aria-labelledby="nav-administration">
            <NavLink href="/admin/users" icon={<UsersIcon />}>
              {t('shell.users')}
            </NavLink>
          </ul>
        </>
      )}
    </nav>
  )
}
