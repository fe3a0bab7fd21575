import type { CopiedItem } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { ArrowLeftIcon, DownloadIcon, FileIcon } from '../../../ui/icons'
import { ProgressMeter } from '../../../ui/progress'
import { EntryHeader, EntryList, EntrySection, EntryValueList } from '../../../ui/entry-view'
import { formatBytes } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { ItemIcon } from '../../../ui/item-icon'
import styles from './copied-item-dialog.module.css'
import { rowDetails, summarizeCopied } from './copy-tree'
import type { CopiedDownloads } from './use-copied-downloads'

/**
 * A copied entry opened read-only (S13): its fields (secrets hidden until shown, copies clear
 * after 30 s), notes, files to download, and its sub-entries, each of which opens here too.
 */
export function CopiedItemDialog({
  item,
  downloads,
  readOnlyNote,
  onClose,
}: {
  item: CopiedItem
  downloads: CopiedDownloads
  /** Where the copy comes from, under its name; a message's words unless told. */
  readOnlyNote?: string | undefined
  onClose: () => void
}) {
  const { t } = useTranslation()
  // Sub-entries open in place; Back returns to the entry above.
  const [path, setPath] = useState<CopiedItem[]>([item])
  const current = path[path.length - 1] ?? item
  const parent = path.length > 1 ? path[path.length - 2] : undefined
  return (
    <ModalDialog
      title={current.content.name}
      isOpen
      onOpenChange={(isOpen) => {
        if (!isOpen) onClose()
      }}
    >
      {(close) => (
        <>
          {parent && (
            <div>
              <Button variant="quiet" onPress={() => setPath((p) => p.slice(0, -1))}>
                <ArrowLeftIcon />
                {t('vaultCopy.backTo', { name: parent.content.name })}
              </Button>
            </div>
          )}
          <CopiedItemView
            key={path.length}
            item={current}
            downloads={downloads}
            readOnlyNote={readOnlyNote}
            onOpen={(sub) => setPath((p) => [...p, sub])}
          />
          <DialogActions>
            <Button variant="primary" onPress={close}>
              {t('vaultCopy.close')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}

function CopiedItemView({
  item,
  downloads,
  readOnlyNote,
  onOpen,
}: {
  item: CopiedItem
  downloads: CopiedDownloads
  readOnlyNote: string | undefined
  onOpen: (item: CopiedItem) => void
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { content } = item
  return (
    <div className={styles.view}>
      <EntryHeader icon={<ItemIcon type={content.type} />} isCompact as="div">
        <span className={styles.muted}>{rowDetails(t, summarizeCopied(item), locale)}</span>
        <span className={styles.muted}>{readOnlyNote ?? t('vaultCopy.readOnly')}</span>
      </EntryHeader>

      <EntryValueList content={content} />

      {content.files.length > 0 && (
        <EntrySection title={t('vaultCopy.files')}>
          <EntryList>
            {content.files.map((file) => {
              const percent = downloads.progress.get(file.blobId)
              return (
                <li key={file.blobId} className={styles.file}>
                  <div className={styles.fileLine}>
                    <FileIcon className={styles.muted} />
                    <span className={styles.fileName}>{file.name}</span>
                    <span className={styles.muted}>{formatBytes(file.size, locale)}</span>
                    <Button
                      isPending={percent !== undefined}
                      aria-label={t('messages.downloadFile', { name: file.name })}
                      onPress={() => void downloads.download(file.blobId, file.name)}
                    >
                      <DownloadIcon />
                      {t('messages.download')}
                    </Button>
                  </div>
                  {percent !== undefined && (
                    <ProgressMeter
                      label={t('messages.downloading', { percent: String(percent) })}
                      percent={percent}
                    />
                  )}
                </li>
              )
            })}
          </EntryList>
        </EntrySection>
      )}

      {item.children.length > 0 && (
        <EntrySection
          title={item.kind === 'folder' ? t('vaultCopy.contents') : t('vaultCopy.subEntries')}
        >
          <EntryList>
            {item.children.map((child, index) => (
              <li key={`${child.content.name}-${index}`}>
                <Button
                  variant="quiet"
                  className={styles.subEntry}
                  aria-label={t('vaultCopy.openItem', { name: child.content.name })}
                  onPress={() => onOpen(child)}
                >
                  <ItemIcon type={child.content.type} className={styles.muted} />
                  {child.content.name}
                </Button>
              </li>
            ))}
          </EntryList>
        </EntrySection>
      )}
    </div>
  )
}
