import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Key } from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { FolderPickerDialog, FolderPickerItem, FolderPickerTree } from '../../ui/folder-picker'
import styles from '../../ui/folder-picker.module.css'
import { VaultIcon } from '../../ui/icons'
import { showToast } from '../../ui/toast'
import { ItemIcon } from '../../ui/item-icon'
import { useMoveItem, useVaultItems } from './use-vaults'
import { type VaultTree, ancestorsOf, canMoveTo, childrenOf } from './vault-tree'

const ROOT = '__root__'

/** "Move to…": the vault's folders (and entries, for an entry) to choose the new place from. */
export function MoveDialog({
  vault,
  item,
  onClose,
}: {
  vault: OpenVault
  item: DecryptedItem
  onClose: () => void
}) {
  const { t } = useTranslation()
  const { tree } = useVaultItems(vault)
  const move = useMoveItem()
  const [target, setTarget] = useState<Key | null>(null)
  const [expanded, setExpanded] = useState<Set<Key>>(
    () => new Set([ROOT, ...(tree ? ancestorsOf(tree, item.id).map((a) => a.id) : [])] as Key[]),
  )
  const parentOf = (key: Key | null) => (key === ROOT || key === null ? null : String(key))
  const isValid = (key: Key) => (tree ? canMoveTo(tree, item, parentOf(key)) : false)

  function render(node: DecryptedItem, tree: VaultTree<DecryptedItem>) {
    // An item cannot go inside itself: its own branch is not offered at all.
    if (node.id === item.id) return null
    if (node.kind === 'entry' && item.kind === 'folder') return null
    return (
      <FolderPickerItem
        key={node.id}
        id={node.id}
        name={node.content.name}
        icon={<ItemIcon type={node.content.type} className={styles.icon} />}
      >
        {childrenOf(tree, node.id).map((child) => render(child, tree))}
      </FolderPickerItem>
    )
  }

  const disabledKeys = tree ? [ROOT, ...tree.byId.keys()].filter((key) => !isValid(key)) : []

  function moveHere(close: () => void) {
    if (target === null) return
    const parentId = parentOf(target)
    move.mutate(
      { vault, item, parentId },
      {
        onSuccess: () => {
          const where =
            parentId === null ? vault.name : (tree?.byId.get(parentId)?.content.name ?? '')
          showToast({
            tone: 'success',
            title: t('vault.moved', { name: item.content.name, where }),
          })
          close()
        },
      },
    )
  }

  return (
    <FolderPickerDialog
      title={t('vault.moveTitle', { name: item.content.name })}
      intro={item.kind === 'folder' ? t('vault.moveFolderIntro') : t('vault.moveEntryIntro')}
      error={move.isError ? errorMessage(t, move.error) : null}
      isPending={move.isPending}
      cancelLabel={t('vault.cancel')}
      confirmLabel={t('vault.moveHere')}
      canConfirm={target !== null && isValid(target)}
      onConfirm={moveHere}
      onClose={onClose}
    >
      {tree && (
        <FolderPickerTree
          label={t('vault.moveDestinations')}
          selected={target}
          onSelect={setTarget}
          disabledKeys={disabledKeys}
          expandedKeys={expanded}
          onExpandedChange={setExpanded}
        >
          <FolderPickerItem
            id={ROOT}
            name={t('vault.rootOf', { name: vault.name })}
            icon={<VaultIcon width="16" height="16" className={styles.icon} />}
            hasChevron
          >
            {childrenOf(tree, null).map((child) => render(child, tree))}
          </FolderPickerItem>
        </FolderPickerTree>
      )}
    </FolderPickerDialog>
  )
}
