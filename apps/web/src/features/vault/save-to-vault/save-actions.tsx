import type { OpenedMessage } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Button } from '../../../ui/button'
import { VaultIcon } from '../../../ui/icons'
import { showToast } from '../../../ui/toast'
import { useVaults } from '../use-vaults'
import styles from './save-actions.module.css'
import { SaveAsDialog } from './save-as-dialog'
import { type SaveResult, savedText } from './save-result'
import { useSaveToVault } from './use-save-to-vault'

/**
 * *Save in user vault* (S16) and *Save as…* (S17) for a message that verified and carries
 * files or copied items. The caller shows them only then: an unverified message has no
 * content to save.
 */
export function SaveActions({
  messageId,
  opened,
  onSaved,
}: {
  messageId: string
  opened: OpenedMessage
  /** After each save that went through (the reading pane tells the sender: a receipt). */
  onSaved?: () => void
}) {
  const { t } = useTranslation()
  const vaults = useVaults()
  const save = useSaveToVault(messageId, opened)
  const [isChoosing, setChoosing] = useState(false)
  const userVault = vaults.data?.find((vault) => vault.kind === 'user')

  function saved(result: SaveResult) {
    showToast({ tone: 'success', ...savedText(t, result) })
    onSaved?.()
  }

  function failed(error: unknown) {
    showToast({
      tone: 'error',
      title: t('vaultCopy.saveFailed'),
      description: errorMessage(t, error),
    })
  }

  return (
    <div className={styles.actions}>
      <Button
        isPending={save.isPending}
        isDisabled={!userVault}
        onPress={() => {
          if (!userVault) return
          save.mutate(
            { vault: userVault, parentId: null, where: userVault.name },
            { onSuccess: saved, onError: failed },
          )
        }}
      >
        <VaultIcon width="16" height="16" />
        {t('vaultCopy.saveInUserVault')}
      </Button>
      <Button isDisabled={save.isPending} onPress={() => setChoosing(true)}>
        {t('vaultCopy.saveAs')}
      </Button>
      {save.isPending && (
        <span className="visually-hidden" role="status">
          {t('vaultCopy.saving')}
        </span>
      )}
      {isChoosing && (
        <SaveAsDialog
          save={save}
          onSaved={(result) => {
            saved(result)
            setChoosing(false)
          }}
          onClose={() => setChoosing(false)}
        />
      )}
    </div>
  )
}
