import type { DecryptedItem, OpenVault, SendProgress } from '@sealpost/core'
import { type KeyboardEvent, type ReactNode, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  Button as AriaButton,
  type DropItem,
  type DropTarget,
  type FileDropItem,
  GridList,
  GridListItem,
  type Key,
  type DragAndDropOptions,
} from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { PaperclipIcon } from '../../ui/icons'
import { ProgressMeter } from '../../ui/progress'
import { showToast } from '../../ui/toast'
import { formatBytes } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'
import { currentDrag, dragItem, droppedItem, ITEM_DRAG_TYPE } from './drag'
import { WithDragAndDrop } from './with-drag-and-drop'
import { ItemIcon } from '../../ui/item-icon'
import type { ItemDialogRequest } from './use-item-dialogs'
import { ItemMenu } from './item-menu'
import styles from './item-list.module.css'
import { useMoveItem, useSaveItem, useVaultLimits } from './use-vaults'
import { withQuery } from '../../lib/search'
import { vaultPath } from './vault-paths'
import { type SearchHit, type VaultTree, canMoveTo, childrenOf } from './vault-tree'

type ItemListProps = {
  vault: OpenVault
  tree: VaultTree<DecryptedItem>
  /** The folder (or entry, for sub-entries) shown; null: the vault root. */
  containerId: string | null
  /** Search results across the vault instead of one folder. */
  hits: SearchHit<DecryptedItem>[] | null
  query: string
  openId: string | null
  openDialog: (request: ItemDialogRequest) => void
  label: string
  empty: ReactNode
}

/**
 * The list pane: the items of one folder (or search results), folders first; each opens with
 * Enter or a click, drags onto a folder or entry (here or in the tree) to move, and takes
 * dropped files as new Document entries. Delete, F2 and Shift+F10 act on the focused row.
 */
export function ItemList({
  vault,
  tree,
  containerId,
  hits,
  query,
  openId,
  openDialog,
  label,
  empty,
}: ItemListProps) {
  const { t } = useTranslation()
  const locale = useLocale()
  const move = useMoveItem()
  const save = useSaveItem(vault)
  const limits = useVaultLimits()
  const [menuFor, setMenuFor] = useState<Key | null>(null)
  const [upload, setUpload] = useState<{ name: string; progress: SendProgress } | null>(null)
  const rows = hits ? hits.map((hit) => hit.item) : [...childrenOf(tree, containerId)]
  const paths = new Map(hits?.map((hit) => [hit.item.id, hit.path]) ?? [])
  const canDrop = vault.canWrite && hits === null
  const lookup = useRef({ tree, containerId })
  lookup.current = { tree, containerId }

  function dropOperation(target: DropTarget, types: { has: (type: string) => boolean }) {
    if (!vault.canWrite) return 'cancel' as const
    if (!types.has(ITEM_DRAG_TYPE)) {
      // Files from the desktop: new Document entries in the folder shown.
      return canDrop && target.type === 'root' ? ('copy' as const) : ('cancel' as const)
    }
    const drag = currentDrag.get()
    const { tree: current, containerId: here } = lookup.current
    const item = drag?.vaultId === vault.id ? current.byId.get(drag.itemId) : undefined
    if (!item) return 'cancel' as const
    if (target.type === 'root') {
      return canDrop && canMoveTo(current, item, here) ? ('move' as const) : ('cancel' as const)
    }
    if (target.dropPosition !== 'on') return 'cancel' as const
    return canMoveTo(current, item, String(target.key)) ? ('move' as const) : ('cancel' as const)
  }

  function moveTo(itemId: string, parentId: string | null) {
    const { tree: current } = lookup.current
    const item = current.byId.get(itemId)
    if (!item || !canMoveTo(current, item, parentId)) return
    const where =
      parentId === null ? vault.name : (current.byId.get(parentId)?.content.name ?? vault.name)
    move.mutate(
      { vault, item, parentId },
      {
        onSuccess: () =>
          showToast({
            tone: 'success',
            title: t('vault.moved', { name: item.content.name, where }),
          }),
        onError: (error) =>
          showToast({
            tone: 'error',
            title: t('vault.moveFailed', { name: item.content.name }),
            description: errorMessage(t, error),
          }),
      },
    )
  }

  async function addDocuments(files: FileDropItem[]) {
    const parentId = lookup.current.containerId
    for (const drop of files) {
      const file = await drop.getFile()
      if (limits.data && file.size > limits.data.maxFileBytes) {
        showToast({
          tone: 'error',
          title: t('vault.errors.fileTooLarge', {
            name: file.name,
            size: formatBytes(file.size, locale),
            max: formatBytes(limits.data.maxFileBytes, locale),
          }),
        })
        continue
      }
      setUpload({ name: file.name, progress: { sentBytes: 0, totalBytes: file.size } })
      try {
        await save.mutateAsync({
          parentId,
          kind: 'entry',
          content: { name: file.name, type: 'document', fields: [] },
          baseRevision: 0,
          newFiles: [
            {
              name: file.name,
              type: file.type,
              size: file.size,
              read: async (offset, length) =>
                new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
            },
          ],
          onProgress: (progress) => setUpload({ name: file.name, progress }),
        })
        showToast({ tone: 'success', title: t('vault.created', { name: file.name }) })
      } catch (error) {
        showToast({
          tone: 'error',
          title: t('vault.uploadFailed', { name: file.name }),
          description: errorMessage(t, error),
        })
      }
    }
    setUpload(null)
  }

  async function dropOnRoot(items: DropItem[]) {
    const dragged = await droppedItem(items)
    if (dragged) {
      if (dragged.vaultId === vault.id) moveTo(dragged.itemId, lookup.current.containerId)
      return
    }
    const files = items.filter((item): item is FileDropItem => item.kind === 'file')
    if (files.length > 0) await addDocuments(files)
  }

  const dragAndDrop: DragAndDropOptions = {
    getItems: (keys) =>
      vault.canWrite
        ? [...keys].flatMap((key) => {
            const item = lookup.current.tree.byId.get(String(key))
            return item ? [dragItem(vault.id, item)] : []
          })
        : [],
    getAllowedDropOperations: () => ['move'],
    onDragStart: (event) => {
      const [key] = [...event.keys]
      currentDrag.set(key === undefined ? null : { vaultId: vault.id, itemId: String(key) })
    },
    onDragEnd: () => currentDrag.set(null),
    getDropOperation: (target, types) => dropOperation(target, types),
    onItemDrop: (event) =>
      void droppedItem(event.items).then((dragged) => {
        if (dragged?.vaultId === vault.id) moveTo(dragged.itemId, String(event.target.key))
      }),
    onRootDrop: (event) => void dropOnRoot(event.items),
    renderDragPreview: (items) => (
      <div className={styles.dragPreview}>{items[0]?.['text/plain'] ?? ''}</div>
    ),
  }

  function onKeyDown(event: KeyboardEvent) {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[role="row"][data-key]')
    const key = row?.dataset.key
    const item = key ? tree.byId.get(key) : undefined
    if (!item || event.target !== row) return
    if (event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)) {
      event.preventDefault()
      setMenuFor(item.id)
    } else if (vault.canWrite && event.key === 'Delete') {
      event.preventDefault()
      openDialog({ kind: 'delete', vault, item })
    } else if (vault.canWrite && event.key === 'F2') {
      event.preventDefault()
      openDialog({ kind: 'rename', vault, item })
    }
  }

  const percent = upload
    ? Math.round((upload.progress.sentBytes / Math.max(1, upload.progress.totalBytes)) * 100)
    : 0

  return (
    <>
      {upload && (
        <div className={styles.upload}>
          <ProgressMeter
            label={t('vault.uploadingFile', { name: upload.name, percent: String(percent) })}
            percent={percent}
          />
        </div>
      )}
      {/* Keys the list itself does not use, for the focused row (they bubble up from it). */}
      <div className={styles.keys} onKeyDown={onKeyDown}>
        <WithDragAndDrop options={dragAndDrop}>
          {(dragAndDropHooks) => (
            <GridList
              aria-label={label}
              items={rows}
              // Rows show more than their item: its path, whether it is open, its menu.
              dependencies={[hits, openId, menuFor, tree, query]}
              className={styles.list}
              dragAndDropHooks={dragAndDropHooks}
              renderEmptyState={() => empty}
            >
              {(item) => {
                const path = paths.get(item.id)
                return (
                  <GridListItem
                    id={item.id}
                    href={withQuery(vaultPath(vault, item.id), query)}
                    textValue={item.content.name}
                    className={styles.row}
                    data-open={item.id === openId || undefined}
                  >
                    {({ allowsDragging }) => (
                      <>
                        {allowsDragging && vault.canWrite && (
                          <AriaButton slot="drag" className={styles.dragButton}>
                            ⠿
                          </AriaButton>
                        )}
                        <ItemIcon type={item.content.type} className={styles.icon} />
                        <div className={styles.text}>
                          <span className={styles.name} title={item.content.name}>
                            {item.content.name}
                          </span>
                          <span className={styles.meta}>
                            {path && path.length > 0 && (
                              <span className={styles.path}>
                                {path.map((p) => p.content.name).join(' › ')}
                                {' · '}
                              </span>
                            )}
                            <ItemSummary item={item} tree={tree} />
                          </span>
                        </div>
                        {item.kind === 'entry' &&
                          item.content.type !== 'document' &&
                          item.content.files.length > 0 && (
                            <span
                              className={styles.files}
                              title={t('vault.fileCount', { count: item.content.files.length })}
                            >
                              <PaperclipIcon />
                              <span className="visually-hidden">
                                {t('vault.fileCount', { count: item.content.files.length })}
                              </span>
                              <span aria-hidden="true">{item.content.files.length}</span>
                            </span>
                          )}
                        {item.id === openId && (
                          <span className="visually-hidden">{t('vault.current')}</span>
                        )}
                        <ItemMenu
                          vault={vault}
                          item={item}
                          openDialog={openDialog}
                          variant="row"
                          isOpen={menuFor === item.id}
                          onOpenChange={(isOpen) => setMenuFor(isOpen ? item.id : null)}
                        />
                      </>
                    )}
                  </GridListItem>
                )
              }}
            </GridList>
          )}
        </WithDragAndDrop>
      </div>
    </>
  )
}

/** The line under a name: what kind of item, and what is in it. */
function ItemSummary({ item, tree }: { item: DecryptedItem; tree: VaultTree<DecryptedItem> }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const children = childrenOf(tree, item.id).length
  if (item.kind === 'folder') return <>{t('vault.itemCount', { count: children })}</>
  const { content } = item
  const parts: string[] = []
  if (content.type === 'credential') parts.push(content.username || t('vault.types.credential'))
  if (content.type === 'note') parts.push(t('vault.types.note'))
  if (content.type === 'document') {
    const file = content.files[0]
    parts.push(file ? `${file.name}, ${formatBytes(file.size, locale)}` : t('vault.types.document'))
  }
  if (children > 0) parts.push(t('vault.subEntryCount', { count: children }))
  return <>{parts.join(' · ')}</>
}
