import { zodResolver } from '@hookform/resolvers/zod'
import {
  ApiError,
  DisplayName,
  type InviteLookupResponse,
  type SignedIn,
  acceptInvite,
} from '@sealpost/core'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { useForm, useWatch } from 'react-hook-form'
import { Link } from 'react-aria-components'
import { useTranslation } from 'react-i18next'
import { useNavigate } from 'react-router'
import { z } from 'zod'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { validationText } from '../../../i18n/validation'
import { Alert } from '../../../ui/alert'
import { AuthLayout } from '../../../ui/auth-layout'
import { Button } from '../../../ui/button'
import { Facts, Form } from '../../../ui/form'
import { FormTextField } from '../../../ui/form-text-field'
import { PageProgress, Progress } from '../../../ui/progress'
import { NewPasswordFields } from '../password/new-password-fields'
import { RecoveryCodeOffer } from '../recovery/recovery-code-offer'
import { checkNewPassword } from '../password/new-password'
import { useCompleteSignIn } from '../../../lib/session/use-session'
import { useInviteLookup, useInviteToken } from './use-invite'

const AcceptForm = z
  .object({ displayName: DisplayName, password: z.string(), passwordAgain: z.string() })
  .superRefine(checkNewPassword)
type AcceptForm = z.infer<typeof AcceptForm>

/** `/invite#<token>`: the invitee chooses a password; their keys are created here. */
export function InvitePage() {
  const { t } = useTranslation()
  const token = useInviteToken()
  const lookup = useInviteLookup(token)

  if (token === undefined) {
    return (
      <AuthLayout title={t('invite.missingTitle')}>
        <p>{t('invite.missingBody')}</p>
        <Link href="/">{t('invite.goToSignIn')}</Link>
      </AuthLayout>
    )
  }
  if (lookup.isPending) {
    return (
      <AuthLayout title={t('invite.title')}>
        <PageProgress label={t('invite.lookingUp')} />
      </AuthLayout>
    )
  }
  if (lookup.isError) {
    const error = lookup.error
    const isInvalid =
      error instanceof ApiError &&
      error.status >= 400 &&
      error.status < 500 &&
      error.code !== 'rate_limited'
    return (
      <AuthLayout title={isInvalid ? t('invite.invalidTitle') : t('app.unreachableTitle')}>
        {isInvalid ? (
          <>
            <p>{t('invite.invalidBody')}</p>
            {/* Someone who already joined with this link just wants to sign in. */}
            <Link href="/">{t('invite.goToSignIn')}</Link>
          </>
        ) : (
          <>
            <Alert tone="error">{errorMessage(t, lookup.error)}</Alert>
            <Button variant="primary" onPress={() => void lookup.refetch()}>
              {t('app.retry')}
            </Button>
          </>
        )}
      </AuthLayout>
    )
  }
  return <AcceptInviteForm token={token} invite={lookup.data} />
}

function AcceptInviteForm({ token, invite }: { token: string; invite: InviteLookupResponse }) {
  const { t, i18n } = useTranslation()
  const navigate = useNavigate()
  const completeSignIn = useCompleteSignIn()
  const [signedIn, setSignedIn] = useState<SignedIn | null>(null)
  const { control, handleSubmit } = useForm<AcceptForm>({
    resolver: zodResolver(AcceptForm),
    defaultValues: { displayName: invite.displayName, password: '', passwordAgain: '' },
  })
  const displayName = useWatch({ control, name: 'displayName' })
  const accept = useMutation({
    mutationFn: (values: AcceptForm) =>
      acceptInvite(api, { token, password: values.password, displayName: values.displayName }),
    // The recovery code is offered before the app opens; the used token leaves the
    // address bar and history then.
    onSuccess: setSignedIn,
  })
  const isBusy = accept.isPending
  const expires = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'long',
    timeStyle: 'short',
  }).format(new Date(invite.expiresAt))

  if (signedIn) {
    return (
      <RecoveryCodeOffer
        signedIn={signedIn}
        onDone={() => {
          void completeSignIn(signedIn).then(() => navigate('/', { replace: true }))
        }}
      />
    )
  }
  return (
    <AuthLayout title={t('invite.title')} intro={t('invite.intro')}>
      <Form onSubmit={handleSubmit((values) => accept.mutate(values))}>
        {accept.isError && <Alert tone="error">{errorMessage(t, accept.error)}</Alert>}
        <Facts
          items={[
            { label: t('fields.username'), value: invite.username },
            { label: t('fields.email'), value: invite.email },
          ]}
        />
        <p>{t('invite.expires', { date: expires })}</p>
        {/* Lets password managers save the new login under the right username. */}
        <input
          type="text"
          name="username"
          autoComplete="username"
          value={invite.username}
          readOnly
          hidden
        />
        <FormTextField
          control={control}
          name="displayName"
          label={t('fields.displayName')}
          autoComplete="name"
          isDisabled={isBusy}
          errorText={validationText(t, 'displayName')}
        />
        <NewPasswordFields
          control={control}
          context={[invite.username, invite.email, displayName]}
          isDisabled={isBusy}
        />
        <Alert tone="warning">{t('password.warning')}</Alert>
        <Button type="submit" variant="primary" isWide isPending={isBusy}>
          {t('invite.submit')}
        </Button>
        {isBusy && <Progress label={t('invite.progress')} />}
      </Form>
    </AuthLayout>
  )
}
