import { createRecoveryCode, type SignedIn } from '@sealpost/core'
import { useMutation } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { AuthLayout } from '../../../ui/auth-layout'
import { Button } from '../../../ui/button'
import { Progress } from '../../../ui/progress'
import { RecoveryCodeKit } from './recovery-code-kit'

/**
 * Right after a password was chosen (setup, invite, recovery): offers a recovery code, which
 * can be skipped. The session is minutes old, so no password is asked again.
 */
export function RecoveryCodeOffer({
  signedIn,
  onDone,
  intro,
}: {
  signedIn: SignedIn
  onDone: () => void
  intro?: string
}) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const create = useMutation({
    mutationFn: () =>
      createRecoveryCode(api, {
        username: signedIn.session.user.username,
        keys: signedIn.session.keys,
        exportKey: signedIn.exportKey,
      }),
  })

  if (create.data) {
    return (
      <AuthLayout title={at('recovery.kit.title')} autoFocusTitle>
        <RecoveryCodeKit
          code={create.data}
          username={signedIn.session.user.username}
          onDone={onDone}
        />
      </AuthLayout>
    )
  }
  return (
    <AuthLayout title={at('recovery.offer.title')} intro={intro ?? at('recovery.offer.intro')}>
      {create.isError && <Alert tone="error">{errorMessage(t, create.error)}</Alert>}
      <Button variant="primary" isWide isPending={create.isPending} onPress={() => create.mutate()}>
        {at('recovery.offer.create')}
      </Button>
      {create.isPending && <Progress label={at('recovery.offer.progress')} />}
      <Button variant="quiet" isWide isDisabled={create.isPending} onPress={onDone}>
        {at('recovery.offer.skip')}
      </Button>
    </AuthLayout>
  )
}
