import type { SendProgress } from '@sealpost/core'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DialogActions, DialogFooter } from '../../ui/dialog'
import { EnvelopeIcon, LinkIcon, SendIcon } from '../../ui/icons'
import { Progress, ProgressMeter } from '../../ui/progress'
import styles from './compose-dialog.module.css'
import type { ComposeMode } from './compose-schema'
import { CopyGoneError } from './use-messages'

/** Under the tabs: what went wrong, the progress of sending, and Cancel / Send. */
export function ComposeFooter({
  mode,
  failure,
  progress,
  isEmailing,
  hasPassphrase,
  isBusy,
  canSend,
  onCancel,
}: {
  mode: ComposeMode
  failure: Error | null
  progress: SendProgress | null
  isEmailing: boolean
  hasPassphrase: boolean
  isBusy: boolean
  /** False while an attached copy is not ready to go. */
  canSend: boolean
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const shortcutId = useId()
  return (
    <DialogFooter>
      {failure && (
        <Alert tone="error">
          {failure instanceof CopyGoneError ? t('vaultCopy.goneAtSend') : errorMessage(t, failure)}
          <span>{mode === 'in-app' ? t('compose.keptDraft') : t('compose.keptLinkDraft')}</span>
        </Alert>
      )}
      {progress && (
        <SendingProgress
          mode={mode}
          progress={progress}
          isEmailing={isEmailing}
          hasPassphrase={hasPassphrase}
        />
      )}
      <DialogActions>
        <span id={shortcutId} className={styles.shortcut}>
          {t('compose.sendShortcut', { key: isApple() ? '⌘' : 'Ctrl' })}
        </span>
        <Button onPress={onCancel} isDisabled={isBusy}>
          {t('compose.cancel')}
        </Button>
        <Button
          type="submit"
          variant="primary"
          isPending={isBusy}
          isDisabled={!canSend}
          aria-describedby={shortcutId}
        >
          {mode === 'in-app' && (
            <>
              <SendIcon />
              {t('compose.send')}
            </>
          )}
          {mode === 'email' && (
            <>
              <EnvelopeIcon width="16" height="16" />
              {t('compose.sendEmail')}
            </>
          )}
          {mode === 'link' && (
            <>
              <LinkIcon />
              {t('compose.createLink')}
            </>
          )}
        </Button>
      </DialogActions>
    </DialogFooter>
  )
}

/** Apple keyboards send with ⌘+Enter, the others with Ctrl+Enter (the form takes both). */
function isApple(): boolean {
  return /Mac|iPhone|iPad/.test(navigator.userAgent)
}

/** What is happening while a message or link is sealed and sent. */
function SendingProgress({
  mode,
  progress,
  isEmailing,
  hasPassphrase,
}: {
  mode: ComposeMode
  progress: SendProgress
  isEmailing: boolean
  hasPassphrase: boolean
}) {
  const { t } = useTranslation()
  const percent =
    progress.totalBytes > 0 ? Math.round((progress.sentBytes / progress.totalBytes) * 100) : null
  if (mode === 'in-app') {
    return percent === null ? (
      <Progress label={t('compose.sealing')} />
    ) : (
      <ProgressMeter
        label={t('compose.uploading', { percent: String(percent) })}
        percent={percent}
      />
    )
  }
  if (isEmailing) return <Progress label={t('compose.emailing')} />
  // Argon2id runs before the upload starts (S20): say why it takes a moment.
  if (percent === null || (percent === 0 && hasPassphrase)) {
    return (
      <Progress
        label={hasPassphrase ? t('compose.creatingLinkPassphrase') : t('compose.creatingLink')}
      />
    )
  }
  return (
    <ProgressMeter
      label={t('compose.uploadingLink', { percent: String(percent) })}
      percent={percent}
    />
  )
}
