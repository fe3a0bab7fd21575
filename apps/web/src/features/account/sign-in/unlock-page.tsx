import { zodResolver } from '@hookform/resolvers/zod'
import { type SessionResponse, signIn } from '@sealpost/core'
import { useMutation } from '@tanstack/react-query'
import { useForm } from 'react-hook-form'
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
import { SecondFactorForm } from '../two-factor/second-factor-form'
import { isCancelled, useSecondFactorPrompt } from '../two-factor/use-second-factor'
import { useCompleteSignIn, useSignOut } from '../../../lib/session/use-session'

const UnlockForm = z.object({ password: z.string().min(1, 'validation.passwordRequired') })
type UnlockForm = z.infer<typeof UnlockForm>

/**
 * The session is valid but this browser holds no keys (another device, cleared storage):
 * signing in again with the password unwraps them.
 */
export function UnlockPage({ session }: { session: SessionResponse }) {
  const { t } = useTranslation()
  const completeSignIn = useCompleteSignIn()
  const secondFactor = useSecondFactorPrompt()
  const signOut = useSignOut()
  const { control, handleSubmit, resetField } = useForm<UnlockForm>({
    resolver: zodResolver(UnlockForm),
    defaultValues: { password: '' },
  })
  const unlock = useMutation({
    mutationFn: ({ password }: UnlockForm) =>
      signIn(api, { username: session.user.username, password, secondFactor: secondFactor.ask }),
    onSuccess: completeSignIn,
    onError: () => resetField('password'),
  })
  const isBusy = unlock.isPending

  if (secondFactor.pending) {
    const { challenge, answer, cancel } = secondFactor.pending
    return <SecondFactorForm challenge={challenge} onAnswer={answer} onCancel={cancel} />
  }
  return (
    <AuthLayout
      title={t('unlock.title')}
      intro={t('unlock.intro', { username: session.user.username })}
    >
      <Form onSubmit={handleSubmit((values) => unlock.mutate(values))}>
        {unlock.isError && !isCancelled(unlock.error) && (
          <Alert tone="error">{errorMessage(t, unlock.error)}</Alert>
        )}
        {/* Lets password managers match the saved login. */}
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
          name="password"
          label={t('fields.password')}
          type="password"
          autoComplete="current-password"
          autoFocus
          isDisabled={isBusy}
          errorText={validationText(t, 'passwordRequired')}
        />
        <Button type="submit" variant="primary" isWide isPending={isBusy}>
          {t('unlock.submit')}
        </Button>
        {isBusy && <Progress label={t('unlock.progress')} />}
        <Button variant="quiet" isWide onPress={() => signOut.mutate()} isDisabled={isBusy}>
          {t('unlock.signOut')}
        </Button>
      </Form>
    </AuthLayout>
  )
}
