import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { useEnableRecovery, useRecoveryOverview } from './use-account-recovery'

/** Users page: account recovery, off by default; turning it on is explained first. */
export function RecoveryPanel() {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const overview = useRecoveryOverview()
  const enable = useEnableRecovery()
  const [isConfirming, setConfirming] = useState(false)
  return (
    <section aria-labelledby="account-recovery-title">
      <h2 id="account-recovery-title">{at('orgRecovery.title')}</h2>
      {overview.data?.key ? (
        <p>{at('orgRecovery.on', { count: overview.data.enrolledUserIds.length })}</p>
      ) : (
        <>
          <p>{at('orgRecovery.off')}</p>
          {enable.isError && <Alert tone="error">{errorMessage(t, enable.error)}</Alert>}
          <Button onPress={() => setConfirming(true)} isPending={enable.isPending}>
            {at('orgRecovery.enable')}
          </Button>
        </>
      )}
      <ModalDialog
        title={at('orgRecovery.confirmTitle')}
        role="alertdialog"
        isOpen={isConfirming}
        onOpenChange={setConfirming}
      >
        {(close) => (
          <>
            <p>{at('orgRecovery.confirmBody')}</p>
            <DialogActions>
              <Button onPress={close} autoFocus>
                {at('account.cancel')}
              </Button>
              <Button
                variant="primary"
                onPress={() => {
                  enable.mutate()
                  close()
                }}
              >
                {at('orgRecovery.enable')}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>
    </section>
  )
}
