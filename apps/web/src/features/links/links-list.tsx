import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { DialogTrigger } from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Badge } from '../../ui/badge'
import { Button } from '../../ui/button'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { EmptyState } from '../../ui/empty-state'
import { AlertIcon, CheckIcon, LinkIcon, LockIcon, PaperclipIcon, TrashIcon } from '../../ui/icons'
import { Skeleton } from '../../ui/skeleton'
import { showToast } from '../../ui/toast'
import { exactTime, expiryIn, formatBytes, relativeTime } from '../../lib/format'
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
  const links = useLinks()
  const now = useNow()

  if (links.isPending) {
    return (
      <div className={styles.skeleton} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('links.loading')}
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
  if (links.isError) {
    return (
      <div className={styles.error}>
        <Alert tone="error">
          {t('links.loadError', { reason: errorMessage(t, links.error) })}
          <Button onPress={() => void links.refetch()}>{t('messages.retry')}</Button>
        </Alert>
      </div>
    )
  }
  if (links.data.length === 0) {
    return (
      <EmptyState
        icon={<LinkIcon width="24" height="24" />}
        title={t('links.emptyTitle')}
        action={
          onCreate ? <Button onPress={onCreate}>{t('compose.shareableLink')}</Button> : undefined
        }
      >
        {session.user.canCreateLinks ? t('links.empty') : t('links.emptyNotAllowed')}
      </EmptyState>
    )
  }
  return (
    <div className={styles.links}>
      <p className={styles.note}>{t('links.shownOnce')}</p>
      <ul className={styles.list} aria-label={t('links.listLabel')}>
        {links.data.map((row) => (
          <LinkItem key={row.summary.id} row={row} now={now} />
        ))}
      </ul>
    </div>
  )
}

function LinkItem({ row, now }: { row: LinkRow; now: Date }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const titleId = useId()
  const { summary } = row
  const expiry = expiryIn(summary.expiresAt, now, locale)
  const created = exactTime(summary.createdAt, locale)

  return (
    <li className={styles.row} aria-labelledby={titleId}>
      <div className={styles.main}>
        <h3 id={titleId} className={styles.title}>
          {row.label ? (
            <span className={styles.label}>{row.label}</span>
          ) : (
            <span
              className={`${styles.label} ${row.hasLabel ? styles.unavailable : styles.untitled}`}
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
        </h3>
        <div className={styles.facts}>
          <time dateTime={summary.createdAt} title={created}>
            {t('links.created', { when: relativeTime(summary.createdAt, now, locale) })}
          </time>
          <Badge tone={expiry.isSoon ? 'warning' : 'neutral'}>
            <time dateTime={summary.expiresAt} title={exactTime(summary.expiresAt, locale)}>
              {t('links.expires', { when: expiry.inWords })}
            </time>
          </Badge>
          <span className={styles.views}>
            {t('links.views', {
              views: String(summary.views),
              maxViews: String(summary.maxViews),
            })}
          </span>
          {summary.fileCount > 0 && (
            <span className={styles.files}>
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
      </div>
      <DeleteLink id={summary.id} describedBy={titleId} />
    </li>
  )
}

function DeleteLink({ id, describedBy }: { id: string; describedBy: string }) {
  const { t } = useTranslation()
  const remove = useDeleteLink()
  return (
    <DialogTrigger>
      <Button variant="quiet" className={styles.delete} aria-describedby={describedBy}>
        <TrashIcon />
        {t('links.deleteNow')}
      </Button>
      <ModalDialog title={t('links.deleteTitle')} role="alertdialog">
        {(close) => (
          <>
            <p>{t('links.deleteBody')}</p>
            {remove.isError && <Alert tone="error">{errorMessage(t, remove.error)}</Alert>}
            <DialogActions>
              <Button onPress={close} isDisabled={remove.isPending} autoFocus>
                {t('links.cancel')}
              </Button>
              <Button
                variant="danger"
                isPending={remove.isPending}
                onPress={() =>
                  remove.mutate(id, {
                    onSuccess: () => {
                      close()
                      showToast({ tone: 'success', title: t('links.deleted') })
                    },
                  })
                }
              >
                {t('links.deleteNow')}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>
    </DialogTrigger>
  )
}
