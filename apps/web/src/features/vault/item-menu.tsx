import type { DecryptedItem, OpenVault } from '@sealpost/core'
import { useTranslation } from 'react-i18next'
import { Button as AriaButton, type Key, MenuTrigger } from 'react-aria-components'
import { Button } from '../../ui/button'
import { MoreIcon } from '../../ui/icons'
import { Menu, MenuItem, MenuSection, MenuSeparator } from '../../ui/menu'
import { useSignedIn } from '../../lib/session/signed-in-context'
import { useMessagesSlot } from '../../lib/slots'
import type { ItemDialogRequest } from './use-item-dialogs'
import styles from './item-menu.module.css'

type ItemMenuProps = {
  vault: OpenVault
  item: DecryptedItem
  openDialog: (request: ItemDialogRequest) => void
  /** Entry detail only: switch to the edit form. */
  onEdit?: () => void
  /** Inside a tree or grid row the trigger must be a plain react-aria button. */
  variant?: 'button' | 'row'
  /** Controlled from the row's context-menu key (Shift+F10). */
  isOpen?: boolean
  onOpenChange?: (isOpen: boolean) => void
}

/**
 * A folder's or entry's *More* menu (S7, S20): add inside, rename, move, history, Send copy,
 * Create shareable link, delete. Read-only vaults offer only what reads: history, Send copy
 * and Create shareable link.
 */
export function ItemMenu({
  vault,
  item,
  openDialog,
  onEdit,
  variant = 'button',
  isOpen,
  onOpenChange,
}: ItemMenuProps) {
  const { t } = useTranslation()
  const { session } = useSignedIn()
  const sendCopy = useMessagesSlot().useSendCopy()
  const canWrite = vault.canWrite
  // S9: a copy goes out as attachments.
  const canSendCopy = session.user.canSendAttachments
  // S20: a link of an entry or folder carries it (and its files) sealed like any link.
  const canLinkCopy = session.user.canCreateLinks && session.user.canSendAttachments
  const name = item.content.name
  const isFolder = item.kind === 'folder'

  const onAction = (key: Key) => {
    switch (key) {
      case 'edit':
        onEdit?.()
        break
      case 'new-entry':
        openDialog({ kind: 'new-entry', vault, parentId: item.id })
        break
      case 'new-folder':
        openDialog({ kind: 'new-folder', vault, parentId: item.id })
        break
      case 'add-sub-entry':
        openDialog({ kind: 'new-entry', vault, parentId: item.id, parentEntry: item })
        break
      case 'rename':
      case 'move':
      case 'history':
      case 'delete':
        openDialog({ kind: key, vault, item })
        break
      case 'send-copy':
        sendCopy(vault, item)
        break
      case 'create-link':
        sendCopy(vault, item, 'link')
        break
    }
  }

  const label = t('vault.moreFor', { name })
  return (
    <MenuTrigger isOpen={isOpen} onOpenChange={onOpenChange}>
      {variant === 'row' ? (
        <AriaButton className={styles.rowTrigger} aria-label={label}>
          <MoreIcon />
        </AriaButton>
      ) : (
        <Button variant="quiet" isIconOnly aria-label={label}>
          <MoreIcon />
        </Button>
      )}
      <Menu onAction={onAction}>
        {canWrite && (
          <MenuSection>
            {onEdit && <MenuItem id="edit">{t('vault.edit')}</MenuItem>}
            {isFolder ? (
              <>
                <MenuItem id="new-entry">{t('vault.newEntryHere')}</MenuItem>
                <MenuItem id="new-folder">{t('vault.newFolderHere')}</MenuItem>
              </>
            ) : (
              <MenuItem id="add-sub-entry">{t('vault.addSubEntry')}</MenuItem>
            )}
            <MenuItem id="rename">{t('vault.rename')}</MenuItem>
            <MenuItem id="move">{t('vault.moveTo')}</MenuItem>
          </MenuSection>
        )}
        {canWrite && <MenuSeparator />}
        <MenuSection>
          <MenuItem id="history">{t('vault.history.menu')}</MenuItem>
          {canSendCopy ? <MenuItem id="send-copy">{t('vault.sendCopy')}</MenuItem> : null}
          {canLinkCopy ? <MenuItem id="create-link">{t('vault.createLink')}</MenuItem> : null}
        </MenuSection>
        {canWrite && <MenuSeparator />}
        {canWrite && (
          <MenuSection>
            <MenuItem id="delete" isDanger>
              {t('vault.delete')}
            </MenuItem>
          </MenuSection>
        )}
      </Menu>
    </MenuTrigger>
  )
}
