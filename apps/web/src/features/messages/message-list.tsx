import type { MessageSummary, SentSummary } from '@sealpost/core'
import type { TFunction } from 'i18next'
import type { InfiniteData, UseInfiniteQueryResult } from '@tanstack/react-query'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { GridList, GridListItem } from 'react-aria-components'
import { useNavigate, useSearchParams } from 'react-router'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Badge } from '../../ui/badge'
import { Button } from '../../ui/button'
import { EmptyState } from '../../ui/empty-state'
import { InboxIcon, PaperclipIcon, SendIcon } from '../../ui/icons'
import { Skeleton } from '../../ui/skeleton'
import { holdsAllWords } from '../../lib/search'
import { exactTime, expiryIn, relativeTime } from '../../lib/format'
import styles from './message-list.module.css'
import { listPath } from './messages-path'
import { type Row, useInbox, useSent } from './use-messages'
import { useLocale } from '../../lib/use-locale'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { toText } from './to-text'
import { useNow } from '../../lib/use-now'

type RowPage<T extends MessageSummary> = { items: Row<T>[]; nextCursor: string | null }
type ListQuery<T extends MessageSummary> = UseInfiniteQueryResult<InfiniteData<RowPage<T>>>

export function InboxList({ openId, empty }: { openId: string | null; empty: ReactNode }) {
  const { t } = useTranslation()
  const inbox = useInbox()
  const locale = useLocale()
  return (
    <MessageRows
      query={inbox}
      label={t('messages.inbox')}
      openId={openId}
      hrefOf={(id) => `/messages/${id}`}
      listHref={listPath('inbox')}
      empty={empty}
      renderRow={(row, now) => <InboxRow row={row} now={now} />}
      searchText={(row) =>
        [
          row.summary.sender?.displayName ?? t('requests.fromOutside'),
          row.summary.sender?.username ?? '',
          subjectText(t, row),
        ].join(' ')
      }
      isUnread={(row) => row.summary.readAt === null}
      rowLabel={(row, now) =>
        rowLabel(
          t,
          locale,
          row,
          now,
          row.summary.sender?.displayName ?? t('requests.fromOutside'),
          row.summary.readAt === null,
        )
      }
    />
  )
}

export function SentList({ openId, empty }: { openId: string | null; empty: ReactNode }) {
  const { t } = useTranslation()
  const sent = useSent()
  const locale = useLocale()
  const meId = useSignedIn().session.user.id
  return (
    <MessageRows
      query={sent}
      label={t('messages.sent')}
      openId={openId}
      hrefOf={(id) => `/messages/sent/${id}`}
      listHref={listPath('sent')}
      empty={empty}
      renderRow={(row, now) => <SentRow row={row} now={now} meId={meId} />}
      searchText={(row) =>
        [
          ...row.groups.map((group) => group.name),
          ...row.summary.recipients.flatMap((r) => [r.displayName, r.username]),
          subjectText(t, row),
        ].join(' ')
      }
      isUnread={() => false}
      rowLabel={(row, now) => rowLabel(t, locale, row, now, sentTo(t, row, meId), false)}
    />
  )
}

type T = TFunction

/** What a screen reader announces for a row: who, what, when, and its flags. */
function rowLabel(
  t: T,
  locale: string,
  row: Row<MessageSummary>,
  now: Date,
  who: string,
  isUnread: boolean,
): string {
  const { summary } = row
  const parts = [
    who,
    subjectText(t, row),
    `${relativeTime(summary.sentAt, now, locale)} (${exactTime(summary.sentAt, locale)})`,
  ]
  if (isUnread) parts.push(t('messages.unread'))
  if (summary.highPriority) parts.push(t('messages.highPriority'))
  if (summary.attachmentCount > 0) {
    parts.push(t('messages.attachmentCount', { count: summary.attachmentCount }))
  }
  if (summary.expiresAt) {
    parts.push(t('messages.expires', { when: expiryIn(summary.expiresAt, now, locale).inWords }))
  }
  return parts.join(', ')
}

/** "To: Ops (5), Carol", or everyone by name for a message that went to no group. */
function sentTo(t: T, row: Row<SentSummary>, meId: string): string {
  const { recipients } = row.summary
  return toText(
    t,
    { recipientIds: recipients.map((r) => r.id), groups: row.groups, directIds: row.directIds },
    { meId, nameOf: (id) => recipients.find((r) => r.id === id)?.displayName },
  )
}

function MessageRows<R extends MessageSummary>({
  query,
  label,
  openId,
  hrefOf,
  listHref,
  empty,
  renderRow,
  searchText,
  rowLabel: labelOf,
  isUnread,
}: {
  query: ListQuery<R>
  label: string
  openId: string | null
  hrefOf: (id: string) => string
  /** The list without a search, for Clear search. */
  listHref: string
  empty: ReactNode
  renderRow: (row: Row<R>, now: Date) => ReactNode
  /** What the top bar's search looks in: who and the subject, as the row shows them. */
  searchText: (row: Row<R>) => string
  rowLabel: (row: Row<R>, now: Date) => string
  /** S12: the inbox tints unread rows; what I sent is never unread to me. */
  isUnread: (row: Row<R>) => boolean
}) {
  const { t } = useTranslation()
  const now = useNow()
  const navigate = useNavigate()
  const words = useSearchParams()[0].get('q')?.trim() ?? ''

  if (query.isPending) return <ListSkeleton />
  if (query.isError) {
    return (
      <div className={styles.error}>
        <Alert tone="error">
          {t('messages.loadError', { reason: errorMessage(t, query.error) })}
          <Button onPress={() => void query.refetch()}>{t('messages.retry')}</Button>
        </Alert>
      </div>
    )
  }

  const loaded = query.data.pages.flatMap((page) => page.items)
  const rows = words ? loaded.filter((row) => holdsAllWords(words, searchText(row))) : loaded
  const noMatches = (
    <EmptyState
      title={t('messages.noMatchesTitle')}
      action={
        <Button onPress={() => void navigate(listHref, { replace: true })}>
          {t('messages.clearSearch')}
        </Button>
      }
    >
      {t('messages.noMatches', { query: words })}
      {query.hasNextPage && ` ${t('messages.noMatchesMore')}`}
    </EmptyState>
  )
  return (
    <>
      <GridList
        aria-label={label}
        items={rows.map((row) => ({ ...row, id: row.summary.id }))}
        className={styles.list}
        // Letters are shortcuts here (j, k, c), not a search by first letter.
        disallowTypeAhead
        renderEmptyState={() => (words ? noMatches : empty)}
      >
        {(row) => (
          <GridListItem
            id={row.id}
            href={hrefOf(row.id)}
            textValue={labelOf(row, now)}
            className={styles.row}
            data-unread={isUnread(row) ? '' : undefined}
            data-open={row.id === openId ? '' : undefined}
            aria-current={row.id === openId ? 'true' : undefined}
          >
            {renderRow(row, now)}
          </GridListItem>
        )}
      </GridList>
      {query.hasNextPage && (
        <div className={styles.more}>
          <Button onPress={() => void query.fetchNextPage()} isPending={query.isFetchingNextPage}>
            {query.isFetchingNextPage ? t('messages.loadingMore') : t('messages.loadMore')}
          </Button>
        </div>
      )}
    </>
  )
}

function ListSkeleton() {
  const { t } = useTranslation()
  return (
    <div className={styles.skeleton} aria-busy="true">
      <span className="visually-hidden" role="status">
        {t('messages.loading')}
      </span>
      {[0, 1, 2, 3].map((row) => (
        <div key={row} className={styles.skeletonRow}>
          <Skeleton width="40%" />
          <Skeleton width="80%" />
        </div>
      ))}
    </div>
  )
}

/** Relative time; the exact one shows on hover (title) and when the row has keyboard focus. */
function SentTime({ iso, now }: { iso: string; now: Date }) {
  const locale = useLocale()
  const exact = exactTime(iso, locale)
  return (
    <time className={styles.time} dateTime={iso} title={exact}>
      <span className={styles.relative}>{relativeTime(iso, now, locale)}</span>
      <span className={styles.exact}>{exact}</span>
    </time>
  )
}

function Flags({ summary, now }: { summary: MessageSummary; now: Date }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const expiry = summary.expiresAt ? expiryIn(summary.expiresAt, now, locale) : null
  const isFromOutside = summary.origin === 'request'
  if (summary.attachmentCount === 0 && !expiry && !summary.highPriority && !isFromOutside) {
    return null
  }
  return (
    <span className={styles.flags}>
      {isFromOutside && <Badge tone="warning">{t('requests.fromOutside')}</Badge>}
      {summary.highPriority && <Badge tone="accent">{t('messages.highPriority')}</Badge>}
      {expiry && (
        <Badge tone={expiry.isSoon ? 'warning' : 'neutral'}>
          {t('messages.expires', { when: expiry.inWords })}
        </Badge>
      )}
      {summary.attachmentCount > 0 && (
        <span
          className={styles.attachments}
          title={t('messages.attachmentCount', { count: summary.attachmentCount })}
        >
          <PaperclipIcon />
          {summary.attachmentCount}
        </span>
      )}
    </span>
  )
}

/** An answer from outside reads "Answer to your request …": its subject is my own note. */
function subjectText(t: T, row: Row<MessageSummary>): string {
  if (row.subject === null) return t('messages.subjectUnavailable')
  if (row.summary.origin === 'request') return t('requests.answerSubject', { note: row.subject })
  return row.subject || t('messages.noSubject')
}

function Subject({ row }: { row: Row<MessageSummary> }) {
  const { t } = useTranslation()
  return (
    <span
      className={row.subject === null ? `${styles.subject} ${styles.unavailable}` : styles.subject}
    >
      {subjectText(t, row)}
    </span>
  )
}

function InboxRow({ row, now }: { row: Row<MessageSummary>; now: Date }) {
  const { t } = useTranslation()
  const { summary } = row
  return (
    <div className={styles.rowContent}>
      <div className={styles.line}>
        <span className={styles.who}>
          {summary.sender?.displayName ?? t('requests.outsideSender')}
        </span>
        <SentTime iso={summary.sentAt} now={now} />
      </div>
      <Subject row={row} />
      <Flags summary={summary} now={now} />
    </div>
  )
}

function SentRow({ row, now, meId }: { row: Row<SentSummary>; now: Date; meId: string }) {
  const { t } = useTranslation()
  const { summary } = row
  const read = summary.recipients.filter((r) => r.readAt !== null)
  const unread = summary.recipients.filter((r) => r.readAt === null)
  const opened = summary.recipients.filter((r) => r.openedAt !== null).length
  return (
    <div className={styles.rowContent}>
      <div className={styles.line}>
        <span className={styles.who}>{sentTo(t, row, meId)}</span>
        <SentTime iso={summary.sentAt} now={now} />
      </div>
      <Subject row={row} />
      <Flags summary={summary} now={now} />
      <div className={styles.readState}>
        {opened > 0 && (
          <span className={styles.read}>
            {t('messages.openedCount', {
              opened: String(opened),
              total: String(summary.recipients.length),
            })}
          </span>
        )}
        {read.length > 0 && (
          <span className={styles.read}>
            {t('messages.readBy', { names: read.map((r) => r.displayName).join(', ') })}
          </span>
        )}
        {unread.length > 0 && (
          <span className={styles.notRead}>
            {read.length === 0
              ? t('messages.notReadYet')
              : t('messages.notReadBy', { names: unread.map((r) => r.displayName).join(', ') })}
          </span>
        )}
      </div>
    </div>
  )
}

/** What the inbox says when empty, and what to do next. */
export function EmptyInbox({ action }: { action?: ReactNode }) {
  const { t } = useTranslation()
  return (
    <EmptyState icon={<InboxIcon />} title={t('messages.emptyInboxTitle')} action={action}>
      {t('messages.emptyInbox')}
    </EmptyState>
  )
}

export function EmptySent({ action }: { action?: ReactNode }) {
  const { t } = useTranslation()
  return (
    <EmptyState icon={<SendIcon />} title={t('messages.emptySentTitle')} action={action}>
      {t('messages.emptySent')}
    </EmptyState>
  )
}
