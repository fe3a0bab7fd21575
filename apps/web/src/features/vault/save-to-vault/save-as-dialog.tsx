import type { OpenVault } from '@sealpost/core'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { Key } from 'react-aria-components'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { FolderPickerDialog, FolderPickerItem, FolderPickerTree } from '../../../ui/folder-picker'
import styles from '../../../ui/folder-picker.module.css'
import { VaultIcon } from '../../../ui/icons'
import { FolderIcon, SharedVaultIcon } from '../../../ui/item-icons'
import { Progress } from '../../../ui/progress'
import { useLocale } from '../../../lib/use-locale'
import { useAllVaultItems, useVaults } from '../use-vaults'
import { type FolderNode, folderPath, folderTree } from './save-destinations'
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
      <FolderPickerItem
        key={folder.id}
        id={keyOf(vault.id, folder.id)}
        name={folder.name}
        icon={<FolderIcon className={styles.icon} />}
      >
        {folder.children.map((child) => renderFolder(vault, child))}
      </FolderPickerItem>
    )
  }

  return (
    <FolderPickerDialog
      title={t('vaultCopy.saveAsTitle')}
      intro={t('vaultCopy.saveAsIntro')}
      error={
        failure === null ? null : (
          <>
            {t('vaultCopy.saveFailed')} {errorMessage(t, failure)}
          </>
        )
      }
      isPending={save.isPending}
      progressLabel={t('vaultCopy.saving')}
      cancelLabel={t('vaultCopy.cancel')}
      confirmLabel={t('vaultCopy.saveHere')}
      canConfirm={target !== null && targetOf(target) !== null}
      onConfirm={saveHere}
      onClose={onClose}
    >
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
        <FolderPickerTree
          label={t('vaultCopy.destinations')}
          selected={target}
          onSelect={setTarget}
          disabledKeys={disabledKeys}
          expandedKeys={expandedKeys}
          onExpandedChange={setExpanded}
        >
          {trees.map(({ vault, items, folders, error }) => (
            <FolderPickerItem
              key={vault.id}
              id={keyOf(vault.id, null)}
              name={vault.name}
              icon={
                vault.kind === 'user' ? (
                  <VaultIcon width="16" height="16" className={styles.icon} />
                ) : (
                  <SharedVaultIcon width="16" height="16" className={styles.icon} />
                )
              }
              state={
                items ? undefined : error ? t('vaultCopy.vaultError') : t('vaultCopy.vaultLoading')
              }
            >
              {folders.map((folder) => renderFolder(vault, folder))}
            </FolderPickerItem>
          ))}
        </FolderPickerTree>
      )}
    </FolderPickerDialog>
  )
}
