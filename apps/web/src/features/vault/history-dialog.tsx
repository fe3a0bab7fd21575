import type { DecryptedItem, OpenVault } from '@sealpost/core'
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { errorMessage } from '../../i18n/error-message'
import { Alert } from '../../ui/alert'
import { Button } from '../../ui/button'
import { DialogActions, ModalDialog } from '../../ui/dialog'
import { Progress } from '../../ui/progress'
import { exactTime, relativeTime } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'
import { type FieldChange, changedFields } from './changed-fields'
import styles from './history-dialog.module.css'
import { type Revision, useItemHistory, useVaultItems } from './use-vaults'

type T = TFunction

/** One change in words, without the value: "Password changed", "Field “PIN” added". */
function describe(t: T, change: FieldChange): string {
  switch (change.field) {
    case 'name':
      return t('vault.history.renamed', { from: change.from, to: change.to })
    case 'custom':
      return t(`vault.history.field_${change.change}`, { label: change.label })
    case 'file':
      return t(`vault.history.file_${change.change}`, { name: change.name })
    default:
      return t('vault.history.changed', { field: t(`vault.history.fields.${change.field}`) })
  }
}

/** Who changed the item, when, and which fields: each revision decrypted here. */
export function HistoryDialog({
  vault,
  item,
  onClose,
}: {
  vault: OpenVault
  item: DecryptedItem
  onClose: () => void
}) {
  const { t } = useTranslation()
  const history = useItemHistory(vault, item.id)
  return (
    <ModalDialog
      title={t('vault.historyTitle', { name: item.content.name })}
      isOpen
      onOpenChange={(isOpen) => !isOpen && onClose()}
    >
      {(close) => (
        <>
          {history.isPending ? (
            <Progress label={t('vault.historyLoading')} />
          ) : history.isError ? (
            <Alert tone="error">
              {t('vault.historyError', { reason: errorMessage(t, history.error) })}
              <Button onPress={() => void history.refetch()}>{t('vault.retry')}</Button>
            </Alert>
          ) : (
            <RevisionList vault={vault} revisions={history.data} />
          )}
          <DialogActions>
            <Button variant="primary" onPress={close} autoFocus>
              {t('vault.close')}
            </Button>
          </DialogActions>
        </>
      )}
    </ModalDialog>
  )
}

function RevisionList({ vault, revisions }: { vault: OpenVault; revisions: Revision[] }) {
  const { t } = useTranslation()
  const locale = useLocale()
  const { tree } = useVaultItems(vault)
  const now = new Date()
  const placeName = (parentId: string | null) =>
    parentId === null
      ? t('vault.rootOf', { name: vault.name })
      : (tree?.byId.get(parentId)?.content.name ?? t('vault.history.deletedFolder'))

  return (
    <ol className={styles.list} aria-label={t('vault.revisions')}>
      {revisions.map((revision, index) => {
        // Newest first: the revision before this one is the next in the list.
        const previous = revisions[index + 1]
        const changes =
          revision.content && previous?.content
            ? changedFields(previous.content, revision.content)
            : []
        const who = revision.actor?.displayName ?? t('vault.history.formerUser')
        return (
          <li key={revision.revision} className={styles.revision}>
            <div className={styles.line}>
              <span className={styles.what}>{t(`vault.history.${revision.action}`, { who })}</span>
              <time
                className={styles.time}
                dateTime={revision.at}
                title={exactTime(revision.at, locale)}
              >
                {relativeTime(revision.at, now, locale)}
              </time>
            </div>
            <span className={styles.number}>
              {t('vault.history.revision', { n: String(revision.revision) })}
            </span>
            {revision.content === null ? (
              <span className={styles.problem}>{t('vault.history.unreadable')}</span>
            ) : (
              <ul className={styles.changes}>
                {revision.action === 'moved' && (
                  <li>{t('vault.history.movedTo', { where: placeName(revision.parentId) })}</li>
                )}
                {changes.map((change, i) => (
                  <li key={i}>{describe(t, change)}</li>
                ))}
                {revision.action === 'updated' && changes.length === 0 && (
                  <li>{t('vault.history.noVisibleChange')}</li>
                )}
              </ul>
            )}
          </li>
        )
      })}
    </ol>
  )
}
