import { zodResolver } from '@hookform/resolvers/zod'
import { createRecoveryCode } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { validationText } from '../../../i18n/validation'
import { exactTime } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Form } from '../../../ui/form'
import { FormTextField } from '../../../ui/form-text-field'
import { Progress } from '../../../ui/progress'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { RecoveryCodeKit } from './recovery-code-kit'

const recoveryCodeKey = ['account', 'recovery-code'] as const
const ConfirmForm = z.object({ password: z.string().min(1, 'validation.passwordRequired') })
type ConfirmForm = z.infer<typeof ConfirmForm>

/** The profile's recovery code line: whether there is one, and a button to make a new one. */
export function RecoveryCodeSetting() {
  const { t: at } = useTranslation('account')
  const locale = useLocale()
  const [isOpen, setOpen] = useState(false)
  const status = useQuery({ queryKey: recoveryCodeKey, queryFn: () => api.recoveryCodeStatus() })
  const createdAt = status.data?.createdAt
  return (
    <div>
      <p>
        {status.data === undefined
          ? at('recovery.setting.loading')
          : createdAt
            ? at('recovery.setting.since', { date: exactTime(createdAt, locale) })
            : at('recovery.setting.none')}
      </p>
      <Button onPress={() => setOpen(true)}>
        {createdAt ? at('recovery.setting.replace') : at('recovery.setting.create')}
      </Button>
      {isOpen && <RecoveryCodeDialog onClose={() => setOpen(false)} />}
    </div>
  )
}

/** Confirms the password (it unwraps the account key here), then shows the new code once. */
function RecoveryCodeDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const queryClient = useQueryClient()
  const { session } = useSignedIn()
  const { control, handleSubmit, resetField } = useForm<ConfirmForm>({
    resolver: zodResolver(ConfirmForm),
    defaultValues: { password: '' },
  })
  const create = useMutation({
    mutationFn: ({ password }: ConfirmForm) =>
      createRecoveryCode(api, { username: session.user.username, keys: session.keys, password }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: recoveryCodeKey }),
    onError: () => resetField('password'),
  })
  return (
    <ModalDialog
      title={create.data ? at('recovery.kit.title') : at('recovery.setting.dialogTitle')}
      isOpen
      onOpenChange={(open) => !open && onClose()}
      isDismissable={!create.data && !create.isPending}
      isKeyboardDismissDisabled={Boolean(create.data)}
    >
      {create.data ? (
        <RecoveryCodeKit code={create.data} username={session.user.username} onDone={onClose} />
      ) : (
        <Form onSubmit={handleSubmit((values) => create.mutate(values))}>
          <p>{at('recovery.setting.intro')}</p>
          {create.isError && <Alert tone="error">{errorMessage(t, create.error)}</Alert>}
          <FormTextField
            control={control}
            name="password"
            label={at('account.password.current')}
            type="password"
            autoComplete="current-password"
            autoFocus
            isDisabled={create.isPending}
            errorText={validationText(t, 'passwordRequired')}
          />
          {create.isPending && <Progress label={at('recovery.offer.progress')} />}
          <DialogActions>
            <Button onPress={onClose} isDisabled={create.isPending}>
              {at('account.cancel')}
            </Button>
            <Button type="submit" variant="primary" isPending={create.isPending}>
              {at('recovery.setting.submit')}
            </Button>
          </DialogActions>
        </Form>
      )}
    </ModalDialog>
  )
}
