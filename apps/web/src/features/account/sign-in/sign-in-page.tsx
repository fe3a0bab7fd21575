import { zodResolver } from '@hookform/resolvers/zod'
import { useMutation } from '@tanstack/react-query'
import { Suspense, lazy } from 'react'
import { useForm } from 'react-hook-form'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { z } from 'zod'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { withAppStrings } from '../../../i18n'
import { validationText } from '../../../i18n/validation'
import { Alert } from '../../../ui/alert'
import { AuthLayout } from '../../../ui/auth-layout'
import { Button } from '../../../ui/button'
import { Form } from '../../../ui/form'
import { FormTextField } from '../../../ui/form-text-field'
import { PageProgress, Progress } from '../../../ui/progress'
import { isCancelled, useSecondFactorPrompt } from '../two-factor/use-second-factor'
import { useCompleteSignIn } from '../../../lib/session/use-session'

// Asked for by few accounts, after the password: it loads then, with WebAuthn's helpers and the
// account pages' words (issue 15).
const SecondFactorForm = lazy(async () => ({
  default: (await withAppStrings(import('../two-factor/second-factor-form'))).SecondFactorForm,
}))

const SignInForm = z.object({
  username: z.string().trim().min(1, 'validation.usernameRequired'),
  password: z.string().min(1, 'validation.passwordRequired'),
})
type SignInForm = z.infer<typeof SignInForm>

export function SignInPage() {
  const { t } = useTranslation()
  const completeSignIn = useCompleteSignIn()
  const secondFactor = useSecondFactorPrompt()
  const { control, handleSubmit, resetField } = useForm<SignInForm>({
    resolver: zodResolver(SignInForm),
    defaultValues: { username: '', password: '' },
  })
  const signInMutation = useMutation({
    mutationFn: async (values: SignInForm) => {
      const { signIn } = await import('./sign-in-flow')
      return signIn(api, { ...values, secondFactor: secondFactor.ask })
    },
    onSuccess: completeSignIn,
    onError: () => resetField('password'),
  })
  const isBusy = signInMutation.isPending

  if (secondFactor.pending) {
    const { challenge, answer, cancel } = secondFactor.pending
    return (
      <Suspense fallback={<PageProgress label={t('app.loading')} />}>
        <SecondFactorForm challenge={challenge} onAnswer={answer} onCancel={cancel} />
      </Suspense>
    )
  }
  return (
    <AuthLayout title={t('signIn.title')}>
      <Form onSubmit={handleSubmit((values) => signInMutation.mutate(values))}>
        {signInMutation.isError && !isCancelled(signInMutation.error) && (
          <Alert tone="error">{errorMessage(t, signInMutation.error)}</Alert>
        )}
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
          name="password"
          label={t('fields.password')}
          type="password"
          autoComplete="current-password"
          isDisabled={isBusy}
          errorText={validationText(t, 'passwordRequired')}
        />
        <Button type="submit" variant="primary" isWide isPending={isBusy}>
          {t('signIn.submit')}
        </Button>
        {isBusy && <Progress label={t('signIn.progress')} />}
        <Link href="/recover">{t('signIn.forgotPassword')}</Link>
      </Form>
    </AuthLayout>
  )
}
