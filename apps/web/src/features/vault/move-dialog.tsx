import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  Button as AriaButton,
  type Key,
  Tree,
  TreeItem,
  TreeItemContent,
} from 'react-aria-components'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { ChevronRightIcon } from '../../ui/item-icons'
import { VaultIcon } from '../../ui/icons'
import { showToast } from '../../ui/toast'
import { ItemIcon } from './item-icon'
import styles from '../../ui/folder-picker.module.css'
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
      <TreeItem key={node.id} id={node.id} textValue={node.content.name} className={styles.row}>
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
              <ItemIcon type={node.content.type} className={styles.icon} />
              <span className={styles.name}>{node.content.name}</span>
            </div>
          )}
        </TreeItemContent>
        {childrenOf(tree, node.id).map((child) => render(child, tree))}
      </TreeItem>
    )
  }

  const disabledKeys = tree ? [ROOT, ...tree.byId.keys()].filter((key) => !isValid(key)) : []

  return (
    <ModalDialog
      title={t('vault.moveTitle', { name: item.content.name })}
      isOpen
      isDismissable={!move.isPending}
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      {(close) => (
        <>
          <p className={styles.intro}>
            {item.kind === 'folder' ? t('vault.moveFolderIntro') : t('vault.moveEntryIntro')}
          </p>
          {tree && (
            <Tree
              aria-label={t('vault.moveDestinations')}
              className={styles.tree}
              selectionMode="single"
              selectionBehavior="replace"
              disallowEmptySelection={false}
              selectedKeys={target === null ? [] : [target]}
              onSelectionChange={(keys) => {
                if (keys === 'all') return
                const [key] = [...keys]
                setTarget(key ?? null)
              }}
              disabledKeys={disabledKeys}
              disabledBehavior="selection"
              expandedKeys={expanded}
              onExpandedChange={setExpanded}
              autoFocus
            >
              <TreeItem
                id={ROOT}
                textValue={t('vault.rootOf', { name: vault.name })}
                className={styles.row}
              >
                <TreeItemContent>
                  {({ isExpanded }) => (
                    <div className={styles.content}>
                      <AriaButton slot="chevron" className={styles.chevron}>
                        <ChevronRightIcon data-expanded={isExpanded || undefined} />
                      </AriaButton>
                      <VaultIcon width="16" height="16" className={styles.icon} />
                      <span className={styles.name}>{t('vault.rootOf', { name: vault.name })}</span>
                    </div>
                  )}
                </TreeItemContent>
                {childrenOf(tree, null).map((child) => render(child, tree))}
              </TreeItem>
            </Tree>
          )}
          {move.isError && <Alert tone="error">{errorMessage(t, move.error)}</Alert>}
          <DialogActions>
            <Button onPress={close} isDisabled={move.isPending}>
              {t('vault.cancel')}
            </Button>
            <Button
              variant="primary"
              isDisabled={target === null || !isValid(target)}
              isPending={move.isPending}
              onPress={() => {
                if (target === null) return
                const parentId = parentOf(target)
                move.mutate(
                  { vault, item, parentId },
                  {
                    onSuccess: () => {
                      const where =
                        parentId === null
                          ? vault.name
                          : (tree?.byId.get(parentId)?.content.name ?? '')
                      showToast({
                        tone: 'success',
                        title: t('vault.moved', { name: item.content.name, where }),
                      })
                      close()
                    },
                  },
                )
              }}
            >
              {t('vault.moveHere')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}
