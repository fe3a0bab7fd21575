import type { DirectoryUser, OpenVault } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Badge } from '../../../ui/badge'
import { Button } from '../../../ui/button'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Progress } from '../../../ui/progress'
import { Select } from '../../../ui/select'
import { showToast } from '../../../ui/toast'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { useDirectoryUsers, usePutMember, useRemoveMember, useVaultMembers } from '../use-vaults'
import { RekeyPrompt } from './rekey'
import { VaultGrantsSection } from './vault-grants-section'
import styles from './vault-members-dialog.module.css'

type Access = 'read' | 'write'

type Member = {
  userId: string
  username: string
  displayName: string
  canWrite: boolean
  active: boolean
}

/**
 * A shared vault's members. Administrators add people (the vault key is sealed to them on
 * this device), change read or read-write access, and remove them.
 */
export function VaultMembersDialog({ vault, onClose }: { vault: OpenVault; onClose: () => void }) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const isAdmin = session.user.role === 'admin'
  const members = useVaultMembers(vault.id)
  const directory = useDirectoryUsers(isAdmin)
  const put = usePutMember(vault)
  const [removing, setRemoving] = useState<Member | null>(null)

  const accessOptions: { id: Access; label: string }[] = [
    { id: 'read', label: t('vault.members.read') },
    { id: 'write', label: t('vault.members.write') },
  ]

  function changeAccess(member: Member, access: Access) {
    const user = directory.data?.find((u) => u.id === member.userId)
    if (!user) {
      showToast({
        tone: 'error',
        title: t('vault.members.notInDirectory', { name: member.displayName }),
      })
      return
    }
    put.mutate(
      { user, canWrite: access === 'write' },
      {
        onSuccess: () =>
          showToast({
            tone: 'success',
            title: t('vault.members.changed', { name: member.displayName }),
          }),
        onError: (error) =>
          showToast({
            tone: 'error',
            title: t('vault.members.changeFailed', { name: member.displayName }),
            description: errorMessage(t, error),
          }),
      },
    )
  }

  return (
    <>
      <ModalDialog
        title={t('vault.members.title', { name: vault.name })}
        size="wide"
        isOpen
        onOpenChange={(isOpen) => !isOpen && onClose()}
      >
        {(close) => (
          <>
            <p className={styles.intro}>
              {isAdmin ? t('vault.members.introAdmin') : t('vault.members.intro')}
            </p>
            {members.isPending ? (
              <Progress label={t('vault.members.loading')} />
            ) : members.isError ? (
              <Alert tone="error">
                {t('vault.members.loadError', { reason: errorMessage(t, members.error) })}
                <Button onPress={() => void members.refetch()}>{t('vault.retry')}</Button>
              </Alert>
            ) : (
              <ul className={styles.list} aria-label={t('vault.members.listLabel')}>
                {members.data.members.map((member) => {
                  const isSelf = member.userId === session.user.id
                  return (
                    <li key={member.userId} className={styles.member}>
                      <div className={styles.who}>
                        <span className={styles.name}>
                          {member.displayName} {isSelf && t('vault.members.you')}
                        </span>
                        <span className={styles.username}>{member.username}</span>
                      </div>
                      {!member.active && <Badge tone="neutral">{t('vault.rekey.disabled')}</Badge>}
                      {isAdmin && !isSelf ? (
                        <>
                          <Select
                            label={t('vault.members.accessFor', { name: member.displayName })}
                            options={accessOptions}
                            value={member.canWrite ? 'write' : 'read'}
                            onChange={(access) => changeAccess(member, access)}
                            isDisabled={put.isPending || directory.isPending}
                            className={styles.access}
                          />
                          <Button variant="quiet" onPress={() => setRemoving(member)}>
                            {t('vault.members.remove')}
                          </Button>
                        </>
                      ) : (
                        <Badge tone={member.canWrite ? 'accent' : 'neutral'}>
                          {member.canWrite ? t('vault.members.write') : t('vault.members.read')}
                        </Badge>
                      )}
                    </li>
                  )
                })}
              </ul>
            )}
            {isAdmin && members.data && (
              <AddMember
                vault={vault}
                directory={directory.data}
                isDirectoryPending={directory.isPending}
                directoryError={directory.error}
                memberIds={new Set(members.data.members.map((m) => m.userId))}
                accessOptions={accessOptions}
              />
            )}
            {members.data && (
              <VaultGrantsSection vault={vault} isAdmin={isAdmin} accessOptions={accessOptions} />
            )}
            {members.data && <RekeyPrompt vault={vault} always />}
            <DialogActions>
              <Button variant="primary" onPress={close}>
                {t('vault.close')}
              </Button>
            </DialogActions>
          </>
        )}
      </ModalDialog>
      {removing && (
        <RemoveMemberDialog vault={vault} member={removing} onClose={() => setRemoving(null)} />
      )}
    </>
  )
}

function AddMember({
  vault,
  directory,
  isDirectoryPending,
  directoryError,
  memberIds,
  accessOptions,
}: {
  vault: OpenVault
  directory: DirectoryUser[] | undefined
  isDirectoryPending: boolean
  directoryError: unknown
  memberIds: Set<string>
  accessOptions: { id: Access; label: string }[]
}) {
  const { t } = useTranslation()
  const put = usePutMember(vault)
  const [userId, setUserId] = useState<string>('')
  const [access, setAccess] = useState<Access>('read')
  const candidates = (directory ?? []).filter((u) => !memberIds.has(u.id))
  const chosen = candidates.find((u) => u.id === userId)

  if (isDirectoryPending) return <Progress label={t('vault.members.loadingPeople')} />
  if (directoryError) return <Alert tone="error">{errorMessage(t, directoryError)}</Alert>

  return (
    <section className={styles.add} aria-labelledby="add-member-title">
      <h3 id="add-member-title" className={styles.addTitle}>
        {t('vault.members.add')}
      </h3>
      {candidates.length === 0 ? (
        <p className={styles.intro}>{t('vault.members.everyone')}</p>
      ) : (
        <div className={styles.addRow}>
          <Select
            label={t('vault.members.person')}
            options={[
              { id: '', label: t('vault.members.choosePerson') },
              ...candidates.map((u) => ({ id: u.id, label: `${u.displayName} (${u.username})` })),
            ]}
            value={userId}
            onChange={setUserId}
            isDisabled={put.isPending}
            className={styles.person}
          />
          <Select
            label={t('vault.members.access')}
            options={accessOptions}
            value={access}
            onChange={setAccess}
            isDisabled={put.isPending}
            className={styles.access}
          />
          <Button
            variant="primary"
            isDisabled={!chosen}
            isPending={put.isPending}
            onPress={() => {
              if (!chosen) return
              put.mutate(
                { user: chosen, canWrite: access === 'write' },
                {
                  onSuccess: () => {
                    showToast({
                      tone: 'success',
                      title: t('vault.members.added', { name: chosen.displayName }),
                    })
                    setUserId('')
                  },
                },
              )
            }}
          >
            {t('vault.members.addButton')}
          </Button>
        </div>
      )}
      {put.isError && <Alert tone="error">{errorMessage(t, put.error)}</Alert>}
    </section>
  )
}

function RemoveMemberDialog({
  vault,
  member,
  onClose,
}: {
  vault: OpenVault
  member: Member
  onClose: () => void
}) {
  const { t } = useTranslation()
  const remove = useRemoveMember(vault)
  return (
    <ModalDialog
      title={t('vault.members.removeTitle', { name: member.displayName, vault: vault.name })}
      role="alertdialog"
      isOpen
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      {(close) => (
        <>
          <p>{t('vault.members.removeBody', { name: member.displayName })}</p>
          <Alert tone="warning">
            {t('vault.members.noRotation', { name: member.displayName })}
          </Alert>
          {remove.isError && <Alert tone="error">{errorMessage(t, remove.error)}</Alert>}
          <DialogActions>
            <Button onPress={close} autoFocus isDisabled={remove.isPending}>
              {t('vault.cancel')}
            </Button>
            <Button
              variant="danger"
              isPending={remove.isPending}
              onPress={() =>
                remove.mutate(member.userId, {
                  onSuccess: () => {
                    showToast({
                      tone: 'success',
                      title: t('vault.members.removed', { name: member.displayName }),
                    })
                    close()
                  },
                })
              }
            >
              {t('vault.members.removeConfirm')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}
