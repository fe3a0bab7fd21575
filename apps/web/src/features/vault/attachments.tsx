import {
  CryptoError,
  type DecryptedItem,
  type ItemFileMeta,
  type MessagingLimits,
  type OpenVault,
  downloadItemFile,
} from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DropZone, FileTrigger, Text } from 'react-aria-components'
import { api } from '../../api'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { EntryList, EntrySection } from '../../ui/entry-view'
import { CloseIcon, DownloadIcon, FileIcon, UploadIcon } from '../../ui/icons'
import { ProgressMeter } from '../../ui/progress'
import { formatBytes } from '../../lib/format'
import { saveFile } from '../../lib/save-file'
import { useLocale } from '../../lib/use-locale'
import styles from './attachments.module.css'

/** A file the item keeps: what the server stores (chunks) plus its sealed name and type. */
export type KeptFile = ItemFileMeta & { chunkCount: number }

/** The item's files with everything saveItem needs to keep them. */
export function keptFilesOf(item: DecryptedItem): KeptFile[] {
  return item.content.files.flatMap((meta) => {
    const stored = item.files.find((f) => f.blobId === meta.blobId)
    return stored ? [{ ...meta, chunkCount: stored.chunkCount }] : []
  })
}

/**
 * Files of an entry being edited: the ones it keeps, and new ones dropped or chosen, within
 * the server's limits (per file, and for the new files together). `max` 1 for a Document.
 */
export function AttachmentEditor({
  kept,
  onKeptChange,
  added,
  onAddedChange,
  limits,
  max,
  label,
  isDisabled,
}: {
  kept: KeptFile[]
  onKeptChange: (files: KeptFile[]) => void
  added: File[]
  onAddedChange: (files: File[]) => void
  limits: MessagingLimits | undefined
  max: number
  label: string
  isDisabled: boolean
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const [problems, setProblems] = useState<string[]>([])
  const count = kept.length + added.length
  const isFull = count >= max

  function add(files: File[]) {
    const found: string[] = []
    const accepted = [...added]
    let total = accepted.reduce((sum, f) => sum + f.size, 0)
    for (const file of files) {
      if (kept.length + accepted.length >= max) {
        found.push(t('vault.errors.oneFile', { name: file.name }))
      } else if (limits && file.size > limits.maxFileBytes) {
        found.push(
          t('vault.errors.fileTooLarge', {
            name: file.name,
            size: formatBytes(file.size, locale),
            max: formatBytes(limits.maxFileBytes, locale),
          }),
        )
      } else if (limits && total + file.size > limits.maxMessageBytes) {
        found.push(
          t('vault.errors.filesTooLarge', {
            name: file.name,
            max: formatBytes(limits.maxMessageBytes, locale),
          }),
        )
      } else {
        accepted.push(file)
        total += file.size
      }
    }
    onAddedChange(accepted)
    setProblems(found)
  }

  return (
    <EntrySection title={label}>
      {count > 0 && (
        <EntryList>
          {kept.map((file) => (
            <li key={file.blobId} className={styles.file}>
              <FileIcon />
              <span className={styles.fileName}>{file.name}</span>
              <span className={styles.muted}>{formatBytes(file.size, locale)}</span>
              <Button
                variant="quiet"
                isIconOnly
                isDisabled={isDisabled}
                aria-label={t('vault.removeFile', { name: file.name })}
                onPress={() => onKeptChange(kept.filter((f) => f.blobId !== file.blobId))}
              >
                <CloseIcon />
              </Button>
            </li>
          ))}
          {added.map((file, index) => (
            <li key={`${file.name}-${index}`} className={styles.file}>
              <FileIcon />
              <span className={styles.fileName}>{file.name}</span>
              <span className={styles.muted}>
                {t('vault.newFile', { size: formatBytes(file.size, locale) })}
              </span>
              <Button
                variant="quiet"
                isIconOnly
                isDisabled={isDisabled}
                aria-label={t('vault.removeFile', { name: file.name })}
                onPress={() => onAddedChange(added.filter((_, i) => i !== index))}
              >
                <CloseIcon />
              </Button>
            </li>
          ))}
        </EntryList>
      )}
      {!isFull && (
        <DropZone
          className={styles.dropZone}
          isDisabled={isDisabled}
          onDrop={(event) =>
            void Promise.all(
              event.items.filter((item) => item.kind === 'file').map((item) => item.getFile()),
            ).then(add)
          }
        >
          <UploadIcon className={styles.muted} />
          <Text slot="label" className={styles.dropText}>
            {max === 1 ? t('vault.dropFile') : t('vault.dropFiles')}
          </Text>
          <FileTrigger allowsMultiple={max > 1} onSelect={(list) => add(list ? [...list] : [])}>
            <Button isDisabled={isDisabled}>
              {max === 1 ? t('vault.chooseFile') : t('vault.chooseFiles')}
            </Button>
          </FileTrigger>
          {limits && (
            <span className={styles.help}>
              {t('vault.fileLimit', { max: formatBytes(limits.maxFileBytes, locale) })}
            </span>
          )}
        </DropZone>
      )}
      {problems.map((problem) => (
        <Alert key={problem} tone="error">
          {problem}
        </Alert>
      ))}
    </EntrySection>
  )
}

/** The entry's files, each decrypted here on download, with progress. */
export function AttachmentDownloads({
  vault,
  item,
  title,
}: {
  vault: OpenVault
  item: DecryptedItem
  title: string
}) {
  const files = keptFilesOf(item)
  if (files.length === 0) return null
  return (
    <EntrySection title={title}>
      <EntryList>
        {files.map((file) => (
          <DownloadRow key={file.blobId} vault={vault} itemId={item.id} file={file} />
        ))}
      </EntryList>
    </EntrySection>
  )
}

function DownloadRow({
  vault,
  itemId,
  file,
}: {
  vault: OpenVault
  itemId: string
  file: KeptFile
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const [received, setReceived] = useState<number | null>(null)
  const [failure, setFailure] = useState<unknown>(null)
  const percent = received === null ? 0 : Math.round((received / Math.max(1, file.size)) * 100)

  async function download() {
    setFailure(null)
    setReceived(0)
    try {
      const bytes = await downloadItemFile(api, vault, itemId, file, setReceived)
      saveFile(bytes, file.name)
    } catch (error) {
      setFailure(error)
    } finally {
      setReceived(null)
    }
  }

  return (
    <li className={styles.download}>
      <div className={styles.line}>
        <FileIcon className={styles.muted} />
        <span className={styles.fileName}>{file.name}</span>
        <span className={styles.muted}>{formatBytes(file.size, locale)}</span>
        <Button
          onPress={() => void download()}
          isPending={received !== null}
          aria-label={t('vault.downloadFile', { name: file.name })}
        >
          <DownloadIcon />
          {t('vault.download')}
        </Button>
      </div>
      {received !== null && (
        <ProgressMeter
          label={t('vault.downloading', { percent: String(percent) })}
          percent={percent}
        />
      )}
      {failure !== null && (
        <Alert tone="error">
          {failure instanceof CryptoError
            ? t('vault.downloadTampered', { name: file.name })
            : t('vault.downloadFailed', { name: file.name, reason: errorMessage(t, failure) })}
        </Alert>
      )}
    </li>
  )
}
