import type { RequestRow } from '@sealpost/core'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DialogTrigger } from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { exactTime, expiryIn, relativeTime } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'
import { useNow } from '../../lib/use-now'
import { Alert } from '../../ui/alert'
import { Badge } from '../../ui/badge'
import { Button } from '../../ui/button'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { EmptyState } from '../../ui/empty-state'
import { CopyIcon, InboxIcon, PaperclipIcon, TrashIcon } from '../../ui/icons'
import { Skeleton } from '../../ui/skeleton'
import { showToast } from '../../ui/toast'
import { useSignedIn } from '../session/signed-in-context'
import styles from './requests-list.module.css'
import { useCloseRequest, useRequests } from './use-requests'

/**
 * The requester's Requests (next to Links): what each asks, when it was made and closes, the
 * answers received of those allowed, the link again (rebuilt from the requester's own copy of
 * its secret), and Close now. Answers themselves arrive in the inbox.
 */
export function RequestsList({ onCreate }: { onCreate?: () => void }) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const requests = useRequests()
  const now = useNow()

  if (requests.isPending) {
    return (
      <div className={styles.skeleton} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('requests.loading')}
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
  if (requests.isError) {
    return (
      <div className={styles.error}>
        <Alert tone="error">
          {t('requests.loadError', { reason: errorMessage(t, requests.error) })}
          <Button onPress={() => void requests.refetch()}>{t('messages.retry')}</Button>
        </Alert>
      </div>
    )
  }
  if (requests.data.length === 0) {
    return (
      <EmptyState
        icon={<InboxIcon width="24" height="24" />}
        title={t('requests.emptyTitle')}
        action={
          onCreate ? <Button onPress={onCreate}>{t('requests.newRequest')}</Button> : undefined
        }
      >
        {session.user.canRequestSecrets ? t('requests.empty') : t('requests.emptyNotAllowed')}
      </EmptyState>
    )
  }
  return (
    <div className={styles.requests}>
      {onCreate && (
        <div className={styles.toolbar}>
          <Button onPress={onCreate}>{t('requests.newRequest')}</Button>
        </div>
      )}
      <ul className={styles.list} aria-label={t('requests.listLabel')}>
        {requests.data.map((row) => (
          <RequestItem key={row.summary.id} row={row} now={now} />
        ))}
      </ul>
    </div>
  )
}

function RequestItem({ row, now }: { row: RequestRow; now: Date }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const titleId = useId()
  const { summary } = row
  const expiry = expiryIn(summary.expiresAt, now, locale)
  const isComplete = summary.answers >= summary.maxAnswers
  const title = row.label ?? row.note

  return (
    <li className={styles.row} aria-labelledby={titleId}>
      <div className={styles.main}>
        <h3 id={titleId} className={styles.title}>
          {title === null ? (
            <span className={styles.unavailable}>{t('requests.noteUnavailable')}</span>
          ) : (
            <span className={styles.label}>{title}</span>
          )}
        </h3>
        {row.label && row.note && <p className={styles.note}>{row.note}</p>}
        <div className={styles.facts}>
          <time dateTime={summary.createdAt} title={exactTime(summary.createdAt, locale)}>
            {t('requests.created', { when: relativeTime(summary.createdAt, now, locale) })}
          </time>
          <Badge tone={expiry.isSoon ? 'warning' : 'neutral'}>
            <time dateTime={summary.expiresAt} title={exactTime(summary.expiresAt, locale)}>
              {t('requests.expires', { when: expiry.inWords })}
            </time>
          </Badge>
          <span className={styles.answers}>
            {t('requests.answers', {
              answers: String(summary.answers),
              maxAnswers: String(summary.maxAnswers),
            })}
          </span>
          {isComplete && <Badge tone="success">{t('requests.complete')}</Badge>}
          {summary.allowFiles && (
            <span className={styles.files}>
              <PaperclipIcon aria-hidden="true" />
              {t('requests.filesAllowed')}
            </span>
          )}
        </div>
      </div>
      <div className={styles.actions}>
        {row.url && !isComplete && <CopyLink url={row.url} describedBy={titleId} />}
        <CloseRequest id={summary.id} describedBy={titleId} />
      </div>
    </li>
  )
}

function CopyLink({ url, describedBy }: { url: string; describedBy: string }) {
  const { t } = useTranslation()
  const [failed, setFailed] = useState(false)
  async function copy() {
    try {
      await navigator.clipboard.writeText(url)
      setFailed(false)
      showToast({ tone: 'success', title: t('requests.linkCopied') })
    } catch {
      setFailed(true)
    }
  }
  return (
    <>
      <Button variant="quiet" onPress={() => void copy()} aria-describedby={describedBy}>
        <CopyIcon />
        {t('requests.copyLink')}
      </Button>
      {failed && (
        <span className={styles.copyFailed} role="status">
          {t('requests.linkCopyFailed')} <code className={styles.url}>{url}</code>
        </span>
      )}
    </>
  )
}

function CloseRequest({ id, describedBy }: { id: string; describedBy: string }) {
  const { t } = useTranslation()
  const close = useCloseRequest()
  return (
    <DialogTrigger>
      <Button variant="quiet" className={styles.close} aria-describedby={describedBy}>
        <TrashIcon />
        {t('requests.closeNow')}
      </Button>
      <ModalDialog title={t('requests.closeTitle')} role="alertdialog">
        {(closeDialog) => (
          <>
            <p>{t('requests.closeBody')}</p>
            {close.isError && <Alert tone="error">{errorMessage(t, close.error)}</Alert>}
            <DialogActions>
              <Button onPress={closeDialog} isDisabled={close.isPending} autoFocus>
                {t('requests.cancel')}
              </Button>
              <Button
                variant="danger"
                isPending={close.isPending}
                onPress={() =>
                  close.mutate(id, {
                    onSuccess: () => {
                      closeDialog()
                      showToast({ tone: 'success', title: t('requests.closed') })
                    },
                  })
                }
              >
                {t('requests.closeNow')}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>
    </DialogTrigger>
  )
}
