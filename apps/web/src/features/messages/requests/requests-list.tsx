import type { RequestRow } from '@sealpost/core'
import { useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { useNow } from '../../../lib/use-now'
import { Badge } from '../../../ui/badge'
import { Button } from '../../../ui/button'
import { ConfirmAction } from '../../../ui/confirm-action'
import { EmptyState } from '../../../ui/empty-state'
import { CopyIcon, InboxIcon, PaperclipIcon, TrashIcon } from '../../../ui/icons'
import { RecordList, RecordRow, RecordTimes } from '../../../ui/record-list'
import recordStyles from '../../../ui/record-list.module.css'
import { showToast } from '../../../ui/toast'
import { useSignedIn } from '../../../lib/session/signed-in-context'
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
  const now = useNow()
  const newRequest = onCreate && <Button onPress={onCreate}>{t('requests.newRequest')}</Button>
  return (
    <RecordList
      query={useRequests()}
      loadingLabel={t('requests.loading')}
      errorText={(error) => t('requests.loadError', { reason: errorMessage(t, error) })}
      retryLabel={t('messages.retry')}
      empty={
        <EmptyState
          icon={<InboxIcon width="24" height="24" />}
          title={t('requests.emptyTitle')}
          action={newRequest}
        >
          {session.user.canRequestSecrets ? t('requests.empty') : t('requests.emptyNotAllowed')}
        </EmptyState>
      }
      listLabel={t('requests.listLabel')}
      header={newRequest && <div className={styles.toolbar}>{newRequest}</div>}
    >
      {(row) => <RequestItem key={row.summary.id} row={row} now={now} />}
    </RecordList>
  )
}

function RequestItem({ row, now }: { row: RequestRow; now: Date }) {
  const { t } = useTranslation()
  const titleId = useId()
  const { summary } = row
  const isComplete = summary.answers >= summary.maxAnswers
  const title = row.label ?? row.note

  return (
    <RecordRow
      titleId={titleId}
      title={
        title === null ? (
          <span className={recordStyles.unavailable}>{t('requests.noteUnavailable')}</span>
        ) : (
          <span className={recordStyles.label}>{title}</span>
        )
      }
      actions={
        <>
          {row.url && !isComplete && <CopyLink url={row.url} describedBy={titleId} />}
          <CloseRequest id={summary.id} describedBy={titleId} />
        </>
      }
    >
      {row.label && row.note && <p className={styles.note}>{row.note}</p>}
      <div className={recordStyles.facts}>
        <RecordTimes
          createdAt={summary.createdAt}
          expiresAt={summary.expiresAt}
          now={now}
          createdText={(when) => t('requests.created', { when })}
          expiresText={(when) => t('requests.expires', { when })}
        />
        <span className={recordStyles.count}>
          {t('requests.answers', {
            answers: String(summary.answers),
            maxAnswers: String(summary.maxAnswers),
          })}
        </span>
        {isComplete && <Badge tone="success">{t('requests.complete')}</Badge>}
        {summary.allowFiles && (
          <span className={recordStyles.files}>
            <PaperclipIcon aria-hidden="true" />
            {t('requests.filesAllowed')}
          </span>
        )}
      </div>
    </RecordRow>
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
    <ConfirmAction
      label={t('requests.closeNow')}
      icon={<TrashIcon />}
      title={t('requests.closeTitle')}
      body={t('requests.closeBody')}
      cancelLabel={t('requests.cancel')}
      describedBy={describedBy}
      className={recordStyles.danger}
      isPending={close.isPending}
      error={close.isError ? errorMessage(t, close.error) : null}
      onConfirm={(closeDialog) =>
        close.mutate(id, {
          onSuccess: () => {
            closeDialog()
            showToast({ tone: 'success', title: t('requests.closed') })
          },
        })
      }
    />
  )
}
