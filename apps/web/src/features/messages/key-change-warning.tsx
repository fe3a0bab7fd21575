import { useTranslation } from 'react-i18next'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import type { SeenKey } from './known-keys'

/** Loud: someone's keys are not the ones this browser saw before (DESIGN.md §3 "Known keys"). */
export function KeyChangeWarning({
  name,
  changed,
  onTrust,
}: {
  name: string
  changed: SeenKey
  onTrust: (key: SeenKey) => void
}) {
  const { t } = useTranslation()
  return (
    <Alert tone="warning">
      <strong>{t('keys.changedTitle', { name })}</strong>
      <span>{t('keys.changedBody', { name })}</span>
      <code>{changed.fingerprint}</code>
      <Button onPress={() => onTrust(changed)}>{t('keys.trust')}</Button>
    </Alert>
  )
}
