import type { GroupDetail } from '@sealpost/core'
import { useId } from 'react'
import { useTranslation } from 'react-i18next'
import { DialogTrigger } from 'react-aria-components'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Badge } from '../../../ui/badge'
import { Button } from '../../../ui/button'
import { ConfirmAction } from '../../../ui/confirm-action'
import { ModalDialog } from '../../../ui/dialog'
import { CloseIcon, PencilIcon, TrashIcon } from '../../../ui/icons'
import { Skeleton } from '../../../ui/skeleton'
import { AddMembersDialog } from './add-members-dialog'
import { GroupNameForm } from './group-name-form'
import { GroupPolicy } from './group-policy'
import { useChangeMembers, useDeleteGroup, useGroup, useRenameGroup } from './use-groups'
import layout from '../admin-page.module.css'
import styles from './groups-page.module.css'

const STATUS_TONE = { active: 'success', invited: 'warning', disabled: 'neutral' } as const

/** The selected group: its members, Rename and Delete, and its policy values. */
export function GroupDetailPanel({
  groupId,
  onClose,
  onDeleted,
}: {
  groupId: string
  onClose: () => void
  onDeleted: () => void
}) {
  const { t } = useTranslation()
  const group = useGroup(groupId)
  const titleId = useId()

  return (
    <section className={`${layout.card} ${styles.detail}`} aria-labelledby={titleId}>
      {group.isPending && (
        <div className={styles.skeletonRows} aria-busy="true">
          <span className="visually-hidden" role="status" id={titleId}>
            {t('groups.loadingGroup')}
          </span>
          <Skeleton width="40%" height="28px" />
          <Skeleton height="40px" />
          <Skeleton height="40px" />
        </div>
      )}
      {group.isError && (
        <div className={styles.error}>
          <h2 id={titleId} className="visually-hidden">
            {t('groups.title')}
          </h2>
          <Alert tone="error">
            {t('groups.loadGroupError', { reason: errorMessage(t, group.error) })}
            <Button onPress={() => void group.refetch()}>{t('users.retry')}</Button>
          </Alert>
        </div>
      )}
      {group.data && (
        <>
          <div className={styles.detailHeader}>
            <h2 id={titleId} className={styles.detailTitle}>
              {group.data.name}
            </h2>
            <div className={styles.detailActions}>
              <RenameGroupDialog group={group.data} />
              <DeleteGroup group={group.data} titleId={titleId} onDeleted={onDeleted} />
              <Button
                variant="quiet"
                isIconOnly
                aria-label={t('groups.closeDetail')}
                onPress={onClose}
              >
                <CloseIcon />
              </Button>
            </div>
          </div>
          <Members group={group.data} />
          <GroupPolicy group={group.data} />
        </>
      )}
    </section>
  )
}

function RenameGroupDialog({ group }: { group: GroupDetail }) {
  const { t } = useTranslation()
  const rename = useRenameGroup(group)
  return (
    <DialogTrigger onOpenChange={(isOpen) => isOpen && rename.reset()}>
      <Button variant="quiet">
        <PencilIcon />
        {t('groups.rename')}
      </Button>
      <ModalDialog title={t('groups.renameTitle', { name: group.name })}>
        {(close) => (
          <GroupNameForm
            initialName={group.name}
            submitLabel={t('groups.renameSubmit')}
            progressLabel={t('groups.renaming')}
            save={rename}
            close={close}
          />
        )}
      </ModalDialog>
    </DialogTrigger>
  )
}

function DeleteGroup({
  group,
  titleId,
  onDeleted,
}: {
  group: GroupDetail
  titleId: string
  onDeleted: () => void
}) {
  const { t } = useTranslation()
  const remove = useDeleteGroup(group)
  return (
    <ConfirmAction
      label={t('groups.delete')}
      icon={<TrashIcon />}
      title={t('groups.deleteTitle', { name: group.name })}
      body={t('groups.deleteBody', { name: group.name })}
      cancelLabel={t('groups.cancel')}
      describedBy={titleId}
      isPending={remove.isPending}
      error={remove.error ? errorMessage(t, remove.error) : null}
      onConfirm={(close) =>
        remove.mutate(undefined, {
          onSuccess: () => {
            close()
            onDeleted()
          },
        })
      }
    />
  )
}

function Members({ group }: { group: GroupDetail }) {
  const { t } = useTranslation()
  const change = useChangeMembers(group)
  const headingId = useId()
  return (
    <div className={styles.section}>
      <div className={styles.sectionHeader}>
        <h3 id={headingId} className={styles.sectionTitle}>
          {t('groups.members')}
        </h3>
        <AddMembersDialog group={group} />
      </div>
      {group.members.length === 0 ? (
        <p className={styles.muted}>{t('groups.noMembers')}</p>
      ) : (
        <table className={styles.table} aria-labelledby={headingId}>
          <thead>
            <tr>
              <th scope="col">{t('users.columns.username')}</th>
              <th scope="col">{t('groups.columns.displayName')}</th>
              <th scope="col">{t('users.columns.status')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('users.columns.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {group.members.map((member) => (
              <tr key={member.id}>
                <td>{member.username}</td>
                <td>{member.displayName}</td>
                <td>
                  <Badge tone={STATUS_TONE[member.status]}>
                    {t(`users.status.${member.status}`)}
                  </Badge>
                </td>
                <td className={styles.actionsCell}>
                  <Button
                    variant="quiet"
                    aria-label={t('groups.removeMember', {
                      username: member.username,
                      name: group.name,
                    })}
                    isPending={change.isPending && change.variables.remove?.[0]?.id === member.id}
                    onPress={() => change.mutate({ remove: [member] })}
                  >
                    {t('groups.remove')}
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}
