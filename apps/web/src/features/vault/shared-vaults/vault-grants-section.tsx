import type { OpenVault, VaultGroupGrant } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Badge } from '../../../ui/badge'
import { Button } from '../../../ui/button'
import { Progress } from '../../../ui/progress'
import { Select } from '../../../ui/select'
import { showToast } from '../../../ui/toast'
import { useGroups, usePutGrant, useRemoveGrant, useVaultGrants } from '../use-vaults'
import styles from './vault-members-dialog.module.css'

type Access = 'read' | 'write'

/**
 * The groups a shared vault is granted to (issue 13): their members have it while they are in
 * the group. Administrators grant it to a group, change its access or end the grant; granting
 * seals the key on this device to the members at once.
 */
export function VaultGrantsSection({
  vault,
  isAdmin,
  accessOptions,
}: {
  vault: OpenVault
  isAdmin: boolean
  accessOptions: { id: Access; label: string }[]
}) {
  const { t } = useTranslation()
  const grants = useVaultGrants(vault.id)
  const groups = useGroups(isAdmin)
  const put = usePutGrant(vault)
  const remove = useRemoveGrant(vault)
  const [groupId, setGroupId] = useState('')
  const [access, setAccess] = useState<Access>('read')

  function grant(target: { groupId: string; name: string }, canWrite: boolean) {
    put.mutate(
      { groupId: target.groupId, canWrite },
      {
        onSuccess: (sealed) => {
          showToast({
            tone: 'success',
            title: t('vault.grants.granted', { name: target.name, count: sealed }),
          })
          setGroupId('')
        },
      },
    )
  }

  if (grants.isPending) return <Progress label={t('vault.grants.loading')} />
  if (grants.isError) {
    return (
      <Alert tone="error">
        {t('vault.grants.loadError', { reason: errorMessage(t, grants.error) })}
      </Alert>
    )
  }
  const granted = new Set(grants.data.map((g) => g.groupId))
  const candidates = (groups.data ?? []).filter((g) => !granted.has(g.id))
  const chosen = candidates.find((g) => g.id === groupId)

  return (
    <section className={styles.add} aria-labelledby="vault-grants-title">
      <h3 id="vault-grants-title" className={styles.addTitle}>
        {t('vault.grants.title')}
      </h3>
      {grants.data.length === 0 ? (
        <p className={styles.intro}>{t('vault.grants.none')}</p>
      ) : (
        <ul className={styles.list} aria-label={t('vault.grants.title')}>
          {grants.data.map((g) => (
            <GrantRow
              key={g.groupId}
              grant={g}
              isAdmin={isAdmin}
              accessOptions={accessOptions}
              isBusy={put.isPending || remove.isPending}
              onAccess={(next) => grant({ groupId: g.groupId, name: g.name }, next === 'write')}
              onRemove={() =>
                remove.mutate(g.groupId, {
                  onSuccess: () =>
                    showToast({
                      tone: 'success',
                      title: t('vault.grants.ended', { name: g.name }),
                    }),
                })
              }
            />
          ))}
        </ul>
      )}
      {isAdmin &&
        (groups.isPending ? (
          <Progress label={t('vault.grants.loadingGroups')} />
        ) : candidates.length === 0 ? null : (
          <div className={styles.addRow}>
            <Select
              label={t('vault.grants.group')}
              options={[
                { id: '', label: t('vault.grants.chooseGroup') },
                ...candidates.map((g) => ({
                  id: g.id,
                  label: t('vault.grants.groupOption', { name: g.name, count: g.memberCount }),
                })),
              ]}
              value={groupId}
              onChange={setGroupId}
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
              onPress={() =>
                chosen && grant({ groupId: chosen.id, name: chosen.name }, access === 'write')
              }
            >
              {t('vault.grants.grant')}
            </Button>
          </div>
        ))}
      {(put.isError || remove.isError) && (
        <Alert tone="error">{errorMessage(t, put.error ?? remove.error)}</Alert>
      )}
    </section>
  )
}

function GrantRow({
  grant,
  isAdmin,
  accessOptions,
  isBusy,
  onAccess,
  onRemove,
}: {
  grant: VaultGroupGrant
  isAdmin: boolean
  accessOptions: { id: Access; label: string }[]
  isBusy: boolean
  onAccess: (access: Access) => void
  onRemove: () => void
}) {
  const { t } = useTranslation()
  return (
    <li className={styles.member}>
      <div className={styles.who}>
        <span className={styles.name}>{grant.name}</span>
        <span className={styles.username}>
          {t('vault.grants.members', { count: grant.memberCount })}
          {grant.waiting > 0 && ` · ${t('vault.grants.waiting', { count: grant.waiting })}`}
        </span>
      </div>
      {isAdmin ? (
        <>
          <Select
            label={t('vault.members.accessFor', { name: grant.name })}
            options={accessOptions}
            value={grant.canWrite ? 'write' : 'read'}
            onChange={onAccess}
            isDisabled={isBusy}
            className={styles.access}
          />
          <Button variant="quiet" onPress={onRemove} isDisabled={isBusy}>
            {t('vault.grants.end', { name: grant.name })}
          </Button>
        </>
      ) : (
        <Badge tone={grant.canWrite ? 'accent' : 'neutral'}>
          {grant.canWrite ? t('vault.members.write') : t('vault.members.read')}
        </Badge>
      )}
    </li>
  )
}
