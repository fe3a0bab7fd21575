import type { InviteResponse, User } from '@sealpost/core'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { useCopyField } from '../../../lib/use-copy-field'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { CheckIcon, CopyIcon } from '../../../ui/icons'
import { Progress } from '../../../ui/progress'
import { TextField } from '../../../ui/text-field'
import styles from './invite-link.module.css'

const DAY_MS = 24 * 60 * 60 * 1000

function daysUntil(timestamp: string): number {
  return Math.max(1, Math.round((Date.parse(timestamp) - Date.now()) / DAY_MS))
}

/** The one-time link, a Copy button and how long it is valid. */
export function InviteLink({ invite }: { invite: InviteResponse }) {
  const { t } = useTranslation()
  const { status: copy, copy: copyLink, fieldProps } = useCopyField(invite.inviteUrl)

  return (
    <div className={styles.link}>
      <div className={styles.row}>
        <TextField className={styles.field} label={t('inviteDialog.link')} {...fieldProps} />
        <Button variant="primary" onPress={() => void copyLink()}>
          <CopyIcon />
          {t('inviteDialog.copy')}
        </Button>
      </div>
      <span className={styles.copied} role="status">
        {copy === 'copied' && (
          <>
            <CheckIcon />
            {t('inviteDialog.copied')}
          </>
        )}
        {copy === 'failed' && t('inviteDialog.copyFailed')}
      </span>
      <p>{t('inviteDialog.validFor', { count: daysUntil(invite.expiresAt) })}</p>
      <p className={styles.note}>
        {t('inviteDialog.shareHint', { username: invite.user.username })}
      </p>
    </div>
  )
}

/** "New invite link" for an invited user: shows the link the row menu asked for. */
export function ReinviteDialog({
  user,
  reinvite,
  onOpenChange,
}: {
  user: User
  reinvite: { isPending: boolean; error: Error | null; data: InviteResponse | undefined }
  onOpenChange: (isOpen: boolean) => void
}) {
  const { t } = useTranslation()
  return (
    <ModalDialog
      title={t('inviteDialog.linkTitle', { username: user.username })}
      isOpen
      onOpenChange={onOpenChange}
    >
      {(close) => (
        <>
          {reinvite.isPending && <Progress label={t('inviteDialog.progress')} />}
          {reinvite.error && (
            <Alert tone="error">
              {t('inviteDialog.reinviteFailed', {
                username: user.username,
                reason: errorMessage(t, reinvite.error),
              })}
            </Alert>
          )}
          {reinvite.data && <InviteLink invite={reinvite.data} />}
          <DialogActions>
            <Button variant={reinvite.data ? 'primary' : 'secondary'} onPress={close}>
              {t('inviteDialog.done')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}
