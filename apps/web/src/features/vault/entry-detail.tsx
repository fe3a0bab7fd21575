import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { type KeyboardEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Link } from 'react-aria-components'
import { Button } from '../../ui/button'
import { ArrowLeftIcon, PencilIcon } from '../../ui/icons'
import { HistoryIcon, PlusIcon } from '../../ui/item-icons'
import { showToast } from '../../ui/toast'
import { EntryHeader, EntryList, EntrySection, EntryValueList } from '../../ui/entry-view'
import { exactTime, relativeTime } from '../../lib/format'
import { useLocale } from '../../lib/use-locale'
import { AttachmentDownloads } from './attachments'
import styles from './entry-detail.module.css'
import { EntryForm } from './entry-form'
import { ItemIcon } from '../../ui/item-icon'
import type { ItemDialogRequest } from './use-item-dialogs'
import { ItemMenu } from './item-menu'
import { vaultPath } from './vault-paths'
import { type VaultTree, childrenOf } from './vault-tree'

type EntryDetailProps = {
  vault: OpenVault
  tree: VaultTree<DecryptedItem>
  item: DecryptedItem
  openDialog: (request: ItemDialogRequest) => void
  /** Back to the list: the button in the stacked layout, and Esc. */
  onClose: () => void
  backLabel: string
}

/** The open entry: its fields (secrets hidden until shown), files, sub-entries; or its form. */
export function EntryDetail({
  vault,
  tree,
  item,
  openDialog,
  onClose,
  backLabel,
}: EntryDetailProps) {
  const { t } = useTranslation()
  const locale = useLocale()
  const [isEditing, setEditing] = useState(false)
  const { content } = item
  const subEntries = childrenOf(tree, item.id)
  const titleId = `entry-title-${item.id}`

  if (isEditing) {
    return (
      <article className={styles.pane} aria-labelledby={titleId}>
        <h2 id={titleId} className={styles.editTitle}>
          {t('vault.editTitle', { name: content.name })}
        </h2>
        <EntryForm
          vault={vault}
          parentId={item.parentId}
          item={item}
          onSaved={(saved) => {
            showToast({ tone: 'success', title: t('vault.saved', { name: saved.content.name }) })
            setEditing(false)
          }}
          onCancel={() => setEditing(false)}
        />
      </article>
    )
  }

  function onKeyDown(event: KeyboardEvent) {
    // Esc closes the entry, unless a field inside wants it (a search box, a menu).
    if (event.key === 'Escape' && !event.defaultPrevented) onClose()
  }

  return (
    <article className={styles.pane} aria-labelledby={titleId} onKeyDown={onKeyDown}>
      <div className={styles.toolbar}>
        <Button variant="quiet" className={styles.back} onPress={onClose}>
          <ArrowLeftIcon />
          {backLabel}
        </Button>
        <div className={styles.actions}>
          {vault.canWrite && (
            <Button onPress={() => setEditing(true)}>
              <PencilIcon />
              {t('vault.edit')}
            </Button>
          )}
          <Button variant="quiet" onPress={() => openDialog({ kind: 'history', vault, item })}>
            <HistoryIcon />
            {t('vault.history.menu')}
          </Button>
          <ItemMenu
            vault={vault}
            item={item}
            openDialog={openDialog}
            onEdit={() => setEditing(true)}
          />
        </div>
      </div>

      <EntryHeader icon={<ItemIcon type={content.type} />}>
        <h2 id={titleId} className={styles.title} tabIndex={-1}>
          {content.name}
        </h2>
        <span className={styles.muted}>
          {t(`vault.types.${content.type === 'folder' ? 'note' : content.type}`)} ·{' '}
          <time dateTime={item.updatedAt} title={exactTime(item.updatedAt, locale)}>
            {t('vault.updated', { when: relativeTime(item.updatedAt, new Date(), locale) })}
          </time>
        </span>
      </EntryHeader>

      <EntryValueList content={content} />

      <AttachmentDownloads
        vault={vault}
        item={item}
        title={content.type === 'document' ? t('vault.documentFile') : t('vault.attachments')}
      />

      {(subEntries.length > 0 || vault.canWrite) && (
        <EntrySection title={t('vault.subEntries')}>
          {subEntries.length > 0 ? (
            <EntryList>
              {subEntries.map((sub) => (
                <li key={sub.id}>
                  <Link href={vaultPath(vault, sub.id)} className={styles.subEntry}>
                    <ItemIcon type={sub.content.type} className={styles.muted} />
                    {sub.content.name}
                  </Link>
                </li>
              ))}
            </EntryList>
          ) : (
            <p className={styles.muted}>{t('vault.noSubEntries')}</p>
          )}
          {vault.canWrite && (
            <div>
              <Button
                variant="quiet"
                onPress={() =>
                  openDialog({ kind: 'new-entry', vault, parentId: item.id, parentEntry: item })
                }
              >
                <PlusIcon />
                {t('vault.addSubEntry')}
              </Button>
            </div>
          )}
        </EntrySection>
      )}
    </article>
  )
}
