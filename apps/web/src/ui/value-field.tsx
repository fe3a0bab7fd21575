import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCopy } from '../lib/clipboard'
import { safeHref } from '../lib/safe-href'
import { Button } from './button'
import { CopyIcon, EyeIcon } from './icons'
import { EyeOffIcon } from './item-icons'
import styles from './value-field.module.css'

/**
 * One labelled value of a vault entry (in a `<dl>`) with Copy; a secret shows dots until
 * "Show"; a web address is a link (http and https only).
 */
export function ValueField({
  label,
  value,
  isSecret = false,
  isUrl = false,
}: {
  label: string
  value: string
  isSecret?: boolean
  isUrl?: boolean
}) {
  const { t } = useTranslation()
  const copy = useCopy()
  const [isShown, setShown] = useState(false)
  const isMasked = isSecret && !isShown
  const href = isUrl ? safeHref(value) : null
  return (
    <div className={styles.field}>
      <dt className={styles.label}>{label}</dt>
      <dd className={styles.valueRow}>
        <span className={`${styles.value} ${isSecret ? styles.secret : ''}`}>
          {isMasked ? (
            <>
              <span aria-hidden="true">••••••••••••</span>
              <span className="visually-hidden">{t('valueField.hidden')}</span>
            </>
          ) : href ? (
            <a href={href} target="_blank" rel="noopener noreferrer">
              {value}
            </a>
          ) : (
            value
          )}
        </span>
        <span className={styles.actions}>
          {isSecret && (
            <Button
              variant="quiet"
              isIconOnly
              aria-label={
                isShown ? t('valueField.hide', { label }) : t('valueField.show', { label })
              }
              aria-pressed={isShown}
              onPress={() => setShown((shown) => !shown)}
            >
              {isShown ? <EyeOffIcon /> : <EyeIcon />}
            </Button>
          )}
          <Button
            variant="quiet"
            isIconOnly
            aria-label={t('valueField.copy', { label })}
            onPress={() => void copy(value, label)}
          >
            <CopyIcon />
          </Button>
        </span>
      </dd>
    </div>
  )
}
