import { zodResolver } from '@hookform/resolvers/zod'
import { changePassword } from '@sealpost/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { validationText } from '../../../i18n/validation'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Form } from '../../../ui/form'
import { FormTextField } from '../../../ui/form-text-field'
import { Progress } from '../../../ui/progress'
import { showToast } from '../../../ui/toast'
import { NewPasswordFields } from '../password/new-password-fields'
import { checkNewPassword } from '../password/new-password'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { sessionKey } from '../../../lib/session/use-session'

const ChangePasswordForm = z
  .object({
    currentPassword: z.string().min(1, 'validation.passwordRequired'),
    password: z.string(),
    passwordAgain: z.string(),
  })
  .superRefine(checkNewPassword)
type ChangePasswordForm = z.infer<typeof ChangePasswordForm>

/**
 * Change password: the current one is proven inside the flow and the same account key is
 * re-wrapped under the new one here, so nothing else changes. Other sessions end.
 */
export function ChangePasswordDialog({
  isOpen,
  onOpenChange,
}: {
  isOpen: boolean
  onOpenChange: (isOpen: boolean) => void
}) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const queryClient = useQueryClient()
  const { session } = useSignedIn()
  const { control, handleSubmit, reset, resetField } = useForm<ChangePasswordForm>({
    resolver: zodResolver(ChangePasswordForm),
    defaultValues: { currentPassword: '', password: '', passwordAgain: '' },
  })
  const change = useMutation({
    mutationFn: (values: ChangePasswordForm) =>
      changePassword(api, {
        username: session.user.username,
        keys: session.keys,
        currentPassword: values.currentPassword,
        newPassword: values.password,
      }),
    onSuccess: ({ session: updated }) => {
      queryClient.setQueryData(sessionKey, updated)
      reset()
      onOpenChange(false)
      showToast({
        title: at('account.password.changed'),
        description: at('account.password.changedBody'),
        tone: 'success',
      })
    },
    onError: () => resetField('currentPassword'),
  })
  const isBusy = change.isPending

  return (
    <ModalDialog
      title={at('account.password.title')}
      isOpen={isOpen}
      onOpenChange={(open) => {
        if (!open) {
          reset()
          change.reset()
        }
        onOpenChange(open)
      }}
      isDismissable={!isBusy}
      isKeyboardDismissDisabled={isBusy}
    >
      {(close) => (
        <Form onSubmit={handleSubmit((values) => change.mutate(values))}>
          <p>{at('account.password.intro')}</p>
          {change.isError && <Alert tone="error">{errorMessage(t, change.error)}</Alert>}
          <input
            type="text"
            name="username"
            autoComplete="username"
            value={session.user.username}
            readOnly
            hidden
          />
          <FormTextField
            control={control}
            name="currentPassword"
            label={at('account.password.current')}
            type="password"
            autoComplete="current-password"
            autoFocus
            isDisabled={isBusy}
            errorText={validationText(t, 'passwordRequired')}
          />
          <NewPasswordFields
            control={control}
            context={[session.user.username, session.user.displayName, session.user.email]}
            isDisabled={isBusy}
          />
          {isBusy && <Progress label={at('account.password.progress')} />}
          <DialogActions>
            <Button onPress={close} isDisabled={isBusy}>
              {at('account.cancel')}
            </Button>
            <Button type="submit" variant="primary" isPending={isBusy}>
              {at('account.password.submit')}
            </Button>
          </DialogActions>
        </Form>
      )}
    </ModalDialog>
  )
}
