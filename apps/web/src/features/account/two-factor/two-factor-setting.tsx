import { type PasswordProof, provePassword } from '@sealpost/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { api } from '../../../api'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { ModalDialog } from '../../../ui/dialog'
import { Form } from '../../../ui/form'
import { TextField } from '../../../ui/text-field'
import { SecurityKeySetup } from './security-key-setup'
import { TotpSetup } from './totp-setup'
import styles from './two-factor.module.css'

const statusKey = ['account', 'two-factor'] as const
type Flow = 'totp' | 'key' | 'off'

/** The profile's two-factor line: what is on, and buttons to add, or turn everything off. */
export function TwoFactorSetting() {
  const { t: at } = useTranslation('account')
  const queryClient = useQueryClient()
  const [flow, setFlow] = useState<Flow | null>(null)
  const status = useQuery({ queryKey: statusKey, queryFn: () => api.twoFactorStatus() })
  const close = () => {
    setFlow(null)
    void queryClient.invalidateQueries({ queryKey: statusKey })
  }
  const data = status.data
  const isOn = data && (data.totp || data.webauthn.length > 0)
  return (
    <div className={styles.stack}>
      <p>
        {!data
          ? at('twoFactor.setting.loading')
          : isOn
            ? at('twoFactor.setting.on', {
                methods: [
                  ...(data.totp ? [at('twoFactor.setting.app')] : []),
                  ...data.webauthn.map((key) => key.name),
                ].join(', '),
                count: data.backupCodesLeft,
              })
            : at('twoFactor.setting.off')}
      </p>
      <div className={styles.row}>
        {data && !data.totp && (
          <Button onPress={() => setFlow('totp')}>{at('twoFactor.setting.setUpApp')}</Button>
        )}
        <Button onPress={() => setFlow('key')}>{at('twoFactor.setting.addKey')}</Button>
        {isOn && !data.required && (
          <Button variant="danger" onPress={() => setFlow('off')}>
            {at('twoFactor.setting.turnOff')}
          </Button>
        )}
      </div>
      {flow && <TwoFactorDialog flow={flow} onClose={close} />}
    </div>
  )
}

/** Asks for the password first (a proof for the server), then runs the chosen flow. */
function TwoFactorDialog({ flow, onClose }: { flow: Flow; onClose: () => void }) {
  const { t } = useTranslation()
  const { t: at } = useTranslation('account')
  const [password, setPassword] = useState('')
  const [proof, setProof] = useState<PasswordProof | null>(null)
  const prove = useMutation({
    mutationFn: async () => {
      const proven = await provePassword(api, password)
      if (flow === 'off') await api.twoFactorOff({ proof: proven.proof })
      return proven.proof
    },
    onSuccess: (result) => (flow === 'off' ? onClose() : setProof(result)),
    onError: () => setPassword(''),
  })
  const title = at(`twoFactor.dialog.${flow}`)
  return (
    <ModalDialog title={title} isOpen onOpenChange={(open) => !open && onClose()}>
      {proof ? (
        flow === 'totp' ? (
          <TotpSetup proof={proof} onDone={onClose} />
        ) : (
          <SecurityKeySetup proof={proof} onDone={onClose} />
        )
      ) : (
        <Form
          onSubmit={(event) => {
            event.preventDefault()
            prove.mutate()
          }}
        >
          <p>{at('twoFactor.dialog.confirm')}</p>
          {prove.isError && <Alert tone="error">{errorMessage(t, prove.error)}</Alert>}
          <TextField
            label={at('account.password.current')}
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            autoFocus
          />
          <div className={styles.row}>
            <Button onPress={onClose}>{at('account.cancel')}</Button>
            <Button
              type="submit"
              variant={flow === 'off' ? 'danger' : 'primary'}
              isPending={prove.isPending}
            >
              {flow === 'off' ? at('twoFactor.setting.turnOff') : at('twoFactor.dialog.continue')}
            </Button>
          </div>
        </Form>
      )}
    </ModalDialog>
  )
}
