import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../i18n/error-message'
import { Button } from '../../ui/button'
import { ConfirmAction } from '../../ui/confirm-action'
import { EmptyState } from '../../ui/empty-state'
import { AlertIcon, CheckIcon, LinkIcon, LockIcon, PaperclipIcon, TrashIcon } from '../../ui/icons'
import { RecordList, RecordRow, RecordTimes } from '../../ui/record-list'
import recordStyles from '../../ui/record-list.module.css'
import { showToast } from '../../ui/toast'
import { formatBytes, relativeTime } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'
import { useNow } from '../../lib/use-now'
import { useSignedIn } from '../session/signed-in-context'
import styles from './links-list.module.css'
import { type LinkRow, useDeleteLink, useLinks } from './use-links'

/**
 * S23: the sender's live links with views used and expiry, and Delete now. The URLs are not
 * here: the server never had their keys, so each was shown once, when it was created.
 */
export function LinksList({ onCreate }: { onCreate?: () => void }) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const now = useNow()
  return (
    <RecordList
      query={useLinks()}
      loadingLabel={t('links.loading')}
      errorText={(error) => t('links.loadError', { reason: errorMessage(t, error) })}
      retryLabel={t('messages.retry')}
      empty={
        <EmptyState
          icon={<LinkIcon width="24" height="24" />}
          title={t('links.emptyTitle')}
          action={
            onCreate ? <Button onPress={onCreate}>{t('compose.shareableLink')}</Button> : undefined
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
      actions={<DeleteLink id={summary.id} describedBy={titleId} />}
    >
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
    </RecordRow>
  )
}

function DeleteLink({ id, describedBy }: { id: string; describedBy: string }) {
  const { t } = useTranslation()
  const remove = useDeleteLink()
  return (
    <ConfirmAction
      label={t('links.deleteNow')}
      icon={<TrashIcon />}
      title={t('links.deleteTitle')}
      body={t('links.deleteBody')}
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
