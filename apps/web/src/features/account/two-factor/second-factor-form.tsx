import { type SecondFactorAnswer, type SecondFactorChallenge } from '@sealpost/core'
import { startAuthentication } from '@simplewebauthn/browser'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { AuthLayout } from '../../../ui/auth-layout'
import { Button } from '../../../ui/button'
import { Form } from '../../../ui/form'
import { TextField } from '../../../ui/text-field'

/** The sign-in's second step: a code from the app or a backup code, or a security key. */
export function SecondFactorForm({
  challenge,
  onAnswer,
  onCancel,
}: {
  challenge: SecondFactorChallenge
  onAnswer: (answer: SecondFactorAnswer) => void
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const [code, setCode] = useState('')
  const [keyError, setKeyError] = useState<string | null>(null)
  const hasCode = challenge.methods.includes('totp') || challenge.methods.includes('backup_code')
  const hasKey = challenge.methods.includes('webauthn') && challenge.webauthn !== null

  const useKey = async () => {
    setKeyError(null)
    try {
      const assertion = await startAuthentication({
        optionsJSON: challenge.webauthn as Parameters<typeof startAuthentication>[0]['optionsJSON'],
      })
      onAnswer({ webauthn: assertion as unknown as Record<string, unknown> })
    } catch (error) {
      setKeyError(error instanceof Error ? error.message : String(error))
    }
  }

  return (
    <AuthLayout title={at('twoFactor.signIn.title')} intro={at('twoFactor.signIn.intro')}>
      <Form
        onSubmit={(event) => {
          event.preventDefault()
          const typed = code.trim()
          if (!typed) return
          onAnswer(/^\d{6}$/.test(typed) ? { totp: typed } : { backupCode: typed })
        }}
      >
        {challenge.error && (
          <Alert tone="error">
            {challenge.error.code === 'invalid_second_factor'
              ? at('twoFactor.signIn.wrong')
              : errorMessage(t, challenge.error)}
          </Alert>
        )}
        {keyError && (
          <Alert tone="error">{at('twoFactor.signIn.keyFailed', { reason: keyError })}</Alert>
        )}
        {hasKey && (
          <Button variant={hasCode ? 'secondary' : 'primary'} isWide onPress={() => void useKey()}>
            {at('twoFactor.signIn.useKey')}
          </Button>
        )}
        {hasCode && (
          <>
            <TextField
              label={at('twoFactor.signIn.code')}
              description={at('twoFactor.signIn.codeHelp')}
              value={code}
              onChange={setCode}
              autoComplete="one-time-code"
              autoFocus={!hasKey}
            />
            <Button type="submit" variant="primary" isWide>
              {at('twoFactor.signIn.submit')}
            </Button>
          </>
        )}
        <Button variant="quiet" isWide onPress={onCancel}>
          {at('twoFactor.signIn.cancel')}
        </Button>
      </Form>
    </AuthLayout>
  )
}
