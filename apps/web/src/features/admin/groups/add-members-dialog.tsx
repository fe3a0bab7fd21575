import type { GroupDetail } from '@sealpost/core'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CheckboxGroup, DialogTrigger, Label } from 'react-aria-components'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { Checkbox } from '../../../ui/checkbox'
import { DialogActions, ModalDialog } from '../../../ui/dialog'
import { Progress } from '../../../ui/progress'
import { Skeleton } from '../../../ui/skeleton'
import { nonMembers } from './non-members'
import { useChangeMembers, useUsersToAdd } from './use-groups'
import styles from './groups-page.module.css'

/** "Add members": a checkbox for each user who is not a member yet. */
export function AddMembersDialog({ group }: { group: GroupDetail }) {
  const { t } = useTranslation()
  return (
    <DialogTrigger>
      <Button>{t('groups.addMembers')}</Button>
      <ModalDialog title={t('groups.addMembersTitle', { name: group.name })}>
        {(close) => <AddMembersForm group={group} close={close} />}
      </ModalDialog>
    </DialogTrigger>
  )
}

function AddMembersForm({ group, close }: { group: GroupDetail; close: () => void }) {
  const { t } = useTranslation()
  const users = useUsersToAdd()
  const change = useChangeMembers(group)
  const [chosen, setChosen] = useState<string[]>([])
  const candidates = nonMembers(
    users.data ?? [],
    group.members.map((member) => member.id),
  )

  const add = () => {
    const add = candidates.filter((user) => chosen.includes(user.id))
    change.mutate({ add }, { onSuccess: close })
  }

  return (
    <>
      {users.isPending && (
        <div className={styles.checkboxes} aria-busy="true">
          <span className="visually-hidden" role="status">
            {t('users.loading')}
          </span>
          <Skeleton width="60%" height="24px" />
          <Skeleton width="50%" height="24px" />
        </div>
      )}
      {users.isError && (
        <Alert tone="error">
          {t('users.loadError', { reason: errorMessage(t, users.error) })}
          <Button onPress={() => void users.refetch()}>{t('users.retry')}</Button>
        </Alert>
      )}
      {users.data && candidates.length === 0 && <p>{t('groups.everyoneIsMember')}</p>}
      {candidates.length > 0 && (
        <CheckboxGroup
          className={styles.checkboxes}
          value={chosen}
          onChange={setChosen}
          isDisabled={change.isPending}
        >
          <Label className={styles.checkboxesLabel}>{t('groups.chooseUsers')}</Label>
          {candidates.map((user) => (
            <Checkbox key={user.id} value={user.id}>
              {t('groups.userChoice', { name: user.displayName, username: user.username })}
              {user.status !== 'active' && ` (${t(`users.status.${user.status}`)})`}
            </Checkbox>
          ))}
        </CheckboxGroup>
      )}
      {change.isPending && <Progress label={t('groups.adding')} />}
      <DialogActions>
        <Button onPress={close} isDisabled={change.isPending}>
          {t('groups.cancel')}
        </Button>
        <Button
          variant="primary"
          isDisabled={chosen.length === 0}
          isPending={change.isPending}
          onPress={add}
        >
          {chosen.length === 0
            ? t('groups.addMembers')
            : t('groups.addChosen', { count: chosen.length })}
        </Button>
      </DialogActions>
    </>
  )
}
