import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions } from '../../../ui/dialog'
import { AlertIcon, CheckIcon, CopyIcon } from '../../../ui/icons'
import { TextField } from '../../../ui/text-field'
import { exactTime } from '../../../lib/format'
import { useCopyField } from '../../../lib/use-copy-field'
import { useLocale } from '../../../lib/use-locale'
import styles from './link-created.module.css'
import type { CreatedLink } from './use-links'

/** Whether every address of an emailed link got its email. */
export function isEmailedToAll(link: CreatedLink): boolean {
  return !link.email || (link.email.failure === null && link.email.results.every((r) => r.ok))
}

/**
 * The result of Create shareable link and Send by email: the link, once (S20), with Copy,
 * who can open it how often until when, and for email each address's delivery (S22).
 */
export function LinkCreated({ link, onDone }: { link: CreatedLink; onDone: () => void }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { status: copy, copy: copyLink, fieldProps } = useCopyField(link.url)
  const email = link.email

  return (
    <div className={styles.created}>
      {!email && <Alert tone="info">{t('compose.linkOnce')}</Alert>}
      {email && (
        <section className={styles.deliveries} aria-label={t('compose.emailResults')}>
          {email.failure !== null && (
            <Alert tone="error">
              {t('compose.emailRequestFailed', { reason: errorMessage(t, email.failure) })}
            </Alert>
          )}
          {email.results.length > 0 && (
            <ul className={styles.results}>
              {email.results.map((result) => (
                <li
                  key={result.to}
                  className={result.ok ? styles.sent : styles.failed}
                  data-ok={result.ok}
                >
                  {result.ok ? <CheckIcon /> : <AlertIcon width="16" height="16" />}
                  <span>
                    {result.ok
                      ? t('compose.emailSentTo', { address: result.to })
                      : t('compose.emailFailedTo', {
                          address: result.to,
                          error: result.error ?? '',
                        })}
                  </span>
                </li>
              ))}
            </ul>
          )}
          {!isEmailedToAll(link) && <Alert tone="warning">{t('compose.emailFailed')}</Alert>}
        </section>
      )}
      <div className={styles.row}>
        <TextField
          className={styles.field}
          label={t('compose.link')}
          {...fieldProps}
          autoFocus={!email}
        />
        <Button variant={email ? 'secondary' : 'primary'} onPress={() => void copyLink()}>
          <CopyIcon />
          {t('compose.copyLink')}
        </Button>
      </div>
      <span className={styles.copied} role="status" data-failed={copy === 'failed' || undefined}>
        {copy === 'copied' && (
          <>
            <CheckIcon />
            {t('compose.copied')}
          </>
        )}
        {copy === 'failed' && t('compose.copyFailed')}
      </span>
      <p>
        {t('compose.linkUsage', {
          count: link.maxViews,
          date: exactTime(link.expiresAt, locale),
        })}
      </p>
      {link.hasPassphrase && <p>{t('compose.linkNeedsPassphrase')}</p>}
      <DialogActions>
        <Button variant="primary" onPress={onDone} autoFocus={Boolean(email)}>
          {t('compose.done')}
        </Button>
      </DialogActions>
    </div>
  )
}
