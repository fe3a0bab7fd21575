import type { User } from '@sealpost/core'
import { useTranslation } from 'react-i18next'
import { Badge } from '../../../ui/badge'
import { Switch } from '../../../ui/switch'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { PERMISSIONS, type Permission, useUpdateUser } from './use-users'
import { UserActions } from './user-actions'
import { useRecoveryOverview } from '../account-recovery/use-account-recovery'
import styles from './users-table.module.css'

const STATUS_TONE = { active: 'success', invited: 'warning', disabled: 'neutral' } as const

/*
 * One column per permission would not fit beside Actions at 1280 px, so the four switches sit
 * under one "Allowed to" header with short sub-headers ("Send messages"); each switch keeps
 * its full name ("Can send messages for max"). Name, username and email share the first
 * column. When the card is too narrow even for that, each user becomes a card (see the CSS).
 */
export function UsersTable({ users }: { users: User[] }) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const update = useUpdateUser()
  const { t: at } = useTranslation('account')
  const recovery = useRecoveryOverview()
  const enrolled = new Set(recovery.data?.enrolledUserIds ?? [])
  // The full names label each switch's line on the narrow cards.
  const permissionLabel: Record<Permission, string> = {
    canSendMessages: t('users.columns.canSendMessages'),
    canSendAttachments: t('users.columns.canSendAttachments'),
    canCreateLinks: t('users.columns.canCreateLinks'),
    canRequestSecrets: t('requests.adminColumn'),
  }
  const switchName = (permission: Permission, username: string) =>
    ({
      canSendMessages: t('users.canSendMessagesFor', { username }),
      canSendAttachments: t('users.canSendAttachmentsFor', { username }),
      canCreateLinks: t('users.canCreateLinksFor', { username }),
      canRequestSecrets: t('requests.adminFor', { username }),
    })[permission]

  return (
    <div className={styles.wrap}>
      <table className={styles.table}>
        <caption className="visually-hidden">{t('users.title')}</caption>
        <colgroup span={3} />
        <colgroup span={PERMISSIONS.length} />
        <colgroup span={1} />
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              {t('users.columns.name')}
            </th>
            <th scope="col" rowSpan={2}>
              {t('users.columns.role')}
            </th>
            <th scope="col" rowSpan={2}>
              {t('users.columns.status')}
            </th>
            <th scope="colgroup" colSpan={PERMISSIONS.length} className={styles.groupHeader}>
              {t('users.permissions')}
            </th>
            <th scope="col" rowSpan={2}>
              <span className="visually-hidden">{t('users.columns.actions')}</span>
            </th>
          </tr>
          <tr>
            {PERMISSIONS.map((permission) => (
              <th key={permission} scope="col" className={styles.switchHeader}>
                {t(`users.permissionColumns.${permission}`)}
              </th>
            ))}
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
                <td className={styles.userCell}>
                  <span className={styles.user}>
                    <span className={styles.name}>
                      {user.displayName}
                      {isSelf && <span className={styles.you}>{t('users.you')}</span>}
                    </span>
                    <span className={styles.account}>
                      <span>{user.username}</span>
                      <span className={styles.email}>{user.email}</span>
                    </span>
                  </span>
                </td>
                <td data-label={t('users.columns.role')} className={styles.nowrap}>
                  {t(`roles.${user.role}`)}
                </td>
                <td data-label={t('users.columns.status')}>
                  <span className={styles.badges}>
                    <Badge tone={STATUS_TONE[user.status]}>
                      {t(`users.status.${user.status}`)}
                    </Badge>
                    {enrolled.has(user.id) && (
                      <Badge tone="neutral">{at('orgRecovery.enrolled')}</Badge>
                    )}
                  </span>
                </td>
                {PERMISSIONS.map((permission) => (
                  <td
                    key={permission}
                    data-label={permissionLabel[permission]}
                    className={styles.switchCell}
                  >
                    <Switch
                      aria-label={switchName(permission, user.username)}
                      isSelected={user[permission]}
                      onChange={(isSelected) =>
                        update.mutate({ user, change: { [permission]: isSelected } })
                      }
                    />
                  </td>
                ))}
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
