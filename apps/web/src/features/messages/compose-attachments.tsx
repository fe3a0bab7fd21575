import type { MessagingLimits } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DropZone, FileTrigger } from 'react-aria-components'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { CloseIcon, FileIcon, UploadIcon } from '../../ui/icons'
import styles from './compose-dialog.module.css'
import { formatBytes } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'

/**
 * S6: files to send, dropped or chosen, within the server's limits (per file and in all).
 * The list belongs to the compose form, so it survives switching tabs.
 */
export function ComposeAttachments({
  files,
  onFilesChange,
  limits,
  isDisabled,
}: {
  files: File[]
  onFilesChange: (files: File[]) => void
  limits: MessagingLimits
  isDisabled: boolean
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const [fileErrors, setFileErrors] = useState<string[]>([])

  function addFiles(added: File[]) {
    const problems: string[] = []
    const accepted = [...files]
    let total = accepted.reduce((sum, file) => sum + file.size, 0)
    for (const file of added) {
      if (file.size > limits.maxFileBytes) {
        problems.push(
          t('compose.errors.fileTooLarge', {
            name: file.name,
            size: formatBytes(file.size, locale),
            max: formatBytes(limits.maxFileBytes, locale),
          }),
        )
      } else if (total + file.size > limits.maxMessageBytes) {
        problems.push(
          t('compose.errors.filesTooLarge', {
            name: file.name,
            max: formatBytes(limits.maxMessageBytes, locale),
          }),
        )
      } else {
        accepted.push(file)
        total += file.size
      }
    }
    onFilesChange(accepted)
    setFileErrors(problems)
  }

  return (
    <div className={styles.attachments}>
      <DropZone
        className={styles.dropZone}
        isDisabled={isDisabled}
        aria-label={t('compose.dropZone')}
        onDrop={(event) =>
          void Promise.all(
            event.items.filter((item) => item.kind === 'file').map((item) => item.getFile()),
          ).then(addFiles)
        }
      >
        <UploadIcon className={styles.dropIcon} />
        {/* Its name is the aria-label alone, which starts with this text. */}
        <span className={styles.dropText}>{t('compose.dropFiles')}</span>
        <FileTrigger allowsMultiple onSelect={(list) => addFiles(list ? [...list] : [])}>
          <Button isDisabled={isDisabled}>{t('compose.chooseFiles')}</Button>
        </FileTrigger>
        <span className={styles.help}>
          {t('compose.fileLimits', {
            perFile: formatBytes(limits.maxFileBytes, locale),
            total: formatBytes(limits.maxMessageBytes, locale),
          })}
        </span>
      </DropZone>
      {fileErrors.map((problem) => (
        <Alert key={problem} tone="error">
          {problem}
        </Alert>
      ))}
      {files.length > 0 && (
        <ul className={styles.files} aria-label={t('compose.attachedFiles')}>
          {files.map((file, index) => (
            <li key={`${file.name}-${index}`} className={styles.file}>
              <FileIcon />
              <span className={styles.fileName}>{file.name}</span>
              <span className={styles.help}>{formatBytes(file.size, locale)}</span>
              <Button
                variant="quiet"
                isIconOnly
                isDisabled={isDisabled}
                aria-label={t('compose.removeFile', { name: file.name })}
                onPress={() => onFilesChange(files.filter((_, i) => i !== index))}
              >
                <CloseIcon />
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
