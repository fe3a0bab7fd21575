import type { CopiedItem } from '@sealpost/core'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  Button as AriaButton,
  type Key,
  Tree,
  TreeItem,
  TreeItemContent,
} from 'react-aria-components'
import { Button } from '../../../ui/button'
import { DownloadIcon, FileIcon } from '../../../ui/icons'
import { ChevronRightIcon } from '../../../ui/item-icons'
import { formatBytes } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { ItemIcon } from '../../../ui/item-icon'
import { CopiedItemDialog } from './copied-item-dialog'
import styles from './copied-items.module.css'
import { type CopiedRow, copiedRows, flattenRows, rowDetails } from './copy-tree'
import type { CopiedDownloads } from './use-copied-downloads'

/** Above this many rows only the top level opens expanded; the rest is a click away. */
const EXPAND_ALL_UP_TO = 60

/**
 * S13, S21: the folders and entries a message or a shareable link carries, as a tree with their
 * files; an entry opens read-only, a file downloads (through `downloads`: a message's
 * attachments, or the bytes a link opened with). In a message the copy is the recipient's to
 * read; Save keeps it (S16, S17).
 */
export function CopiedItems({
  tree,
  downloads,
  readOnlyNote,
}: {
  tree: readonly CopiedItem[]
  downloads: CopiedDownloads
  /** What the open entry says about where it comes from; a message's words unless told. */
  readOnlyNote?: string
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const rows = useMemo(() => copiedRows(tree), [tree])
  const all = useMemo(() => flattenRows(rows), [rows])
  const [expanded, setExpanded] = useState<Set<Key>>(
    () =>
      new Set(
        (all.length <= EXPAND_ALL_UP_TO ? all : rows)
          .filter((row) => row.children.length > 0)
          .map((row) => row.id),
      ),
  )
  const [openItem, setOpenItem] = useState<CopiedItem | null>(null)

  function act(key: Key) {
    const row = all.find((r) => r.id === key)
    if (!row) return
    if (row.kind === 'file') void downloads.download(row.file.blobId, row.file.name)
    else if (row.kind === 'entry') setOpenItem(row.item)
    else {
      setExpanded((keys) => {
        const next = new Set(keys)
        if (next.has(row.id)) next.delete(row.id)
        else next.add(row.id)
        return next
      })
    }
  }

  function render(row: CopiedRow) {
    const name = row.kind === 'file' ? row.file.name : row.item.content.name
    const percent = row.kind === 'file' ? downloads.progress.get(row.file.blobId) : undefined
    const details =
      row.kind === 'file' ? formatBytes(row.file.size, locale) : rowDetails(t, row.summary, locale)
    return (
      <TreeItem
        key={row.id}
        id={row.id}
        textValue={name}
        // The row is read by its name with what it is and holds: "web, Credential · 1 file, 3 kB".
        aria-label={`${name}, ${details}`}
        className={styles.row}
        data-kind={row.kind}
      >
        <TreeItemContent>
          {({ hasChildItems, isExpanded }) => (
            <div className={styles.content}>
              {hasChildItems ? (
                <AriaButton slot="chevron" className={styles.chevron}>
                  <ChevronRightIcon data-expanded={isExpanded || undefined} />
                </AriaButton>
              ) : (
                <span className={styles.spacer} />
              )}
              <span className={styles.icon}>
                {row.kind === 'file' ? <FileIcon /> : <ItemIcon type={row.item.content.type} />}
              </span>
              <span className={styles.text}>
                <span className={styles.name}>{name}</span>
                <span className={styles.meta}>
                  {percent === undefined
                    ? details
                    : t('messages.downloading', { percent: String(percent) })}
                </span>
              </span>
              {row.kind === 'entry' && (
                <Button
                  variant="quiet"
                  className={styles.action}
                  aria-label={t('vaultCopy.openItem', { name })}
                  onPress={() => setOpenItem(row.item)}
                >
                  {t('vaultCopy.open')}
                </Button>
              )}
              {row.kind === 'file' && (
                <Button
                  variant="quiet"
                  className={styles.action}
                  isPending={percent !== undefined}
                  aria-label={t('messages.downloadFile', { name })}
                  onPress={() => void downloads.download(row.file.blobId, row.file.name)}
                >
                  <DownloadIcon />
                  <span className={styles.actionText}>{t('messages.download')}</span>
                </Button>
              )}
            </div>
          )}
        </TreeItemContent>
        {row.children.map(render)}
      </TreeItem>
    )
  }

  return (
    <>
      <Tree
        aria-label={t('vaultCopy.itemsLabel')}
        className={styles.tree}
        expandedKeys={expanded}
        onExpandedChange={setExpanded}
        onAction={act}
      >
        {rows.map(render)}
      </Tree>
      {openItem && (
        <CopiedItemDialog
          item={openItem}
          downloads={downloads}
          readOnlyNote={readOnlyNote}
          onClose={() => setOpenItem(null)}
        />
      )}
    </>
  )
}
