import { zodResolver } from '@hookform/resolvers/zod'
import { recoverAccount, signIn, type SignedIn } from '@sealpost/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { useNavigate } from 'react-router'
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
import { checkNewPassword } from '../password/new-password'
import { SecondFactorForm } from '../two-factor/second-factor-form'
import { useSecondFactorPrompt } from '../two-factor/use-second-factor'
import { useCompleteSignIn } from '../../../lib/session/use-session'
import { RecoveryCodeOffer } from './recovery-code-offer'

const RecoverForm = z
  .object({
    username: z.string().trim().min(1, 'validation.usernameRequired'),
    code: z.string().trim().min(1, 'validation.recoveryCodeRequired'),
    password: z.string(),
    passwordAgain: z.string(),
  })
  .superRefine(checkNewPassword)
type RecoverForm = z.infer<typeof RecoverForm>

/**
 * `/recover` ("Forgot password"): the recovery code unwraps the keys in this browser and a new
 * password wraps them; then the user signs in and is offered a new code (the old one is spent).
 */
export function RecoverPage() {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const navigate = useNavigate()
  const completeSignIn = useCompleteSignIn()
  const secondFactor = useSecondFactorPrompt()
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null)
  const { control, handleSubmit, resetField } = useForm<RecoverForm>({
    resolver: zodResolver(RecoverForm),
    defaultValues: { username: '', code: '', password: '', passwordAgain: '' },
  })
  const username = useWatch({ control, name: 'username' })
  const recover = useMutation({
    mutationFn: async (values: RecoverForm) => {
      await recoverAccount(api, {
        username: values.username,
        code: values.code,
        newPassword: values.password,
      })
      return signIn(api, {
        username: values.username,
        password: values.password,
        secondFactor: secondFactor.ask,
      })
    },
    onSuccess: setSignedIn,
    onError: () => resetField('code'),
  })
  const isBusy = recover.isPending

  if (secondFactor.pending) {
    const { challenge, answer, cancel } = secondFactor.pending
    return <SecondFactorForm challenge={challenge} onAnswer={answer} onCancel={cancel} />
  }
  if (signedIn) {
    return (
      <RecoveryCodeOffer
        signedIn={signedIn}
        intro={at('recovery.recover.doneIntro')}
        onDone={() => {
          void completeSignIn(signedIn).then(() => navigate('/', { replace: true }))
        }}
      />
    )
  }
  return (
    <AuthLayout title={at('recovery.recover.title')} intro={at('recovery.recover.intro')}>
      <Form onSubmit={handleSubmit((values) => recover.mutate(values))}>
        {recover.isError && <Alert tone="error">{errorMessage(t, recover.error)}</Alert>}
        <FormTextField
          control={control}
          name="username"
          label={t('fields.username')}
          autoComplete="username"
          autoFocus
          isDisabled={isBusy}
          errorText={validationText(t, 'usernameRequired')}
        />
        <FormTextField
          control={control}
          name="code"
          label={at('recovery.recover.code')}
          autoComplete="off"
          isDisabled={isBusy}
          errorText={validationText(t, 'recoveryCodeRequired')}
        />
        <NewPasswordFields control={control} context={[username]} isDisabled={isBusy} />
        <Button type="submit" variant="primary" isWide isPending={isBusy}>
          {at('recovery.recover.submit')}
        </Button>
        {isBusy && <Progress label={at('recovery.recover.progress')} />}
        <Link href="/">{at('recovery.recover.back')}</Link>
      </Form>
    </AuthLayout>
  )
}
