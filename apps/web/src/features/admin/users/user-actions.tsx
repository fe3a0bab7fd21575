import type { User } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { MenuTrigger } from 'react-aria-components'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { MoreIcon } from '../../../ui/icons'
import { Menu, MenuItem } from '../../../ui/menu'
import { ReinviteDialog } from './invite-link'
import { ResetLinkDialog } from '../account-recovery/reset-link-dialog'
import { useRecoveryOverview } from '../account-recovery/use-account-recovery'
import { useEndUserSessions, useReinviteUser, useUpdateUser } from './use-users'

type OpenDialog = 'disable' | 'reinvite' | 'end-sessions' | 'reset' | null

/** The per-row menu: role, disable/enable, and a new invite link for invited users. */
export function UserActions({ user, isSelf }: { user: User; isSelf: boolean }) {
  const { t } = useTranslation()
  const update = useUpdateUser()
  const reinvite = useReinviteUser()
  const endSessions = useEndUserSessions()
  const { t: at } = useTranslation('account')
  const recovery = useRecoveryOverview()
  const isEnrolled = recovery.data?.enrolledUserIds.includes(user.id) ?? false
  const [dialog, setDialog] = useState<OpenDialog>(null)
  const closeDialog = (isOpen: boolean) => {
    if (!isOpen) setDialog(null)
  }

  const onAction = (key: string | number) => {
    if (key === 'role') {
      update.mutate({ user, change: { role: user.role === 'admin' ? 'member' : 'admin' } })
    } else if (key === 'disable') {
      setDialog('disable')
    } else if (key === 'enable') {
      update.mutate({ user, change: { status: 'active' } })
    } else if (key === 'reset') {
      setDialog('reset')
    } else if (key === 'end-sessions') {
      setDialog('end-sessions')
    } else if (key === 'reinvite') {
      reinvite.mutate(user)
      setDialog('reinvite')
    }
  }

  return (
    <>
      <MenuTrigger>
        <Button
          variant="quiet"
          isIconOnly
          aria-label={t('users.actionsFor', { username: user.username })}
        >
          <MoreIcon />
        </Button>
        <Menu onAction={onAction}>
          <MenuItem id="role">
            {user.role === 'admin' ? t('users.makeMember') : t('users.makeAdmin')}
          </MenuItem>
          {user.status === 'invited' && (
            <MenuItem id="reinvite">{t('users.newInviteLink')}</MenuItem>
          )}
          {user.status === 'active' && (
            <MenuItem id="end-sessions">{t('users.endSessions')}</MenuItem>
          )}
          {isEnrolled && !isSelf && <MenuItem id="reset">{at('orgRecovery.resetAction')}</MenuItem>}
          {user.status === 'disabled' ? (
            <MenuItem id="enable">{t('users.enable')}</MenuItem>
          ) : (
            !isSelf && (
              <MenuItem id="disable" isDanger>
                {t('users.disable')}
              </MenuItem>
            )
          )}
        </Menu>
      </MenuTrigger>

      <ModalDialog
        title={t('users.disableTitle', { name: user.displayName })}
        role="alertdialog"
        isOpen={dialog === 'disable'}
        onOpenChange={closeDialog}
      >
        {(close) => (
          <>
            <p>{t('users.disableBody')}</p>
            <DialogActions>
              <Button onPress={close} autoFocus>
                {t('users.cancel')}
              </Button>
              <Button
                variant="danger"
                onPress={() => {
                  update.mutate({ user, change: { status: 'disabled' } })
                  close()
                }}
              >
                {t('users.disableConfirm')}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>

      <ModalDialog
        title={t('users.endSessionsTitle', { name: user.displayName })}
        role="alertdialog"
        isOpen={dialog === 'end-sessions'}
        onOpenChange={closeDialog}
      >
        {(close) => (
          <>
            <p>{t('users.endSessionsBody')}</p>
            <DialogActions>
              <Button onPress={close} autoFocus>
                {t('users.cancel')}
              </Button>
              <Button
                variant="danger"
                onPress={() => {
                  endSessions.mutate(user)
                  close()
                }}
              >
                {t('users.endSessionsConfirm')}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>

      {dialog === 'reset' && <ResetLinkDialog user={user} onClose={() => setDialog(null)} />}

      {dialog === 'reinvite' && (
        <ReinviteDialog user={user} reinvite={reinvite} onOpenChange={closeDialog} />
      )}
    </>
  )
}
