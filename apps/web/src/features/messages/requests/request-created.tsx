import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { exactTime } from '../../../lib/format'
import { useCopyField } from '../../../lib/use-copy-field'
import { useLocale } from '../../../lib/use-locale'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions } from '../../../ui/dialog'
import { AlertIcon, CheckIcon, CopyIcon } from '../../../ui/icons'
import { TextField } from '../../../ui/text-field'
import styles from './create-request-dialog.module.css'
import type { CreatedRequest } from './use-requests'

/** The link, to copy (it can be copied again from Requests), and each address's delivery. */
export function RequestCreated({
  request,
  onDone,
}: {
  request: CreatedRequest
  onDone: () => void
}) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { status: copy, copy: copyLink, fieldProps } = useCopyField(request.url)
  const email = request.email

  return (
    <div className={styles.created}>
      <p>{t('requests.createdBody')}</p>
      {email?.failure != null && (
        <Alert tone="error">
          {t('requests.emailFailed', { reason: errorMessage(t, email.failure) })}
        </Alert>
      )}
      {email && email.results.length > 0 && (
        <ul className={styles.results}>
          {email.results.map((result) => (
            <li key={result.to} className={result.ok ? styles.sent : styles.failed}>
              {result.ok ? <CheckIcon /> : <AlertIcon width="16" height="16" />}
              <span>
                {result.ok
                  ? t('requests.emailedTo', { address: result.to })
                  : t('requests.emailFailedTo', { address: result.to, error: result.error ?? '' })}
              </span>
            </li>
          ))}
        </ul>
      )}
      <div className={styles.row}>
        <TextField className={styles.link} label={t('requests.link')} {...fieldProps} autoFocus />
        <Button variant="primary" onPress={() => void copyLink()}>
          <CopyIcon />
          {t('requests.copyLink')}
        </Button>
      </div>
      <span className={styles.copied} role="status">
        {copy === 'copied' && t('requests.linkCopied')}
        {copy === 'failed' && t('requests.linkCopyFailed')}
      </span>
      <p className={styles.help}>{exactTime(request.expiresAt, locale)}</p>
      <DialogActions>
        <Button onPress={onDone}>{t('requests.done')}</Button>
      </DialogActions>
    </div>
  )
}
