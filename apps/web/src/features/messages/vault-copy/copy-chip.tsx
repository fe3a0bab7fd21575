import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { CloseIcon } from '../../../ui/icons'
import { Progress } from '../../../ui/progress'
import { formatBytes } from '../../../lib/format'
import { useLocale } from '../../../lib/use-locale'
import { ItemIcon } from '../../../ui/item-icon'
import styles from './copy-chip.module.css'
import { copySummaryText } from './copy-tree'
import type { CopySource } from './use-copy-source'

/**
 * S7: the vault item attached to a message, as one line: "Folder 'Servers' (12 entries,
 * 3 files)". Removable, like a file; `problem` says why it cannot go as it is.
 */
export function CopyChip({
  source,
  onRemove,
  isDisabled,
  problem,
}: {
  source: CopySource
  onRemove: () => void
  isDisabled: boolean
  problem?: string
}) {
  const { t } = useTranslation()
  const locale = useLocale()

  if (source.status === 'loading') {
    return (
      <div className={styles.chip}>
        <Progress label={t('vaultCopy.preparing')} />
      </div>
    )
  }
  if (source.status !== 'ready') {
    return (
      <Alert tone="error">
        {source.status === 'error'
          ? t('vaultCopy.loadError', { reason: errorMessage(t, source.error) })
          : t('vaultCopy.missing')}
        <span className={styles.alertActions}>
          {source.status === 'error' && (
            <Button onPress={source.retry}>{t('vaultCopy.retry')}</Button>
          )}
          <Button onPress={onRemove} isDisabled={isDisabled}>
            {t('vaultCopy.removeCopy')}
          </Button>
        </span>
      </Alert>
    )
  }

  const { summary } = source
  return (
    <div className={styles.attached}>
      <ul className={styles.list} aria-label={t('vaultCopy.attached')}>
        <li className={styles.chip} data-invalid={problem ? '' : undefined}>
          <span className={styles.icon}>
            <ItemIcon type={summary.type} />
          </span>
          <span className={styles.text}>
            <span className={styles.summary}>{copySummaryText(t, summary)}</span>
            {summary.files > 0 && (
              <span className={styles.size}>{formatBytes(summary.bytes, locale)}</span>
            )}
          </span>
          <Button
            variant="quiet"
            isIconOnly
            isDisabled={isDisabled}
            aria-label={t('vaultCopy.remove', { name: summary.name })}
            onPress={onRemove}
          >
            <CloseIcon />
          </Button>
        </li>
      </ul>
      {problem ? (
        <Alert tone="error">{problem}</Alert>
      ) : (
        <p className={styles.help}>{t('vaultCopy.snapshotHelp')}</p>
      )}
    </div>
  )
}
