import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import styles from './page-header.module.css'

type PageHeaderProps = {
  title: string
  eyebrow?: string
  description?: string
  actions?: ReactNode
}

/** The page's h1 (and the document title), with optional actions on the right. */
export function PageHeader({ title, eyebrow, description, actions }: PageHeaderProps) {
  const { t } = useTranslation()
  return (
    <div className={styles.header}>
      <title>{t('app.pageTitle', { page: title })}</title>
      <div className={styles.text}>
        {eyebrow && <span className={styles.eyebrow}>{eyebrow}</span>}
        <h1 className={styles.title}>{title}</h1>
        {description && <p className={styles.description}>{description}</p>}
      </div>
      {actions}
    </div>
  )
}
