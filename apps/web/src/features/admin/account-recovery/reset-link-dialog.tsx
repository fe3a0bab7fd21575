import type { User } from '@sealpost/core'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Progress } from '../../../ui/progress'
import { TextField } from '../../../ui/text-field'
import { useCreateResetLink } from './use-account-recovery'

/** Creates a one-time reset link for an enrolled user on this device and shows it once. */
export function ResetLinkDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const create = useCreateResetLink()
  const { mutate } = create
  useEffect(() => mutate(user.id), [mutate, user.id])
  return (
    <ModalDialog
      title={at('orgRecovery.resetTitle', { username: user.username })}
      isOpen
      onOpenChange={(open) => !open && onClose()}
    >
      {create.isPending && <Progress label={at('orgRecovery.resetProgress')} />}
      {create.isError && <Alert tone="error">{errorMessage(t, create.error)}</Alert>}
      {create.data && (
        <>
          <TextField label={at('orgRecovery.resetLink')} value={create.data.url} isReadOnly />
          <p>{at('orgRecovery.resetHint', { username: user.username })}</p>
        </>
      )}
      <DialogActions>
        <Button variant="primary" onPress={onClose}>
          {at('account.close')}
        </Button>
      </DialogActions>
    </ModalDialog>
  )
}
