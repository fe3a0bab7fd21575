import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import styles from './auth-layout.module.css'

type AuthLayoutProps = {
  title: string
  intro?: ReactNode
  children: ReactNode
}

/** The frame of the signed-out pages: brand above one centred card. */
export function AuthLayout({ title, intro, children }: AuthLayoutProps) {
  const { t } = useTranslation()
  return (
    <main className={styles.page}>
      <title>{t('app.pageTitle', { page: title })}</title>
      <div className={styles.brand}>{t('app.brand')}</div>
      <div className={styles.card}>
        <h1 className={styles.title}>{title}</h1>
        {intro && <p className={styles.intro}>{intro}</p>}
        {children}
      </div>
    </main>
  )
}
