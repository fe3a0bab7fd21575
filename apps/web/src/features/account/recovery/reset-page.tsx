import { zodResolver } from '@hookform/resolvers/zod'
import { ResetSecret, resetPassword, signIn } from '@sealpost/core'
import { useMutation } from '@tanstack/react-query'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { useLocation, useNavigate } from 'react-router'
import { z } from 'zod'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { AuthLayout } from '../../../ui/auth-layout'
import { Button } from '../../../ui/button'
import { Form } from '../../../ui/form'
import { Progress } from '../../../ui/progress'
import { NewPasswordFields } from '../password/new-password-fields'
import { checkNewPassword } from '../password/new-password'
import { useCompleteSignIn } from '../../../lib/session/use-session'
import { SecondFactorForm } from '../two-factor/second-factor-form'
import { isCancelled, useSecondFactorPrompt } from '../two-factor/use-second-factor'

const ResetForm = z
  .object({ password: z.string(), passwordAgain: z.string() })
  .superRefine(checkNewPassword)
type ResetForm = z.infer<typeof ResetForm>

/**
 * `/reset#<secret>`: the link an administrator made. The secret unwraps the account key in this
 * browser and the new password wraps the same key, so everything stays.
 */
export function ResetPage() {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const { hash } = useLocation()
  const navigate = useNavigate()
  const completeSignIn = useCompleteSignIn()
  const secondFactor = useSecondFactorPrompt()
  const secret = ResetSecret.safeParse(hash.replace(/^#/, ''))
  const { control, handleSubmit } = useForm<ResetForm>({
    resolver: zodResolver(ResetForm),
    defaultValues: { password: '', passwordAgain: '' },
  })
  const reset = useMutation({
    mutationFn: async ({ password }: ResetForm) => {
      const { username } = await resetPassword(api, {
        secret: secret.data ?? '',
        newPassword: password,
      })
      return signIn(api, { username, password, secondFactor: secondFactor.ask })
    },
    onSuccess: async (signedIn) => {
      await completeSignIn(signedIn)
      await navigate('/', { replace: true })
    },
  })

  if (!secret.success) {
    return (
      <AuthLayout title={at('orgRecovery.page.invalidTitle')}>
        <p>{at('orgRecovery.page.invalidBody')}</p>
      </AuthLayout>
    )
  }
  if (secondFactor.pending) {
    const { challenge, answer, cancel } = secondFactor.pending
    return <SecondFactorForm challenge={challenge} onAnswer={answer} onCancel={cancel} />
  }
  const isBusy = reset.isPending
  return (
    <AuthLayout title={at('orgRecovery.page.title')} intro={at('orgRecovery.page.intro')}>
      <Form onSubmit={handleSubmit((values) => reset.mutate(values))}>
        {reset.isError && !isCancelled(reset.error) && (
          <Alert tone="error">
            {errorMessage(t, reset.error).startsWith(t('errors.not_available'))
              ? at('orgRecovery.page.invalidBody')
              : errorMessage(t, reset.error)}
          </Alert>
        )}
        <NewPasswordFields control={control} context={[]} isDisabled={isBusy} />
        <Button type="submit" variant="primary" isWide isPending={isBusy}>
          {at('orgRecovery.page.submit')}
        </Button>
        {isBusy && <Progress label={at('orgRecovery.page.progress')} />}
      </Form>
    </AuthLayout>
  )
}
