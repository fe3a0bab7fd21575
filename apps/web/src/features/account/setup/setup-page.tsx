import { zodResolver } from '@hookform/resolvers/zod'
import {
  ApiError,
  DisplayName,
  Email,
  type SignedIn,
  Username,
  setupAdministrator,
} from '@sealpost/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { z } from 'zod'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { validationText } from '../../../i18n/validation'
import { Alert } from '../../../ui/alert'
import { AuthLayout } from '../../../ui/auth-layout'
import { Button } from '../../../ui/button'
import { Form } from '../../../ui/form'
import { FormTextField } from '../../../ui/form-text-field'
import { Progress } from '../../../ui/progress'
import { NewPasswordFields } from '../password/new-password-fields'
import { RecoveryCodeOffer } from '../recovery/recovery-code-offer'
import { checkNewPassword } from '../password/new-password'
import { setupStatusKey, useCompleteSignIn } from '../../../lib/session/use-session'

const SetupForm = z
  .object({
    username: Username,
    displayName: DisplayName,
    email: Email,
    password: z.string(),
    passwordAgain: z.string(),
  })
  .superRefine(checkNewPassword)
type SetupForm = z.infer<typeof SetupForm>

/** First run: creates the administrator and their keys in this browser. */
export function SetupPage() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const completeSignIn = useCompleteSignIn()
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null)
  const { control, handleSubmit } = useForm<SetupForm>({
    resolver: zodResolver(SetupForm),
    defaultValues: { username: '', displayName: '', email: '', password: '', passwordAgain: '' },
  })
  const [username, displayName, email] = useWatch({
    control,
    name: ['username', 'displayName', 'email'],
  })
  const setup = useMutation({
    mutationFn: (values: SetupForm) =>
      setupAdministrator(api, {
        username: values.username,
        displayName: values.displayName,
        email: values.email,
        password: values.password,
      }),
    // The recovery code is offered before the app opens.
    onSuccess: setSignedIn,
    onError: (error) => {
      // Someone finished setup meanwhile: the sign-in page is the way in now.
      if (error instanceof ApiError && error.code === 'setup_done') {
        void queryClient.invalidateQueries({ queryKey: setupStatusKey })
      }
    },
  })
  const isBusy = setup.isPending

  if (signedIn) {
    return <RecoveryCodeOffer signedIn={signedIn} onDone={() => void completeSignIn(signedIn)} />
  }
  return (
    <AuthLayout title={t('setup.title')} intro={t('setup.intro')}>
      <Form onSubmit={handleSubmit((values) => setup.mutate(values))}>
        {setup.isError && <Alert tone="error">{errorMessage(t, setup.error)}</Alert>}
        <FormTextField
          control={control}
          name="username"
          label={t('fields.username')}
          autoComplete="username"
          autoFocus
          isDisabled={isBusy}
          errorText={validationText(t, 'username')}
        />
        <FormTextField
          control={control}
          name="displayName"
          label={t('fields.displayName')}
          autoComplete="name"
          isDisabled={isBusy}
          errorText={validationText(t, 'displayName')}
        />
        <FormTextField
          control={control}
          name="email"
          label={t('fields.email')}
          type="email"
          autoComplete="email"
          isDisabled={isBusy}
          errorText={validationText(t, 'email')}
        />
        <NewPasswordFields
          control={control}
          context={[username, displayName, email]}
          isDisabled={isBusy}
        />
        <Alert tone="warning">{t('password.warning')}</Alert>
        <Button type="submit" variant="primary" isWide isPending={isBusy}>
          {t('setup.submit')}
        </Button>
        {isBusy && <Progress label={t('setup.progress')} />}
      </Form>
    </AuthLayout>
  )
}
