import { type ReactNode, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import styles from './auth-layout.module.css'

type AuthLayoutProps = {
  title: string
  intro?: ReactNode
  children: ReactNode
  /** The browser tab's words when they should differ from the heading (a private subject). */
  pageTitle?: string
  /** wide: content to read (an opened link) rather than a form. */
  size?: 'normal' | 'wide'
  /** Moves the keyboard focus to the heading when shown, so a screen reader reads the new step. */
  autoFocusTitle?: boolean
}

/** The frame of the signed-out pages: brand above one centred card. */
export function AuthLayout({
  title,
  intro,
  children,
  pageTitle,
  size = 'normal',
  autoFocusTitle = false,
}: AuthLayoutProps) {
  const { t } = useTranslation()
  const titleRef = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (autoFocusTitle) titleRef.current?.focus()
  }, [autoFocusTitle])
  return (
    <main className={styles.page}>
      <title>{t('app.pageTitle', { page: pageTitle ?? title })}</title>
      <div className={styles.brand}>{t('app.brand')}</div>
      <div className={`${styles.card} ${size === 'wide' ? styles.wide : ''}`}>
        <h1 ref={titleRef} className={styles.title} tabIndex={autoFocusTitle ? -1 : undefined}>
          {title}
        </h1>
        {intro && <p className={styles.intro}>{intro}</p>}
        {children}
      </div>
    </main>
  )
}
