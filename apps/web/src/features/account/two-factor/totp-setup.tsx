import { ApiError, type PasswordProof } from '@sealpost/core'
import { useMutation, useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { Form } from '../../../ui/form'
import { PageProgress } from '../../../ui/progress'
import { TextField } from '../../../ui/text-field'
import { BackupCodesList } from './backup-codes'
import styles from './two-factor.module.css'

/**
 * Authenticator-app set-up: the secret to add (typed or as an otpauth:// link), a code to
 * confirm it, then the backup codes once. `proof` is needed unless the sign-in is minutes old.
 */
export function TotpSetup({ proof, onDone }: { proof?: PasswordProof; onDone: () => void }) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const [code, setCode] = useState('')
  const setup = useQuery({
    queryKey: ['account', 'totp-setup', proof?.loginId ?? 'fresh'],
    queryFn: () => api.totpSetup(proof ? { proof } : {}),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
  })
  const confirm = useMutation({
    mutationFn: () => api.totpConfirm({ code: code.trim() }),
    onError: () => setCode(''),
  })

  if (confirm.data) return <BackupCodesList codes={confirm.data.backupCodes} onDone={onDone} />
  if (setup.isError) return <Alert tone="error">{errorMessage(t, setup.error)}</Alert>
  if (!setup.data) return <PageProgress label={at('twoFactor.totp.loading')} />
  return (
    <Form
      onSubmit={(event) => {
        event.preventDefault()
        confirm.mutate()
      }}
    >
      <p>{at('twoFactor.totp.intro')}</p>
      <div className={styles.stack}>
        <span>{at('twoFactor.totp.secret')}</span>
        <code className={styles.secret} aria-label={at('twoFactor.totp.secret')}>
          {setup.data.secret}
        </code>
        <a href={setup.data.uri}>{at('twoFactor.totp.openApp')}</a>
      </div>
      {confirm.isError && (
        <Alert tone="error">
          {confirm.error instanceof ApiError && confirm.error.code === 'invalid_second_factor'
            ? at('twoFactor.signIn.wrong')
            : errorMessage(t, confirm.error)}
        </Alert>
      )}
      <TextField
        label={at('twoFactor.totp.code')}
        value={code}
        onChange={setCode}
        autoComplete="one-time-code"
      />
      <Button type="submit" variant="primary" isPending={confirm.isPending}>
        {at('twoFactor.totp.confirm')}
      </Button>
    </Form>
  )
}
