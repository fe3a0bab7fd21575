import { replySubject } from '@sealpost/core'
import { useEffect, useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components'
import { useNavigate } from 'react-router'
import { errorMessage } from '../../i18n/error-message'
import { Button } from '../../ui/button'
import { InboxIcon, ReplyIcon } from '../../ui/icons'
import { showToast } from '../../ui/toast'
import { useSignedIn } from '../../lib/session/signed-in-context'
import type { ComposeDraft } from './compose-draft'
import { MessageView } from './message-view'
import styles from './priority-modal.module.css'
import { type OpenMessage, reportReceipt, useMarkRead } from './use-messages'
import { useNow } from '../../lib/use-now'

/** One high-priority message in front of everything (see PriorityMessages). */
export function PriorityModal({
  message,
  position,
}: {
  message: OpenMessage
  position: { index: number; count: number }
}) {
  const { t } = useTranslation()
  const headingId = useId()
  const now = useNow()
  const markRead = useMarkRead()
  const navigate = useNavigate()
  const { session } = useSignedIn()
  const id = message.detail.envelope.id
  const { opened, detail } = message
  const sender = detail.sender
  // As in the reading pane (S14): a verified message from a user, when I may send.
  const canReply =
    session.user.canSendMessages && opened !== null && !('request' in opened) && sender !== null

  // Shown opened in front of everything: its sender learns that it was opened.
  const isReceived = opened !== null && sender !== null
  useEffect(() => {
    if (isReceived) reportReceipt(id, 'opened')
  }, [id, isReceived])

  function close() {
    markRead.mutate(id, {
      onError: (error) =>
        showToast({
          tone: 'error',
          title: t('messages.markReadFailed'),
          description: errorMessage(t, error),
        }),
    })
  }

  /** Closes this popup (marking it read) and shows the message in the inbox. */
  function openInInbox(compose?: ComposeDraft) {
    close()
    void navigate(`/messages/${id}`, compose ? { state: { compose } } : undefined)
  }

  function reply() {
    if (!opened || !sender) return
    openInInbox({
      recipientIds: [sender.id],
      subject: replySubject(opened.subject),
      body: '',
      replyTo: id,
      originalExpiresAt: message.detail.envelope.expiresAt,
    })
  }

  return (
    <ModalOverlay
      isOpen
      isDismissable={false}
      onOpenChange={(isOpen) => {
        if (!isOpen) close()
      }}
      className={styles.overlay}
    >
      <Modal className={styles.modal}>
        <Dialog className={styles.dialog}>
          <div className={styles.banner}>
            <Heading slot="title" className={styles.title}>
              {t('priority.title')}
            </Heading>
            {position.count > 1 && (
              <span className={styles.count}>
                {t('priority.position', { index: String(position.index), count: position.count })}
              </span>
            )}
          </div>
          <div className={styles.content}>
            <MessageView
              message={message}
              now={now}
              headingId={headingId}
              headingLevel={3}
              showPriority={false}
            />
          </div>
          <div className={styles.actions}>
            {canReply && (
              <Button onPress={reply}>
                <ReplyIcon />
                {t('messages.reply')}
              </Button>
            )}
            <Button onPress={() => openInInbox()}>
              <InboxIcon />
              {t('priority.openInInbox')}
            </Button>
            <Button variant="primary" onPress={close} autoFocus>
              {t('priority.close')}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  )
}
