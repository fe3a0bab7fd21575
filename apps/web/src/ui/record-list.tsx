import type { ReactNode } from 'react'
import { exactTime, expiryIn, relativeTime } from '../lib/format'
import { useLocale } from '../lib/use-locale'
import { Alert } from './alert'
import { Badge } from './badge'
import { Button } from './button'
import styles from './record-list.module.css'
import { Skeleton } from './skeleton'

type RecordsQuery<T> = {
  isPending: boolean
  isError: boolean
  error: Error | null
  data: T[] | undefined
  refetch: () => unknown
}

/**
 * A list of the user's own records (Links, Requests) through its loading, failure and empty
 * states; the feature supplies the words, the empty state and each row.
 */
export function RecordList<T>({
  query,
  loadingLabel,
  errorText,
  retryLabel,
  empty,
  listLabel,
  header,
  children,
}: {
  query: RecordsQuery<T>
  loadingLabel: string
  /** What went wrong loading, in words. */
  errorText: (error: Error | null) => string
  retryLabel: string
  empty: ReactNode
  listLabel: string
  /** Above the rows: a note or a toolbar. */
  header?: ReactNode
  children: (row: T) => ReactNode
}) {
  if (query.isPending) {
    return (
      <div className={styles.skeleton} aria-busy="true">
        <span className="visually-hidden" role="status">
          {loadingLabel}
        </span>
        {[0, 1, 2].map((row) => (
          <div key={row} className={styles.skeletonRow}>
            <Skeleton width="30%" />
            <Skeleton width="70%" />
          </div>
        ))}
      </div>
    )
  }
  if (query.isError) {
    return (
      <div className={styles.error}>
        <Alert tone="error">
          {errorText(query.error)}
          <Button onPress={() => void query.refetch()}>{retryLabel}</Button>
        </Alert>
      </div>
    )
  }
  const rows = query.data ?? []
  if (rows.length === 0) return empty
  return (
    <div className={styles.records}>
      {header}
      <ul className={styles.list} aria-label={listLabel}>
        {rows.map(children)}
      </ul>
    </div>
  )
}

/** One record: its title (labelling the row), what the feature shows under it, its actions. */
export function RecordRow({
  titleId,
  title,
  children,
  actions,
}: {
  titleId: string
  title: ReactNode
  children: ReactNode
  actions: ReactNode
}) {
  return (
    <li className={styles.row} aria-labelledby={titleId}>
      <div className={styles.main}>
        {/* The rows sit right under the page's h1 (Messages): h2 keeps the outline whole. */}
        <h2 id={titleId} className={styles.title}>
          {title}
        </h2>
        {children}
      </div>
      <div className={styles.actions}>{actions}</div>
    </li>
  )
}

/** When a record was made (relative, exact on hover) and when it expires (amber when soon). */
export function RecordTimes({
  createdAt,
  expiresAt,
  now,
  createdText,
  expiresText,
}: {
  createdAt: string
  expiresAt: string
  now: Date
  createdText: (when: string) => string
  expiresText: (when: string) => string
}) {
  const locale = useLocale()
  const expiry = expiryIn(expiresAt, now, locale)
  return (
    <>
      <time dateTime={createdAt} title={exactTime(createdAt, locale)}>
        {createdText(relativeTime(createdAt, now, locale))}
      </time>
      <Badge tone={expiry.isSoon ? 'warning' : 'neutral'}>
        <time dateTime={expiresAt} title={exactTime(expiresAt, locale)}>
          {expiresText(expiry.inWords)}
        </time>
      </Badge>
    </>
  )
}
