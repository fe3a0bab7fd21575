import { ApiError, answerToSave, envelopeFacts, replySubject } from '@sealpost/core'
import { useEffect, useId } from 'react'
import { useTranslation } from 'react-i18next'
import { DialogTrigger, Link } from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { EmptyState } from '../../ui/empty-state'
import { ArrowLeftIcon, CloseIcon, InboxIcon, LinkIcon, ReplyIcon, TrashIcon } from '../../ui/icons'
import { Skeleton } from '../../ui/skeleton'
import { showToast } from '../../ui/toast'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { useVaultSlot } from '../../lib/slots'
import type { ComposeDraft } from './compose-draft'
import { exactTime, relativeTime } from '../../lib/format'
import { MessageView } from './message-view'
import styles from './reading-pane.module.css'
import {
  type OpenMessage,
  reportReceipt,
  useDeleteMessage,
  useMarkRead,
  useMessage,
} from './use-messages'
import { useLocale } from '../../lib/use-locale'
import { useNow } from '../../lib/use-now'
import { useShortcuts } from './use-shortcuts'

type ReadingPaneProps = {
  id: string
  /** Where Back and Close return to: the inbox or the sent list. */
  listLabel: string
  onReply: (draft: ComposeDraft) => void
  /** Leaves the message (back to the list); the pane decides whether to mark it read first. */
  onLeave: () => void
}

/** The open message (S13) with Reply (S14), Close (S15) and Delete. */
export function ReadingPane(props: ReadingPaneProps) {
  const { t } = useTranslation()
  const message = useMessage(props.id)
  const onLeave = props.onLeave
  useShortcuts({ Escape: message.data ? undefined : onLeave })

  if (message.isPending) {
    return (
      <div className={styles.pane} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('messages.opening')}
        </span>
        <Skeleton width="60%" height="1.5em" />
        <Skeleton width="40%" />
        <Skeleton height="8em" />
      </div>
    )
  }
  if (message.isError) {
    const isGone = message.error instanceof ApiError && message.error.status === 404
    return (
      <div className={styles.pane}>
        <BackButton label={props.listLabel} onPress={onLeave} />
        {isGone ? (
          <EmptyState icon={<InboxIcon />} title={t('messages.goneTitle')}>
            {t('messages.goneBody')}
          </EmptyState>
        ) : (
          <Alert tone="error">
            {t('messages.openError', { reason: errorMessage(t, message.error) })}
            <Button onPress={() => void message.refetch()}>{t('messages.retry')}</Button>
          </Alert>
        )}
      </div>
    )
  }
  return <OpenedMessagePane {...props} message={message.data} />
}

function BackButton({ label, onPress }: { label: string; onPress: () => void }) {
  const { t } = useTranslation()
  return (
    <Button variant="quiet" className={styles.back} onPress={onPress}>
      <ArrowLeftIcon />
      {t('messages.backTo', { list: label })}
    </Button>
  )
}

function OpenedMessagePane({
  message,
  listLabel,
  onReply,
  onLeave,
}: ReadingPaneProps & { message: OpenMessage }) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const { SaveActions } = useVaultSlot()
  const headingId = useId()
  const now = useNow()
  const markRead = useMarkRead()
  const { detail, opened } = message
  const facts = envelopeFacts(detail.envelope)
  const id = facts.id
  const sender = detail.sender
  const isSender = facts.senderId === session.user.id
  const isRecipient = facts.recipientIds.includes(session.user.id)
  // An answer from outside has no account to reply to: the reply goes by shareable link.
  const answer = opened && 'request' in opened ? opened : null
  const canReply = session.user.canSendMessages && opened !== null && !isSender && sender !== null
  const canReplyByLink = answer !== null && session.user.canCreateLinks
  // S16, S17: only what verified can be saved (opened is null otherwise), until it expires;
  // an answer is saved as one entry holding its text and files.
  const toSave = answer ? answerToSave(answer) : opened
  const expiresAt = facts.expiresAt
  const canSave =
    toSave !== null &&
    isRecipient &&
    (expiresAt === null || Date.parse(expiresAt) > now.getTime()) &&
    (toSave.attachments.length > 0 || (toSave.tree?.length ?? 0) > 0)

  // Its sender learns that it was opened: once a member's message verified and opened here.
  const isReceived = isRecipient && sender !== null && opened !== null
  useEffect(() => {
    if (isReceived) reportReceipt(id, 'opened')
  }, [id, isReceived])

  /** S15: Close marks the message read; the dot and the tint follow everywhere. */
  function close() {
    if (isRecipient && detail.readAt === null) {
      markRead.mutate(id, {
        onError: (error) =>
          showToast({
            tone: 'error',
            title: t('messages.markReadFailed'),
            description: errorMessage(t, error),
          }),
      })
    }
    onLeave()
  }

  useShortcuts({ Escape: close })

  return (
    <article className={styles.pane} aria-labelledby={headingId}>
      <div className={styles.toolbar}>
        <BackButton label={listLabel} onPress={close} />
        <div className={styles.actions}>
          {canReply && opened && sender && (
            <Button
              onPress={() =>
                onReply({
                  recipientIds: [sender.id],
                  subject: replySubject(opened.subject),
                  body: '',
                  replyTo: id,
                  originalExpiresAt: facts.expiresAt,
                })
              }
            >
              <ReplyIcon />
              {t('messages.reply')}
            </Button>
          )}
          {canReplyByLink && (
            <Button
              onPress={() =>
                onReply({
                  recipientIds: [],
                  subject: replySubject(answer.subject),
                  body: '',
                  replyTo: null,
                  originalExpiresAt: facts.expiresAt,
                  mode: 'link',
                })
              }
            >
              <LinkIcon />
              {t('requests.replyByLink')}
            </Button>
          )}
          <Button onPress={close}>
            <CloseIcon />
            {t('messages.close')}
          </Button>
          <DeleteMessage id={id} isSender={isSender} onDeleted={onLeave} />
        </div>
      </div>
      <MessageView
        message={message}
        now={now}
        headingId={headingId}
        attachmentActions={
          canSave && toSave ? (
            <SaveActions
              messageId={id}
              opened={toSave}
              onSaved={() => reportReceipt(id, 'saved')}
            />
          ) : undefined
        }
      />
      {detail.recipients && <RecipientStates message={message} now={now} />}
      <Thread message={message} now={now} />
    </article>
  )
}

/** Sender only: each recipient's receipts — delivered, opened, closed, saved, replied, removed. */
function RecipientStates({ message, now }: { message: OpenMessage; now: Date }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const headingId = useId()
  const recipients = message.detail.recipients ?? []
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.sectionTitle}>
        {t('messages.recipientsTitle')}
      </h3>
      <ul className={styles.recipients}>
        {recipients.map((recipient) => {
          const steps = RECEIPT_STEPS.flatMap((step) => {
            const at = recipient[step.field]
            return at === null ? [] : [{ key: step.key, at }]
          })
          return (
            <li key={recipient.id} className={styles.recipient}>
              <span className={styles.recipientName}>
                {recipient.displayName} <span className={styles.muted}>{recipient.username}</span>
              </span>
              <ol
                className={styles.receipts}
                aria-label={t('messages.receiptsOf', { name: recipient.displayName })}
              >
                {steps.map((step) => (
                  <li
                    key={step.key}
                    className={step.key === 'delivered' ? styles.muted : styles.read}
                  >
                    <span title={exactTime(step.at, locale)}>
                      {t(`messages.receipt.${step.key}`, {
                        when: relativeTime(step.at, now, locale),
                      })}
                    </span>
                  </li>
                ))}
                {recipient.openedAt === null && recipient.readAt === null && (
                  <li className={styles.muted}>{t('messages.notOpenedYet')}</li>
                )}
              </ol>
            </li>
          )
        })}
      </ul>
    </section>
  )
}

const RECEIPT_STEPS = [
  { key: 'delivered', field: 'deliveredAt' },
  { key: 'opened', field: 'openedAt' },
  { key: 'closed', field: 'readAt' },
  { key: 'saved', field: 'savedAt' },
  { key: 'replied', field: 'repliedAt' },
  { key: 'removed', field: 'removedAt' },
] as const

/** S14: the other messages of the conversation, oldest first, each one a link. */
function Thread({ message, now }: { message: OpenMessage; now: Date }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { session } = useSignedIn()
  const headingId = useId()
  const { thread } = message.detail
  const envelope = envelopeFacts(message.detail.envelope)
  if (thread.length === 0) return null
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <h3 id={headingId} className={styles.sectionTitle}>
        {t('messages.threadTitle')}
      </h3>
      <ul className={styles.thread}>
        {thread.map((item) => {
          const mine = item.sender.id === session.user.id
          return (
            <li key={item.id}>
              <Link
                className={styles.threadLink}
                href={mine ? `/messages/sent/${item.id}` : `/messages/${item.id}`}
              >
                {t('messages.threadItem', {
                  name: mine ? t('messages.you') : item.sender.displayName,
                  when: relativeTime(item.sentAt, now, locale),
                })}
              </Link>
              {item.id === envelope.replyTo && (
                <span className={styles.muted}> · {t('messages.repliedTo')}</span>
              )}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

function DeleteMessage({
  id,
  isSender,
  onDeleted,
}: {
  id: string
  isSender: boolean
  onDeleted: () => void
}) {
  const { t } = useTranslation()
  const remove = useDeleteMessage()
  const label = isSender ? t('messages.deleteForEveryone') : t('messages.removeFromInbox')
  return (
    <DialogTrigger>
      <Button variant="quiet" className={styles.danger}>
        <TrashIcon />
        {label}
      </Button>
      <ModalDialog
        title={isSender ? t('messages.deleteTitle') : t('messages.removeTitle')}
        role="alertdialog"
      >
        {(closeDialog) => (
          <>
            <p>{isSender ? t('messages.deleteBody') : t('messages.removeBody')}</p>
            {remove.isError && <Alert tone="error">{errorMessage(t, remove.error)}</Alert>}
            <DialogActions>
              <Button onPress={closeDialog} isDisabled={remove.isPending}>
                {t('messages.cancel')}
              </Button>
              <Button
                variant="danger"
                isPending={remove.isPending}
                onPress={() =>
                  remove.mutate(id, {
                    onSuccess: () => {
                      closeDialog()
                      showToast({
                        tone: 'success',
                        title: isSender ? t('messages.deleted') : t('messages.removed'),
                      })
                      onDeleted()
                    },
                  })
                }
              >
                {label}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>
    </DialogTrigger>
  )
}
