import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { Button } from '../../ui/button'
import { showToast } from '../../ui/toast'
import { MessageView } from './message-view'
import styles from './priority-modal.module.css'
import { type OpenMessage, useMarkRead, usePriorityMessages } from './use-messages'
import { useNow } from '../../lib/use-now'

/**
 * S5, S18: unread high-priority messages, one after another, in front of everything, until
 * closed. Closing marks the message read, which closes it in the user's other tabs too
 * (their `message.read` event refreshes this list).
 */
export function PriorityMessages() {
  const priority = usePriorityMessages()
  const items = priority.data ?? []
  const current = items[0]
  if (!current) return null
  return (
    <PriorityModal
      key={current.detail.envelope.id}
      message={current}
      position={{ index: 1, count: items.length }}
    />
  )
}

function PriorityModal({
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
  const id = message.detail.envelope.id

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
            <Button variant="primary" onPress={close} autoFocus>
              {t('priority.close')}
            </Button>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  )
}
