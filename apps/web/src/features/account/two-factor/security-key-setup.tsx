import type { PasswordProof } from '@sealpost/core'
import { startRegistration } from '@simplewebauthn/browser'
import { useMutation } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { Form } from '../../../ui/form'
import { TextField } from '../../../ui/text-field'
import { BackupCodesList } from './backup-codes'

/** Adds a security key or passkey (WebAuthn); the first factor also gets backup codes. */
export function SecurityKeySetup({ proof, onDone }: { proof?: PasswordProof; onDone: () => void }) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const [name, setName] = useState<string>(at('twoFactor.key.defaultName'))
  const register = useMutation({
    mutationFn: async () => {
      const { options } = await api.webauthnRegistrationOptions(proof ? { proof } : {})
      const response = await startRegistration({
        optionsJSON: options as unknown as Parameters<typeof startRegistration>[0]['optionsJSON'],
      })
      return api.webauthnRegister({
        name: name.trim() || at('twoFactor.key.defaultName'),
        response: response as unknown as Record<string, unknown>,
      })
    },
  })
  if (register.data) {
    return register.data.backupCodes.length > 0 ? (
      <BackupCodesList codes={register.data.backupCodes} onDone={onDone} />
    ) : (
      <>
        <p>{at('twoFactor.key.added')}</p>
        <Button variant="primary" onPress={onDone}>
          {at('twoFactor.backup.done')}
        </Button>
      </>
    )
  }
  return (
    <Form
      onSubmit={(event) => {
        event.preventDefault()
        register.mutate()
      }}
    >
      <p>{at('twoFactor.key.intro')}</p>
      {register.isError && <Alert tone="error">{errorMessage(t, register.error)}</Alert>}
      <TextField label={at('twoFactor.key.name')} value={name} onChange={setName} />
      <Button type="submit" variant="primary" isPending={register.isPending}>
        {at('twoFactor.key.add')}
      </Button>
    </Form>
  )
}
