import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { DialogTrigger, ListBox, ListBoxItem } from 'react-aria-components'
import { errorMessage } from '../../../i18n/error-message'
import { Alert } from '../../../ui/alert'
import { Button } from '../../../ui/button'
import { ModalDialog } from '../../../ui/dialog'
import { EmptyState } from '../../../ui/empty-state'
import { GroupIcon } from '../../../ui/icons'
import { PageHeader } from '../../../ui/page-header'
import { Skeleton } from '../../../ui/skeleton'
import { useSignedIn } from '../../../lib/session/signed-in-context'
import { NotAllowedPage } from '../not-allowed-page'
import { useLeaveWhenDemoted } from '../use-leave-when-demoted'
import { GroupDetailPanel } from './group-detail'
import { GroupNameForm } from './group-name-form'
import { useCreateGroup, useGroups } from './use-groups'
import layout from '../admin-page.module.css'
import styles from './groups-page.module.css'

/** Administration – Groups (issue 13): teams to send to and to set policies for. */
export function GroupsPage() {
  const { session } = useSignedIn()
  if (session.user.role !== 'admin') return <NotAllowedPage />
  return <GroupsAdministration />
}

function GroupsAdministration() {
  const { t } = useTranslation()
  const [selectedId, setSelectedId] = useState<string | null>(null)
  // After a delete the panel that held the focus is gone: the list takes it, not the page.
  const [isDeleted, setDeleted] = useState(false)
  const listRef = useRef<HTMLElement>(null)
  useEffect(() => {
    if (!isDeleted) return
    listRef.current?.focus()
    setDeleted(false)
  }, [isDeleted])
  const groups = useGroups()
  useLeaveWhenDemoted(groups.error)
  // A group deleted (here or elsewhere) is no longer selected.
  const selected = groups.data?.find((group) => group.id === selectedId) ? selectedId : null

  return (
    <div className={layout.page}>
      <PageHeader
        eyebrow={t('users.administration')}
        title={t('groups.title')}
        description={t('groups.intro')}
        actions={<NewGroupDialog onCreated={setSelectedId} />}
      />
      <div className={styles.panes}>
        <section
          ref={listRef}
          tabIndex={-1}
          className={`${layout.card} ${styles.listCard}`}
          aria-label={t('groups.title')}
        >
          <GroupList groups={groups} selectedId={selected} onSelect={setSelectedId} />
        </section>
        {selected !== null && (
          <GroupDetailPanel
            key={selected}
            groupId={selected}
            onClose={() => setSelectedId(null)}
            onDeleted={() => {
              setSelectedId(null)
              setDeleted(true)
            }}
          />
        )}
      </div>
    </div>
  )
}

function GroupList({
  groups,
  selectedId,
  onSelect,
}: {
  groups: ReturnType<typeof useGroups>
  selectedId: string | null
  onSelect: (id: string) => void
}) {
  const { t } = useTranslation()
  if (groups.isPending) {
    return (
      <div className={styles.skeletonRows} aria-busy="true">
        <span className="visually-hidden" role="status">
          {t('groups.loading')}
        </span>
        {[0, 1, 2].map((row) => (
          <Skeleton key={row} height="40px" />
        ))}
      </div>
    )
  }
  if (groups.isError) {
    return (
      <div className={styles.error}>
        <Alert tone="error">
          {t('groups.loadError', { reason: errorMessage(t, groups.error) })}
          <Button onPress={() => void groups.refetch()}>{t('users.retry')}</Button>
        </Alert>
      </div>
    )
  }
  if (groups.data.length === 0) {
    return (
      <EmptyState icon={<GroupIcon />} title={t('groups.emptyTitle')}>
        {t('groups.emptyBody')}
      </EmptyState>
    )
  }
  return (
    <ListBox
      aria-label={t('groups.listLabel')}
      className={styles.list}
      items={groups.data}
      selectionMode="single"
      disallowEmptySelection
      selectedKeys={selectedId === null ? [] : [selectedId]}
      onSelectionChange={(keys) => {
        const [key] = keys === 'all' ? [] : [...keys]
        if (typeof key === 'string') onSelect(key)
      }}
    >
      {(group) => (
        <ListBoxItem id={group.id} textValue={group.name} className={styles.item}>
          <span className={styles.itemName}>{group.name}</span>
          <span className={styles.itemCount}>
            {t('groups.activeMembers', { count: group.memberCount })}
          </span>
        </ListBoxItem>
      )}
    </ListBox>
  )
}

function NewGroupDialog({ onCreated }: { onCreated: (id: string) => void }) {
  const { t } = useTranslation()
  const create = useCreateGroup()
  return (
    <DialogTrigger onOpenChange={(isOpen) => isOpen && create.reset()}>
      <Button variant="primary">{t('groups.newGroup')}</Button>
      <ModalDialog title={t('groups.newGroupTitle')}>
        {(close) => (
          <>
            <p>{t('groups.newGroupIntro')}</p>
            <GroupNameForm
              initialName=""
              submitLabel={t('groups.create')}
              progressLabel={t('groups.creating')}
              save={{
                isPending: create.isPending,
                error: create.error,
                mutate: (name, options) =>
                  create.mutate(name, {
                    onSuccess: (group) => {
                      onCreated(group.id)
                      options.onSuccess()
                    },
                    onError: options.onError,
                  }),
              }}
              close={close}
            />
          </>
        )}
      </ModalDialog>
    </DialogTrigger>
  )
}
