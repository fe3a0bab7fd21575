import type { OpenVault } from '@sealpost/core'
import { useMemo, useState } from 'react'
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
import { VaultIcon } from '../../ui/icons'
import { ChevronRightIcon, FolderIcon, SharedVaultIcon } from '../../ui/item-icons'
import { Progress } from '../../ui/progress'
import { useLocale } from '../../lib/use-locale'
import { useAllVaultItems, useVaults } from '../vault/use-vaults'
import { type FolderNode, folderPath, folderTree } from './copy-tree'
import styles from '../../ui/folder-picker.module.css'
import type { SaveResult } from './save-result'
import type { SaveTarget, useSaveToVault } from './use-save-to-vault'

/** Tree keys: "<vaultId>" for a vault's top level, "<vaultId>/<folderId>" for a folder. */
function keyOf(vaultId: string, folderId: string | null): string {
  return folderId === null ? vaultId : `${vaultId}/${folderId}`
}

function parseKey(key: Key): { vaultId: string; folderId: string | null } {
  const [vaultId = '', folderId] = String(key).split('/')
  return { vaultId, folderId: folderId ?? null }
}

/**
 * *Save as…* (S17): every vault the recipient may write to, with its folders, to choose
 * where the message's attachments go. Read-only vaults are not offered; entries are not
 * places (they hold sub-entries, not saves).
 */
export function SaveAsDialog({
  save,
  onSaved,
  onClose,
}: {
  save: ReturnType<typeof useSaveToVault>
  onSaved: (result: SaveResult) => void
  onClose: () => void
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const vaults = useVaults()
  const writable = useMemo(() => (vaults.data ?? []).filter((v) => v.canWrite), [vaults.data])
  const loaded = useAllVaultItems(writable)
  const [target, setTarget] = useState<Key | null>(null)
  // Every vault opens expanded: most have few folders, and a choice is one click away.
  const [expanded, setExpanded] = useState<Set<Key> | null>(null)
  const expandedKeys = expanded ?? new Set<Key>(writable.map((v) => keyOf(v.id, null)))
  const [failure, setFailure] = useState<unknown>(null)

  const trees = useMemo(
    () =>
      writable.map((vault, index) => {
        const state = loaded[index]
        return {
          vault,
          items: state?.items,
          folders: state?.items ? folderTree(state.items, locale) : [],
          error: state?.error ?? null,
        }
      }),
    [writable, loaded, locale],
  )
  const disabledKeys = trees.filter((v) => !v.items).map((v) => keyOf(v.vault.id, null))

  function targetOf(key: Key): SaveTarget | null {
    const { vaultId, folderId } = parseKey(key)
    const entry = trees.find((v) => v.vault.id === vaultId)
    if (!entry?.items) return null
    const where =
      folderId === null
        ? entry.vault.name
        : [entry.vault.name, ...folderPath(entry.items, folderId)].join(' › ')
    return { vault: entry.vault, parentId: folderId, where }
  }

  function saveHere() {
    const chosen = target === null ? null : targetOf(target)
    if (!chosen) return
    setFailure(null)
    save.mutate(chosen, { onSuccess: onSaved, onError: setFailure })
  }

  function renderFolder(vault: OpenVault, folder: FolderNode) {
    return (
      <TreeItem
        key={folder.id}
        id={keyOf(vault.id, folder.id)}
        textValue={folder.name}
        className={styles.row}
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
              <FolderIcon className={styles.icon} />
              <span className={styles.name}>{folder.name}</span>
            </div>
          )}
        </TreeItemContent>
        {folder.children.map((child) => renderFolder(vault, child))}
      </TreeItem>
    )
  }

  return (
    <ModalDialog
      title={t('vaultCopy.saveAsTitle')}
      isOpen
      isDismissable={!save.isPending}
      isKeyboardDismissDisabled={save.isPending}
      onOpenChange={(isOpen) => {
        if (!isOpen) onClose()
      }}
    >
      {(close) => (
        <>
          <p className={styles.intro}>{t('vaultCopy.saveAsIntro')}</p>
          {vaults.isPending ? (
            <Progress label={t('vaultCopy.loadingVaults')} />
          ) : vaults.isError ? (
            <Alert tone="error">
              {t('vaultCopy.vaultsError', { reason: errorMessage(t, vaults.error) })}
              <Button onPress={() => void vaults.refetch()}>{t('vaultCopy.retry')}</Button>
            </Alert>
          ) : writable.length === 0 ? (
            <Alert tone="info">{t('vaultCopy.noWritableVault')}</Alert>
          ) : (
            <Tree
              aria-label={t('vaultCopy.destinations')}
              className={styles.tree}
              selectionMode="single"
              selectionBehavior="replace"
              selectedKeys={target === null ? [] : [target]}
              onSelectionChange={(keys) => {
                if (keys === 'all') return
                const [key] = [...keys]
                setTarget(key ?? null)
              }}
              disabledKeys={disabledKeys}
              disabledBehavior="selection"
              expandedKeys={expandedKeys}
              onExpandedChange={setExpanded}
              autoFocus
            >
              {trees.map(({ vault, items, folders, error }) => (
                <TreeItem
                  key={vault.id}
                  id={keyOf(vault.id, null)}
                  textValue={vault.name}
                  className={styles.row}
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
                        {vault.kind === 'user' ? (
                          <VaultIcon width="16" height="16" className={styles.icon} />
                        ) : (
                          <SharedVaultIcon width="16" height="16" className={styles.icon} />
                        )}
                        <span className={styles.name}>{vault.name}</span>
                        {!items && (
                          <span className={styles.state}>
                            {error ? t('vaultCopy.vaultError') : t('vaultCopy.vaultLoading')}
                          </span>
                        )}
                      </div>
                    )}
                  </TreeItemContent>
                  {folders.map((folder) => renderFolder(vault, folder))}
                </TreeItem>
              ))}
            </Tree>
          )}
          {failure !== null && (
            <Alert tone="error">
              {t('vaultCopy.saveFailed')} {errorMessage(t, failure)}
            </Alert>
          )}
          {save.isPending && <Progress label={t('vaultCopy.saving')} />}
          <DialogActions>
            <Button onPress={close} isDisabled={save.isPending}>
              {t('vaultCopy.cancel')}
            </Button>
            <Button
              variant="primary"
              isDisabled={target === null || !targetOf(target)}
              isPending={save.isPending}
              onPress={saveHere}
            >
              {t('vaultCopy.saveHere')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}
