import { useTranslation } from 'react-i18next'
import { Label, Meter } from 'react-aria-components'
import { passwordStrength, strengthPercent } from '../lib/password-strength'
import styles from './password-strength-meter.module.css'

const FILLED = { empty: 0, weak: 1, fair: 2, good: 3, strong: 4 } as const

export function PasswordStrengthMeter({
  password,
  context,
  label: meterLabel,
}: {
  password: string
  context: readonly string[]
  /** "Password strength" unless told otherwise ("Passphrase strength"). */
  label?: string
}) {
  const { t } = useTranslation()
  const strength = passwordStrength(password, context)
  const label = t(`password.levels.${strength}`)
  return (
    <Meter
      value={strengthPercent(password, context)}
      valueLabel={label}
      className={`${styles.meter} ${styles[strength]}`}
    >
      <Label className={styles.label}>{meterLabel ?? t('password.strength')}</Label>
      <span className={styles.value}>{label}</span>
      <span className={styles.bars} aria-hidden="true">
        {[1, 2, 3, 4].map((bar) => (
          <span key={bar} className={`${styles.bar} ${bar <= FILLED[strength] ? styles.on : ''}`} />
        ))}
      </span>
    </Meter>
  )
}
