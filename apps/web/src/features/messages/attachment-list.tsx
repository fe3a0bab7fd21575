import {
  type AttachmentPlainRef,
  CryptoError,
  type OpenedMessage,
  downloadAttachment,
} from '@sealpost/core'
import { type ReactNode, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../api'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DownloadIcon, FileIcon } from '../../ui/icons'
import { ProgressMeter } from '../../ui/progress'
import { CopiedItems } from './vault-copy/copied-items'
import { copiedBlobIds } from './vault-copy/copy-tree'
import { useCopiedDownloads } from './vault-copy/use-copied-downloads'
import { formatBytes } from '../../lib/format'
import styles from './message-view.module.css'
import { saveFile } from '../../lib/save-file'
import { useLocale } from '../../lib/use-locale'

/**
 * S13: the copied vault items (as a tree, with their files) and the other files, by name and
 * size; each file is decrypted in the browser on download. `actions` go beside the title
 * (Save, S16–S17).
 */
export function AttachmentList({
  messageId,
  opened,
  actions,
}: {
  messageId: string
  opened: OpenedMessage
  actions?: ReactNode
}) {
  const { t } = useTranslation()
  const headingId = useId()
  const tree = opened.tree ?? []
  // Files of copied items show under their item; the rest are files sent as such.
  const inTree = copiedBlobIds(tree)
  const files = opened.attachments.filter((attachment) => !inTree.has(attachment.blobId))
  const count = tree.length + files.length
  if (count === 0) return null
  return (
    <section className={styles.section} aria-labelledby={headingId}>
      <div className={styles.sectionHeader}>
        <h3 id={headingId} className={styles.sectionTitle}>
          {t('messages.attachmentsTitle', { count })}
        </h3>
        {actions}
      </div>
      {tree.length > 0 && <MessageCopiedItems messageId={messageId} opened={opened} />}
      {files.length > 0 && (
        <ul className={styles.attachments}>
          {files.map((attachment) => (
            <AttachmentItem
              key={attachment.blobId}
              messageId={messageId}
              opened={opened}
              attachment={attachment}
            />
          ))}
        </ul>
      )}
    </section>
  )
}

function AttachmentItem({
  messageId,
  opened,
  attachment,
}: {
  messageId: string
  opened: OpenedMessage
  attachment: AttachmentPlainRef
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const [received, setReceived] = useState<number | null>(null)
  const [failure, setFailure] = useState<unknown>(null)
  const percent =
    received === null ? 0 : Math.round((received / Math.max(1, attachment.size)) * 100)

  async function download() {
    setFailure(null)
    setReceived(0)
    try {
      const bytes = await downloadAttachment(api, messageId, opened, attachment, setReceived)
      saveFile(bytes, attachment.name)
    } catch (error) {
      setFailure(error)
    } finally {
      setReceived(null)
    }
  }

  return (
    <li className={styles.attachment}>
      <div className={styles.attachmentLine}>
        <FileIcon className={styles.fileIcon} />
        <span className={styles.fileName}>{attachment.name}</span>
        <span className={styles.fileSize}>{formatBytes(attachment.size, locale)}</span>
        <Button
          onPress={() => void download()}
          isPending={received !== null}
          aria-label={t('messages.downloadFile', { name: attachment.name })}
        >
          <DownloadIcon />
          {t('messages.download')}
        </Button>
      </div>
      {received !== null && (
        <ProgressMeter
          label={t('messages.downloading', { percent: String(percent) })}
          percent={percent}
        />
      )}
      {failure !== null && (
        <Alert tone="error">
          {failure instanceof CryptoError
            ? t('messages.downloadTampered', { name: attachment.name })
            : t('messages.downloadFailed', {
                name: attachment.name,
                reason: errorMessage(t, failure),
              })}
        </Alert>
      )}
    </li>
  )
}

/** The copied items of a message, their files downloaded from its attachments. */
function MessageCopiedItems({ messageId, opened }: { messageId: string; opened: OpenedMessage }) {
  const downloads = useCopiedDownloads(messageId, opened)
  return <CopiedItems tree={opened.tree ?? []} downloads={downloads} />
}
