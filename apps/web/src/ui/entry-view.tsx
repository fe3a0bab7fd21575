import { type ReactNode, useId } from 'react'
import { useTranslation } from 'react-i18next'
import styles from './entry-view.module.css'
import { ValueField } from './value-field'

/** What an entry holds, as the vault and a received copy both show it. */
type EntryValues = {
  type: string
  username?: string | undefined
  password?: string | undefined
  url?: string | undefined
  notes?: string | undefined
  fields: readonly { label: string; value: string; hidden: boolean }[]
}

/** The entry's type icon beside its heading (name, type, when it changed). */
export function EntryHeader({
  icon,
  isCompact = false,
  as: Element = 'header',
  children,
}: {
  icon: ReactNode
  /** The smaller icon of a dialog. */
  isCompact?: boolean
  /** `div` where a header element would not belong (a dialog's body). */
  as?: 'header' | 'div'
  children: ReactNode
}) {
  return (
    <Element className={styles.header} data-compact={isCompact || undefined}>
      <span className={styles.typeIcon}>{icon}</span>
      <div className={styles.heading}>{children}</div>
    </Element>
  )
}

/** A titled part of an open entry (notes, files, sub-entries), labelled by its title. */
export function EntrySection({
  title,
  isLoose = false,
  children,
}: {
  title: string
  /** More room between its parts (the form's custom fields). */
  isLoose?: boolean
  children: ReactNode
}) {
  const titleId = useId()
  return (
    <section className={styles.section} data-loose={isLoose || undefined} aria-labelledby={titleId}>
      <h3 id={titleId} className={styles.sectionTitle}>
        {title}
      </h3>
      {children}
    </section>
  )
}

/** The files or sub-entries of a section, one under the other. */
export function EntryList({ children }: { children: ReactNode }) {
  return <ul className={styles.list}>{children}</ul>
}

/**
 * The entry's values, each with Copy (secrets hidden until shown), then its notes; nothing
 * for what the entry does not have.
 */
export function EntryValueList({ content }: { content: EntryValues }) {
  const { t } = useTranslation()
  const hasFields =
    Boolean(content.username) ||
    Boolean(content.password) ||
    Boolean(content.url) ||
    content.fields.length > 0
  return (
    <>
      {hasFields && (
        <dl className={styles.fields}>
          {content.username && <ValueField label={t('vault.username')} value={content.username} />}
          {content.password && (
            <ValueField label={t('vault.password')} value={content.password} isSecret />
          )}
          {content.url && <ValueField label={t('vault.url')} value={content.url} isUrl />}
          {content.fields.map((field, index) => (
            <ValueField
              key={`${field.label}-${index}`}
              label={field.label}
              value={field.value}
              isSecret={field.hidden}
            />
          ))}
        </dl>
      )}
      {content.notes && (
        <EntrySection title={content.type === 'note' ? t('vault.note') : t('vault.notes')}>
          <p className={styles.notes}>{content.notes}</p>
        </EntrySection>
      )}
    </>
  )
}
