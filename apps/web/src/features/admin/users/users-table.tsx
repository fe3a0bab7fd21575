import type { User } from '@sealpost/core'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../../ui/badge'
import { Switch } from '../../../ui/switch'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { useUpdateUser } from './use-users'
import { UserActions } from './user-actions'
import { useRecoveryOverview } from '../account-recovery/use-account-recovery'
import styles from './users-table.module.css'

const STATUS_TONE = { active: 'success', invited: 'warning', disabled: 'neutral' } as const

export function UsersTable({ users }: { users: User[] }) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const update = useUpdateUser()
  const { t: at } = useTranslation('account')
  const recovery = useRecoveryOverview()
  const enrolled = new Set(recovery.data?.enrolledUserIds ?? [])
  const columns = {
    name: t('users.columns.name'),
    username: t('users.columns.username'),
    email: t('users.columns.email'),
    role: t('users.columns.role'),
    status: t('users.columns.status'),
    canSendMessages: t('users.columns.canSendMessages'),
    canSendAttachments: t('users.columns.canSendAttachments'),
    canCreateLinks: t('users.columns.canCreateLinks'),
    canRequestSecrets: t('requests.adminColumn'),
    actions: t('users.columns.actions'),
  }

  return (
    <div className={styles.wrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">{t('users.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{columns.name}</th>
            <th scope="col">{columns.username}</th>
            <th scope="col">{columns.email}</th>
            <th scope="col">{columns.role}</th>
            <th scope="col">{columns.status}</th>
            <th scope="col" className={styles.switchHeader}>
              {columns.canSendMessages}
            </th>
            <th scope="col" className={styles.switchHeader}>
              {columns.canSendAttachments}
            </th>
            <th scope="col" className={styles.switchHeader}>
              {columns.canCreateLinks}
            </th>
            <th scope="col" className={styles.switchHeader}>
              {columns.canRequestSecrets}
            </th>
            <th scope="col">
              <span className="visually-hidden">{columns.actions}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => {
            const isSelf = user.id === session.user.id
            return (
              <tr
                key={user.id}
                className={user.status === 'disabled' ? styles.disabledRow : undefined}
              >
                <td className={`${styles.nameCell} ${styles.nowrap}`}>
                  <span className={styles.name}>
                    {user.displayName}
                    {isSelf && <span className={styles.you}>{t('users.you')}</span>}
                  </span>
                </td>
                <td data-label={columns.username} className={styles.nowrap}>
                  {user.username}
                </td>
                <td data-label={columns.email} className={styles.nowrap}>
                  {user.email}
                </td>
                <td data-label={columns.role} className={styles.nowrap}>
                  {t(`roles.${user.role}`)}
                </td>
                <td data-label={columns.status}>
                  <Badge tone={STATUS_TONE[user.status]}>{t(`users.status.${user.status}`)}</Badge>
                  {enrolled.has(user.id) && (
                    <Badge tone="neutral">{at('orgRecovery.enrolled')}</Badge>
                  )}
                </td>
                <td data-label={columns.canSendMessages}>
                  <Switch
                    aria-label={t('users.canSendMessagesFor', { username: user.username })}
                    isSelected={user.canSendMessages}
                    onChange={(canSendMessages) =>
                      update.mutate({ user, change: { canSendMessages } })
                    }
                  />
                </td>
                <td data-label={columns.canSendAttachments}>
                  <Switch
                    aria-label={t('users.canSendAttachmentsFor', { username: user.username })}
                    isSelected={user.canSendAttachments}
                    onChange={(canSendAttachments) =>
                      update.mutate({ user, change: { canSendAttachments } })
                    }
                  />
                </td>
                <td data-label={columns.canCreateLinks}>
                  <Switch
                    aria-label={t('users.canCreateLinksFor', { username: user.username })}
                    isSelected={user.canCreateLinks}
                    onChange={(canCreateLinks) =>
                      update.mutate({ user, change: { canCreateLinks } })
                    }
                  />
                </td>
                <td data-label={columns.canRequestSecrets}>
                  <Switch
                    aria-label={t('requests.adminFor', { username: user.username })}
                    isSelected={user.canRequestSecrets}
                    onChange={(canRequestSecrets) =>
                      update.mutate({ user, change: { canRequestSecrets } })
                    }
                  />
                </td>
                <td className={styles.actionsCell}>
                  <UserActions user={user} isSelf={isSelf} />
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
