import type { OpenVault, RekeyProgress } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Progress, ProgressMeter } from '../../../ui/progress'
import { showToast } from '../../../ui/toast'
import { useRekeyVault } from '../use-vaults'
import styles from './vault-members-dialog.module.css'

/**
 * Re-keys a shared vault on this device (core's rekeyVault) with its progress; the server
 * swaps the result in at once, so stopping midway changes nothing. Loaded when first opened.
 */
export function RekeyDialog({ vault, onClose }: { vault: OpenVault; onClose: () => void }) {
  const { t } = useTranslation()
  const rekey = useRekeyVault(vault)
  const [progress, setProgress] = useState<RekeyProgress | null>(null)

  const start = (close: () => void) =>
    rekey.mutate(setProgress, {
      onSuccess: (result) => {
        showToast({
          tone: 'success',
          title: t('vault.rekey.done', {
            name: vault.name,
            items: t('vault.rekey.items', { count: result.items }),
            files: t('vault.rekey.filesDone', { count: result.files }),
          }),
        })
        close()
      },
      onSettled: () => setProgress(null),
    })

  return (
    <ModalDialog
      title={t('vault.rekey.dialogTitle', { name: vault.name })}
      isOpen
      // Leaving midway is safe (nothing changes until the swap), but not by a stray click.
      isDismissable={!rekey.isPending}
      isKeyboardDismissDisabled={rekey.isPending}
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      {(close) => (
        <>
          <p>{t('vault.rekey.dialogBody')}</p>
          {rekey.isPending ? (
            <RekeyProgressView progress={progress} />
          ) : (
            <p className={styles.intro}>{t('vault.rekey.keepOpen')}</p>
          )}
          {rekey.isError && <Alert tone="error">{errorMessage(t, rekey.error)}</Alert>}
          <DialogActions>
            <Button onPress={close} isDisabled={rekey.isPending}>
              {t('vault.cancel')}
            </Button>
            <Button variant="primary" isPending={rekey.isPending} onPress={() => start(close)}>
              {rekey.isError ? t('vault.rekey.retry') : t('vault.rekey.confirm')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}

function RekeyProgressView({ progress }: { progress: RekeyProgress | null }) {
  const { t } = useTranslation()
  if (!progress) return <Progress label={t('vault.rekey.starting')} />
  if (progress.step === 'files') {
    const percent =
      progress.totalBytes === 0 ? 100 : Math.round((100 * progress.doneBytes) / progress.totalBytes)
    return (
      <ProgressMeter
        label={t('vault.rekey.files', { percent: String(percent) })}
        percent={percent}
      />
    )
  }
  const percent = progress.total === 0 ? 100 : Math.round((100 * progress.done) / progress.total)
  return (
    <ProgressMeter
      label={t('vault.rekey.revisions', {
        done: String(progress.done),
        total: String(progress.total),
      })}
      percent={percent}
    />
  )
}
