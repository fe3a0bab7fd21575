import type { DecryptedItem, OpenVault } from '@sealpost/core'
import {
  type KeyboardEvent,
  type ReactNode,
  Suspense,
  lazy,
  useEffect,
  useRef,
  useState,
} from 'react'
import { useTranslation } from 'react-i18next'
import { withAppStrings } from '../../i18n'
import {
  Button as AriaButton,
  type DropTarget,
  type DroppableCollectionOnItemDropEvent,
  type Key,
  Link,
  MenuTrigger,
  Tree,
  TreeItem,
  TreeItemContent,
  type DragAndDropOptions,
} from 'react-aria-components'
import { useLocation } from 'react-router'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { AlertIcon, MoreIcon, VaultIcon } from '../../ui/icons'
import { ChevronRightIcon, PlusIcon, SharedVaultIcon } from '../../ui/item-icons'
import { Menu, MenuItem } from '../../ui/menu'
import { Skeleton } from '../../ui/skeleton'
import { showToast } from '../../ui/toast'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { currentDrag, dragItem, droppedItem, ITEM_DRAG_TYPE } from './drag'
import { WithDragAndDrop } from './with-drag-and-drop'
import { ItemIcon } from '../../ui/item-icon'
import { type ItemDialogRequest, useItemDialogs } from './use-item-dialogs'
import { ItemMenu } from './item-menu'
import menuStyles from './item-menu.module.css'
import { useAllVaultItems, useMoveItem, useVaults } from './use-vaults'
import styles from './vault-navigation.module.css'
import { parseVaultPath, vaultPath } from './vault-paths'
import { type VaultTree, ancestorsOf, canMoveTo, childrenOf } from './vault-tree'

// Opened from the pane's menus only: they load when first opened (issue 15).
const VaultMembersDialog = lazy(async () => ({
  default: (await withAppStrings(import('./shared-vaults/vault-members-dialog')))
    .VaultMembersDialog,
}))
const NewSharedVaultDialog = lazy(async () => ({
  default: (await withAppStrings(import('./shared-vaults/new-shared-vault-dialog')))
    .NewSharedVaultDialog,
}))

const vaultKey = (vaultId: string) => `vault:${vaultId}`

type Node = { vault: OpenVault; item: DecryptedItem | null }

/** "My vault" or "Shared: Ops", as the navigation names a vault. */
export function useVaultLabel(): (vault: OpenVault) => string {
  const { t } = useTranslation()
  return (vault) =>
    vault.kind === 'user' ? t('vault.myVault') : t('vault.sharedName', { name: vault.name })
}

/**
 * The navigation pane's vault switcher and tree (UI.md): every vault, its folders, entries and
 * sub-entries; arrows move, Right/Left expand and collapse, Enter opens, Delete asks to
 * delete, F2 renames, Shift+F10 opens the *More* menu; drag an item onto a folder, an entry or
 * a vault to move it there. Narrow screens get plain vault links: the list pane navigates.
 */
export function VaultNavigation({
  linkClassName,
  listClassName,
  headingClassName,
}: {
  linkClassName?: string
  listClassName?: string
  headingClassName?: string
}) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const vaults = useVaults()
  const label = useVaultLabel()
  const { pathname } = useLocation()
  const here = parseVaultPath(pathname)
  const isAdmin = session.user.role === 'admin'
  const [isCreating, setCreating] = useState(false)
  const list = vaults.data ?? []
  const currentVaultId =
    here === null ? null : (here.vaultId ?? list.find((v) => v.kind === 'user')?.id ?? null)

  return (
    <>
      <h2 className={headingClassName} id="nav-vaults" style={{ marginTop: 0 }}>
        {t('vault.vaults')}
      </h2>
      {vaults.isPending ? (
        <div className={styles.skeleton} aria-busy="true">
          <span className="visually-hidden" role="status">
            {t('vault.loadingVaults')}
          </span>
          <Skeleton width="70%" />
          <Skeleton width="55%" />
        </div>
      ) : vaults.isError ? (
        <div className={styles.error}>
          <Alert tone="error">
            {t('vault.vaultsError', { reason: errorMessage(t, vaults.error) })}
            <Button onPress={() => void vaults.refetch()}>{t('vault.retry')}</Button>
          </Alert>
        </div>
      ) : (
        <>
          <div className={styles.treeArea}>
            <VaultTreeNav
              vaults={list}
              currentVaultId={currentVaultId}
              itemId={here?.itemId ?? null}
            />
          </div>
          {/* Phones: the pane is one row of links; the list pane walks the folders. */}
          <ul className={`${listClassName ?? ''} ${styles.switcher}`} aria-labelledby="nav-vaults">
            {list.map((vault) => (
              <li key={vault.id}>
                <Link
                  href={vaultPath(vault)}
                  className={linkClassName}
                  aria-current={vault.id === currentVaultId ? 'page' : undefined}
                >
                  {vault.kind === 'user' ? <VaultIcon /> : <SharedVaultIcon />}
                  {label(vault)}
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
      {isAdmin && (
        <Button variant="quiet" className={styles.newVault} onPress={() => setCreating(true)}>
          <PlusIcon />
          {t('vault.newSharedVault')}
        </Button>
      )}
      {isCreating && (
        <Suspense fallback={null}>
          <NewSharedVaultDialog onClose={() => setCreating(false)} />
        </Suspense>
      )}
    </>
  )
}

function VaultTreeNav({
  vaults,
  currentVaultId,
  itemId,
}: {
  vaults: OpenVault[]
  currentVaultId: string | null
  itemId: string | null
}) {
  const { t } = useTranslation()
  const label = useVaultLabel()
  const loaded = useAllVaultItems(vaults)
  const move = useMoveItem()
  const { openDialog, dialogs } = useItemDialogs()
  const [menuFor, setMenuFor] = useState<Key | null>(null)
  const [membersOf, setMembersOf] = useState<OpenVault | null>(null)
  const [expanded, setExpanded] = useState<Set<Key>>(
    () => new Set(vaults.map((v) => vaultKey(v.id))),
  )

  // Every row's vault and item, for drag and drop and the keyboard shortcuts.
  const nodes = new Map<Key, Node>()
  const trees = new Map<string, VaultTree<DecryptedItem>>()
  vaults.forEach((vault, index) => {
    nodes.set(vaultKey(vault.id), { vault, item: null })
    const tree = loaded[index]?.tree
    if (tree) {
      trees.set(vault.id, tree)
      for (const item of tree.byId.values()) nodes.set(item.id, { vault, item })
    }
  })
  const lookup = useRef({ nodes, trees })
  lookup.current = { nodes, trees }

  // Opening an item (here or from the list, a search, a link) unfolds the branches to it.
  const currentTree = currentVaultId ? trees.get(currentVaultId) : undefined
  // The item itself opens too: a folder shown in the list shows its branch here.
  const path =
    itemId && currentTree?.byId.has(itemId)
      ? [...ancestorsOf(currentTree, itemId).map((a) => a.id), itemId]
      : []
  const pathKey = [currentVaultId, ...path].join('/')
  useEffect(() => {
    if (!currentVaultId) return
    setExpanded((keys) => {
      const wanted = [vaultKey(currentVaultId), ...pathKey.split('/').slice(1)]
      if (wanted.every((key) => keys.has(key))) return keys
      return new Set([...keys, ...wanted])
    })
  }, [currentVaultId, pathKey])

  // New vaults (just created or shared with me) start open.
  const vaultKeys = vaults.map((v) => vaultKey(v.id)).join(',')
  const seenVaults = useRef(new Set(vaultKeys.split(',')))
  useEffect(() => {
    const fresh = vaultKeys.split(',').filter((key) => key && !seenVaults.current.has(key))
    if (fresh.length === 0) return
    fresh.forEach((key) => seenVaults.current.add(key))
    setExpanded((keys) => new Set([...keys, ...fresh]))
  }, [vaultKeys])

  function dropOperation(target: DropTarget) {
    if (target.type !== 'item' || target.dropPosition !== 'on') return 'cancel' as const
    const drag = currentDrag.get()
    const node = lookup.current.nodes.get(target.key)
    if (!drag || !node || node.vault.id !== drag.vaultId || !node.vault.canWrite) {
      return 'cancel' as const
    }
    const tree = lookup.current.trees.get(drag.vaultId)
    const item = tree?.byId.get(drag.itemId)
    if (!tree || !item) return 'cancel' as const
    return canMoveTo(tree, item, node.item?.id ?? null) ? ('move' as const) : ('cancel' as const)
  }

  const dragAndDrop: DragAndDropOptions = {
    getItems: (keys) =>
      [...keys].flatMap((key) => {
        const node = lookup.current.nodes.get(key)
        return node?.item && node.vault.canWrite ? [dragItem(node.vault.id, node.item)] : []
      }),
    getAllowedDropOperations: () => ['move'],
    onDragStart: (event) => {
      const [key] = [...event.keys]
      const node = key === undefined ? undefined : lookup.current.nodes.get(key)
      currentDrag.set(node?.item ? { vaultId: node.vault.id, itemId: node.item.id } : null)
    },
    onDragEnd: () => currentDrag.set(null),
    acceptedDragTypes: [ITEM_DRAG_TYPE],
    getDropOperation: (target) => dropOperation(target),
    onItemDrop: (event) => void dropOnItem(event),
    renderDragPreview: (items) => (
      <div className={styles.dragPreview}>{items[0]?.['text/plain'] ?? ''}</div>
    ),
  }

  async function dropOnItem(event: DroppableCollectionOnItemDropEvent) {
    const dragged = await droppedItem(event.items)
    const node = lookup.current.nodes.get(event.target.key)
    const tree = dragged ? lookup.current.trees.get(dragged.vaultId) : undefined
    const item = dragged ? tree?.byId.get(dragged.itemId) : undefined
    if (!node || !item || !tree || node.vault.id !== dragged?.vaultId) return
    const parentId = node.item?.id ?? null
    if (!canMoveTo(tree, item, parentId)) return
    moveWithToast(node.vault, item, parentId, node.item?.content.name ?? label(node.vault))
  }

  function moveWithToast(
    vault: OpenVault,
    item: DecryptedItem,
    parentId: string | null,
    where: string,
  ) {
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

  /** Delete, F2 and Shift+F10 act on the focused row. */
  function onKeyDown(event: KeyboardEvent) {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[role="row"][data-key]')
    const key = row?.dataset.key
    const node = key === undefined ? undefined : lookup.current.nodes.get(key)
    if (!node || !row || event.target !== row) return
    const isMenuKey = event.key === 'ContextMenu' || (event.key === 'F10' && event.shiftKey)
    if (isMenuKey) {
      event.preventDefault()
      setMenuFor(key ?? null)
      return
    }
    if (!node.item || !node.vault.canWrite) return
    if (event.key === 'Delete') {
      event.preventDefault()
      openDialog({ kind: 'delete', vault: node.vault, item: node.item })
    } else if (event.key === 'F2') {
      event.preventDefault()
      openDialog({ kind: 'rename', vault: node.vault, item: node.item })
    }
  }

  function renderItem(
    vault: OpenVault,
    tree: VaultTree<DecryptedItem>,
    item: DecryptedItem,
  ): ReactNode {
    const isCurrent = item.id === itemId
    return (
      <TreeItem
        key={item.id}
        id={item.id}
        href={vaultPath(vault, item.id)}
        textValue={item.content.name}
        className={styles.row}
        data-current={isCurrent || undefined}
      >
        <TreeItemContent>
          {({ hasChildItems, isExpanded, allowsDragging }) => (
            <div className={styles.content}>
              <Chevron hasChildItems={hasChildItems} isExpanded={isExpanded} />
              {allowsDragging && vault.canWrite && (
                <AriaButton slot="drag" className={styles.dragButton}>
                  ⠿
                </AriaButton>
              )}
              <ItemIcon type={item.content.type} className={styles.icon} />
              {/* The pane is narrow: a long name ends in "…", and hovering shows it whole. */}
              <span className={styles.name} title={item.content.name}>
                {item.content.name}
              </span>
              {isCurrent && <span className="visually-hidden">{t('vault.current')}</span>}
              <ItemMenu
                vault={vault}
                item={item}
                openDialog={openDialog}
                variant="row"
                isOpen={menuFor === item.id}
                onOpenChange={(isOpen) => setMenuFor(isOpen ? item.id : null)}
              />
            </div>
          )}
        </TreeItemContent>
        {childrenOf(tree, item.id).map((child) => renderItem(vault, tree, child))}
      </TreeItem>
    )
  }

  return (
    <>
      {/* Keys the tree itself does not use, for the focused row (they bubble up from it). */}
      <div onKeyDown={onKeyDown}>
        <WithDragAndDrop options={dragAndDrop}>
          {(dragAndDropHooks) => (
            <Tree
              aria-label={t('vault.vaults')}
              className={styles.tree}
              expandedKeys={expanded}
              onExpandedChange={setExpanded}
              dragAndDropHooks={dragAndDropHooks}
            >
              {vaults.map((vault, index) => {
                const state = loaded[index]
                const key = vaultKey(vault.id)
                const isCurrent = vault.id === currentVaultId && itemId === null
                return (
                  <TreeItem
                    key={key}
                    id={key}
                    href={vaultPath(vault)}
                    textValue={label(vault)}
                    className={`${styles.row} ${styles.vaultRow}`}
                    data-current={isCurrent || undefined}
                  >
                    <TreeItemContent>
                      {({ isExpanded, hasChildItems }) => (
                        <div className={styles.content}>
                          <Chevron hasChildItems={hasChildItems} isExpanded={isExpanded} />
                          {vault.kind === 'user' ? (
                            <VaultIcon width="16" height="16" className={styles.icon} />
                          ) : (
                            <SharedVaultIcon width="16" height="16" className={styles.icon} />
                          )}
                          <span className={styles.name} title={label(vault)}>
                            {label(vault)}
                          </span>
                          {isCurrent && (
                            <span className="visually-hidden">{t('vault.current')}</span>
                          )}
                          {Boolean(state?.error) && (
                            <AlertIcon
                              width="16"
                              height="16"
                              className={styles.errorIcon}
                              aria-label={t('vault.itemsErrorShort')}
                              aria-hidden={undefined}
                              role="img"
                            />
                          )}
                          <VaultMenu
                            vault={vault}
                            openDialog={openDialog}
                            onMembers={() => setMembersOf(vault)}
                            isOpen={menuFor === key}
                            onOpenChange={(isOpen) => setMenuFor(isOpen ? key : null)}
                          />
                        </div>
                      )}
                    </TreeItemContent>
                    {state?.tree &&
                      childrenOf(state.tree, null).map((item) =>
                        state.tree ? renderItem(vault, state.tree, item) : null,
                      )}
                  </TreeItem>
                )
              })}
            </Tree>
          )}
        </WithDragAndDrop>
      </div>
      {dialogs}
      {membersOf && (
        <Suspense fallback={null}>
          <VaultMembersDialog vault={membersOf} onClose={() => setMembersOf(null)} />
        </Suspense>
      )}
    </>
  )
}

function Chevron({ hasChildItems, isExpanded }: { hasChildItems: boolean; isExpanded: boolean }) {
  if (!hasChildItems) return <span className={styles.spacer} />
  return (
    <AriaButton slot="chevron" className={styles.chevron}>
      <ChevronRightIcon data-expanded={isExpanded || undefined} />
    </AriaButton>
  )
}

/** A vault's own menu: add at its root, and its members (shared vaults). */
function VaultMenu({
  vault,
  openDialog,
  onMembers,
  isOpen,
  onOpenChange,
}: {
  vault: OpenVault
  openDialog: (request: ItemDialogRequest) => void
  onMembers: () => void
  isOpen: boolean
  onOpenChange: (isOpen: boolean) => void
}) {
  const { t } = useTranslation()
  const label = useVaultLabel()
  if (!vault.canWrite && vault.kind === 'user') return null
  return (
    <MenuTrigger isOpen={isOpen} onOpenChange={onOpenChange}>
      <AriaButton
        className={menuStyles.rowTrigger}
        aria-label={t('vault.moreFor', { name: label(vault) })}
      >
        <MoreIcon />
      </AriaButton>
      <Menu
        onAction={(key) => {
          if (key === 'new-entry') openDialog({ kind: 'new-entry', vault, parentId: null })
          if (key === 'new-folder') openDialog({ kind: 'new-folder', vault, parentId: null })
          if (key === 'members') onMembers()
        }}
      >
        {vault.canWrite && <MenuItem id="new-entry">{t('vault.newEntry')}</MenuItem>}
        {vault.canWrite && <MenuItem id="new-folder">{t('vault.newFolder')}</MenuItem>}
        {vault.kind === 'shared' && <MenuItem id="members">{t('vault.members.menu')}</MenuItem>}
      </Menu>
    </MenuTrigger>
  )
}
