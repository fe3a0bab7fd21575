import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Button } from '../../../ui/button'
import { ConfirmAction } from '../../../ui/confirm-action'
import { EmptyState } from '../../../ui/empty-state'
import {
  AlertIcon,
  CheckIcon,
  LinkIcon,
  LockIcon,
  PaperclipIcon,
  TrashIcon,
} from '../../../ui/icons'
import { RecordList, RecordRow, RecordTimes } from '../../../ui/record-list'
import recordStyles from '../../../ui/record-list.module.css'
import { Switch } from '../../../ui/switch'
import { showToast } from '../../../ui/toast'
import { exactTime, formatBytes, relativeTime } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { useNow } from '../../../lib/use-now'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import styles from './links-list.module.css'
import { type LinkRow, useDeleteLink, useLinkHistory, useLinks } from './use-links'

/**
 * S23: the sender's live links with views used and expiry, and Delete now. The URLs are not
 * here: the server never had their keys, so each was shown once, when it was created.
 */
export function LinksList({ onCreate }: { onCreate?: () => void }) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const now = useNow()
  const [showEnded, setShowEnded] = useState(false)
  const links = useLinks(showEnded)
  return (
    <div className={styles.links}>
      <div className={styles.toolbar}>
        <Switch isSelected={showEnded} onChange={setShowEnded}>
          {t('links.showEnded')}
        </Switch>
      </div>
      <RecordList
        query={links}
        loadingLabel={t('links.loading')}
        errorText={(error) => t('links.loadError', { reason: errorMessage(t, error) })}
        retryLabel={t('messages.retry')}
        empty={
          <EmptyState
            icon={<LinkIcon width="24" height="24" />}
            title={t('links.emptyTitle')}
            action={
              onCreate ? (
                <Button onPress={onCreate}>{t('compose.shareableLink')}</Button>
              ) : undefined
            }
          >
            {session.user.canCreateLinks ? t('links.empty') : t('links.emptyNotAllowed')}
          </EmptyState>
        }
        listLabel={t('links.listLabel')}
        header={<p className={styles.note}>{t('links.shownOnce')}</p>}
      >
        {(row) => <LinkItem key={row.summary.id} row={row} now={now} />}
      </RecordList>
    </div>
  )
}

function LinkItem({ row, now }: { row: LinkRow; now: Date }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const titleId = useId()
  const { summary } = row

  return (
    <RecordRow
      titleId={titleId}
      title={
        <>
          {row.label ? (
            <span className={recordStyles.label}>{row.label}</span>
          ) : (
            <span
              className={`${recordStyles.label} ${row.hasLabel ? recordStyles.unavailable : styles.untitled}`}
            >
              {row.hasLabel ? t('links.labelUnavailable') : t('links.untitled')}
            </span>
          )}
          {summary.hasPassphrase && (
            <span className={styles.lock} title={t('links.hasPassphrase')}>
              <LockIcon aria-hidden="true" />
              <span className="visually-hidden">{t('links.hasPassphrase')}</span>
            </span>
          )}
        </>
      }
      actions={
        <DeleteLink id={summary.id} describedBy={titleId} hasEnded={summary.endedAt !== null} />
      }
    >
      {summary.state !== 'active' && (
        <p className={styles.ended}>
          {t(`links.state.${summary.state}`)}
          {summary.endedAt &&
            ` · ${t('links.endedAt', { when: relativeTime(summary.endedAt, now, locale) })}`}
        </p>
      )}
      <div className={recordStyles.facts}>
        <RecordTimes
          createdAt={summary.createdAt}
          expiresAt={summary.expiresAt}
          now={now}
          createdText={(when) => t('links.created', { when })}
          expiresText={(when) => t('links.expires', { when })}
        />
        <span className={recordStyles.count}>
          {t('links.views', {
            views: String(summary.views),
            maxViews: String(summary.maxViews),
          })}
        </span>
        {summary.fileCount > 0 && (
          <span className={recordStyles.files}>
            <PaperclipIcon aria-hidden="true" />
            {t('links.files', {
              count: summary.fileCount,
              size: formatBytes(summary.sizeBytes, locale),
            })}
          </span>
        )}
      </div>
      {summary.emails.length > 0 && (
        <ul className={styles.emails}>
          {summary.emails.map((email) => (
            <li
              key={`${email.to}-${email.at}`}
              className={email.status === 'sent' ? styles.sent : styles.failed}
            >
              {email.status === 'sent' ? (
                <CheckIcon aria-hidden="true" />
              ) : (
                <AlertIcon width="16" height="16" aria-hidden="true" />
              )}
              <span>
                {email.status === 'sent'
                  ? t('links.emailedTo', {
                      address: email.to,
                      when: relativeTime(email.at, now, locale),
                    })
                  : t('links.emailFailedTo', { address: email.to, error: email.error ?? '' })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <LinkHistory id={summary.id} maxViews={summary.maxViews} now={now} />
    </RecordRow>
  )
}

/** What happened to the link: page loads, each view, wrong passphrases, how it ended. */
function LinkHistory({ id, maxViews, now }: { id: string; maxViews: number; now: Date }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const [isOpen, setOpen] = useState(false)
  const history = useLinkHistory(id, isOpen)
  return (
    <div className={styles.history}>
      <Button variant="quiet" aria-expanded={isOpen} onPress={() => setOpen(!isOpen)}>
        {isOpen ? t('links.hideHistory') : t('links.showHistory')}
      </Button>
      {isOpen && history.isPending && <span role="status">{t('links.loadingHistory')}</span>}
      {isOpen && history.isError && (
        <span role="alert">{t('links.loadError', { reason: errorMessage(t, history.error) })}</span>
      )}
      {isOpen && history.data && (
        <ol className={styles.events} aria-label={t('links.historyLabel')}>
          {history.data.length === 0 && <li>{t('links.noHistory')}</li>}
          {history.data.map((entry, index) => (
            <li key={index}>
              <span title={exactTime(entry.at, locale)}>{relativeTime(entry.at, now, locale)}</span>{' '}
              {entry.event === 'opened'
                ? t('links.event.opened', {
                    view: String(entry.view ?? 0),
                    maxViews: String(maxViews),
                  })
                : t(`links.event.${entry.event}`)}
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

function DeleteLink({
  id,
  describedBy,
  hasEnded,
}: {
  id: string
  describedBy: string
  /** An ended link has nothing left to delete: this removes it from the history. */
  hasEnded: boolean
}) {
  const { t } = useTranslation()
  const remove = useDeleteLink()
  return (
    <ConfirmAction
      label={hasEnded ? t('links.removeFromHistory') : t('links.deleteNow')}
      icon={<TrashIcon />}
      title={hasEnded ? t('links.removeTitle') : t('links.deleteTitle')}
      body={hasEnded ? t('links.removeBody') : t('links.deleteBody')}
      cancelLabel={t('links.cancel')}
      describedBy={describedBy}
      className={`${recordStyles.danger} ${styles.delete}`}
      isPending={remove.isPending}
      error={remove.isError ? errorMessage(t, remove.error) : null}
      onConfirm={(close) =>
        remove.mutate(id, {
          onSuccess: () => {
            close()
            showToast({ tone: 'success', title: t('links.deleted') })
          },
        })
      }
    />
  )
}
